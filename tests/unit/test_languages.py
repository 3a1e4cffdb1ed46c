"""Language specs and how the runner turns them into requests. The fake engine only records requests:
these tests are about the request a language produces, never about the sandbox running it."""

import pytest

from sandbox.languages import LANGUAGES, language_get
from sandbox.runner import compile, execute, run
from sandbox.types import COMPILE_LIMITS, Limits, MiB, Outcome, Program, RunRequest, RunResult, SourceFile


class FakeEngine:
    def __init__(self, *results: RunResult):
        self.results = list(results) or [RunResult(Outcome.OK, exit_code=0)]
        self.requests: list[RunRequest] = []

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        return self.results.pop(0) if len(self.results) > 1 else self.results[0]


SOURCES = {
    "c": "main.c",
    "cpp": "main.cpp",
    "java": "Main.java",
    "kotlin": "main.kt",
    "python": "main.py",
    "pypy": "main.py",
    "csharp": "main.cs",
    "javascript": "main.js",
    "go": "main.go",
    "rust": "main.rs",
    "pascal": "main.pas",
    "haskell": "main.hs",
    "ocaml": "main.ml",
    "ruby": "main.rb",
    "php": "main.php",
}
SHARED_IMAGES = {"kotlin": "java"}  # one JDK for both JVM languages


def test_every_language_is_known():
    assert set(LANGUAGES) == set(SOURCES)
    for key, lang in LANGUAGES.items():
        assert lang.key == key
        assert lang.image.startswith(f"ojudge/{SHARED_IMAGES.get(key, key)}:")
        assert lang.folder == SHARED_IMAGES.get(key, key)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_compile_request(key):
    lang = language_get(key)
    engine = FakeEngine()
    compile(language=key, source="the source", engine=engine)
    (request,) = engine.requests
    assert request.image == lang.image
    assert not any("{" in arg for arg in request.argv)
    assert request.files == (SourceFile(SOURCES[key], b"the source"),)
    assert request.merge_stderr is True
    assert request.collect == lang.artifacts
    assert request.limits == COMPILE_LIMITS.with_(processes=max(COMPILE_LIMITS.processes, lang.processes))


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_compile_source_is_the_file_name_the_compiler_expects(key):
    engine = FakeEngine()
    compile(language=key, source="the source", engine=engine)
    (request,) = engine.requests
    assert any(request.files[0].name in arg for arg in request.argv)


@pytest.mark.parametrize(
    ("source", "file_name", "main"),
    [
        ("public class Hello { public static void main(String[] a) {} }", "Hello.java", "Hello"),
        (
            "package a.b;\nclass X {}\npublic class Y { static public void main(String[] a) {} }",
            "Y.java",
            "a.b.Y",
        ),
        ("class Solver { public static void main(String[] a) {} }", "Solver.java", "Solver"),
        ("interface Nothing {}", "Main.java", "Main"),
    ],
)
def test_java_main_class_is_found_in_the_source(source, file_name, main):
    assert language_get("java").source_for(source.encode()) == (file_name, main)
    engine = FakeEngine()
    compile(language="java", source=source, engine=engine)
    assert engine.requests[0].files[0].name == file_name
    assert f"--main-class {main} " in engine.requests[0].argv[-1]


@pytest.mark.parametrize(
    ("source", "main"),
    [
        ("fun main() {}", "MainKt"),
        ("package x.y\nfun main() {}", "x.y.MainKt"),
        ('@file:JvmName("Go")\n', "Go"),
    ],
)
def test_kotlin_main_class(source, main):
    assert language_get("kotlin").source_for(source.encode()) == ("main.kt", main)


def test_a_public_class_name_cannot_inject_shell():
    file_name, main = language_get("java").source_for(b"public class A$(reboot) {}")
    assert "$" not in file_name + main and "(" not in main


def test_extensions_are_unique_and_lead_to_their_language():
    from sandbox.languages import language_of_path

    for key, lang in LANGUAGES.items():
        assert lang.extensions, key
        for ext in lang.extensions:
            assert language_of_path(f"dir/solution{ext.upper()}") in (key, "python")
    assert language_of_path("a.py") == "python" and language_of_path("README") == ""


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_language_has_a_version_command_and_a_self_test(key):
    lang = language_get(key)
    assert lang.version_argv and "42" not in lang.self_test


def test_process_floor_raises_a_low_limit_but_never_lowers_one():
    engine = FakeEngine()
    execute(program=Program("java", ()), limits=Limits(processes=4), engine=engine)
    assert engine.requests[0].limits.processes == language_get("java").processes
    execute(program=Program("c", ()), limits=Limits(processes=4), engine=engine)
    assert engine.requests[1].limits.processes == 4
    execute(program=Program("java", ()), limits=Limits(processes=100), engine=engine)
    assert engine.requests[2].limits.processes == 100


@pytest.mark.parametrize(
    ("stderr", "memory", "expected"),
    [
        (b'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 140 * MiB, Outcome.MLE),
        (b'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 40 * MiB, Outcome.RE),
        (b"java.lang.IllegalStateException: boom", 140 * MiB, Outcome.RE),
    ],
)
def test_runtime_out_of_memory_error_is_mle_near_the_limit(stderr, memory, expected):
    engine = FakeEngine(RunResult(Outcome.RE, exit_code=1, stderr=stderr, memory=memory))
    result = execute(program=Program("java", ()), limits=Limits(memory=128 * MiB), engine=engine)
    assert result.outcome == expected


def test_oom_marker_of_another_language_does_not_count():
    engine = FakeEngine(RunResult(Outcome.RE, exit_code=1, stderr=b"Heap exhausted", memory=200 * MiB))
    result = execute(program=Program("java", ()), limits=Limits(memory=128 * MiB), engine=engine)
    assert result.outcome == Outcome.RE


def test_compile_takes_bytes_unchanged():
    engine = FakeEngine()
    compile(language="c", source=b"\xff\x00raw", engine=engine)
    assert engine.requests[0].files[0].data == b"\xff\x00raw"


def test_compile_ok_returns_the_artifacts_as_the_program():
    binary = SourceFile("main", b"\x7fELF...", executable=True)
    engine = FakeEngine(RunResult(Outcome.OK, exit_code=0, stdout=b"warning: unused\n", files=(binary,)))
    compiled = compile(language="cpp", source="int main(){}", engine=engine)
    assert compiled.ok
    assert compiled.program == Program("cpp", (binary,))
    assert compiled.output == "warning: unused\n"


def test_python_keeps_its_source_as_the_program():
    compiled = compile(language="python", source="print(1)\n", engine=FakeEngine())
    assert compiled.ok
    assert compiled.program == Program("python", (SourceFile("main.py", b"print(1)\n"),))


def test_compiler_exiting_non_zero_is_a_compile_error_with_its_output():
    engine = FakeEngine(
        RunResult(Outcome.RE, exit_code=1, stdout=b"main.c:1: error: expected ';'\n", message="exit code 1")
    )
    compiled = compile(language="c", source="int main(){", engine=engine)
    assert compiled.outcome == Outcome.CE
    assert not compiled.ok
    assert compiled.program is None
    assert "main.c:1: error: expected ';'" in compiled.output
    assert compiled.output.endswith("exit code 1")
    assert compiled.result is engine.results[0]


@pytest.mark.parametrize("outcome", [Outcome.TLE, Outcome.MLE, Outcome.OLE])
def test_compiler_over_its_limits_is_a_compile_error(outcome):
    compiled = compile(language="cpp", source="x", engine=FakeEngine(RunResult(outcome)))
    assert compiled.outcome == Outcome.CE
    assert compiled.output == f"compiler ended with {outcome}"


def test_internal_error_passes_through():
    result = RunResult(Outcome.IE, message="docker went away", stdout=b"partial")
    compiled = compile(language="java", source="class Main{}", engine=FakeEngine(result))
    assert compiled.outcome == Outcome.IE
    assert compiled.program is None
    assert compiled.output == "docker went away"
    assert compiled.result is result


def test_python_syntax_error_is_a_compile_error_without_program():
    engine = FakeEngine(RunResult(Outcome.RE, exit_code=1, stdout=b"SyntaxError: invalid syntax\n"))
    compiled = compile(language="python", source="def(", engine=engine)
    assert compiled.outcome == Outcome.CE
    assert compiled.program is None


# execute


def test_execute_request_for_c():
    program = Program("c", (SourceFile("main", b"\x7fELF", executable=True),))
    engine = FakeEngine()
    limits = Limits(cpu_time=2.0, memory=64 * MiB)
    execute(program=program, stdin=b"1 2\n", limits=limits, engine=engine)
    (request,) = engine.requests
    assert request.image == language_get("c").image
    assert request.argv == ("./main",)
    assert request.files == program.files
    assert request.stdin == b"1 2\n"
    assert request.limits == limits
    assert request.collect == ()
    assert request.merge_stderr is False


def test_execute_java_formats_the_heap_and_adds_the_runtime_overhead():
    engine = FakeEngine()
    execute(program=Program("java", ()), limits=Limits(memory=256 * MiB), engine=engine)
    (request,) = engine.requests
    assert "-Xmx256m" in request.argv
    assert not any("{" in arg for arg in request.argv)
    assert request.limits.memory == 256 * MiB + language_get("java").memory_overhead
    assert language_get("java").memory_overhead > 0


def test_execute_returns_the_engine_result():
    result = RunResult(Outcome.RE, exit_code=3)
    assert execute(program=Program("python", ()), engine=FakeEngine(result)) is result


def test_run_skips_execute_after_a_compile_error():
    engine = FakeEngine(RunResult(Outcome.RE, exit_code=1))
    compiled, result = run(language="c", source="oops", engine=engine)
    assert compiled.outcome == Outcome.CE
    assert result is None
    assert len(engine.requests) == 1


def test_run_compiles_then_executes():
    binary = SourceFile("main", b"\x7fELF", executable=True)
    engine = FakeEngine(RunResult(Outcome.OK, files=(binary,)), RunResult(Outcome.OK, stdout=b"3\n"))
    compiled, result = run(language="c", source="...", stdin=b"1 2", engine=engine)
    assert compiled.ok
    assert result.stdout == b"3\n"
    compile_argv = ("gcc", "-O2", "-std=gnu17", "-static", "-DONLINE_JUDGE", "-pipe", "-I.", "-o", "main")
    assert [r.argv for r in engine.requests] == [(*compile_argv, "main.c", "-lm"), ("./main",)]
    assert "-static" in language_get("c").compile_argv and "-DONLINE_JUDGE" in language_get("c").compile_argv
    assert engine.requests[1].files == (binary,)
    assert engine.requests[1].stdin == b"1 2"


def test_unknown_language_names_the_known_ones():
    with pytest.raises(
        ValueError, match="unknown language 'cobol'; known: c, cpp, csharp, go, haskell, java"
    ):
        language_get("cobol")


def test_unknown_language_fails_before_reaching_the_engine():
    engine = FakeEngine()
    with pytest.raises(ValueError, match="cobol"):
        compile(language="cobol", source="x", engine=engine)
    assert engine.requests == []
