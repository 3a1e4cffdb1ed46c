"""Programs of several files: the requests the runner makes of them (a recording engine, never a claim
that the sandbox works: tests/integration/test_judge_package_files.py runs them for real), and the
bounds and path rules of stored programs."""

import pytest

from problems.models import (
    PROGRAM_BYTES_MAX,
    PROGRAM_FILE_BYTES_MAX,
    PROGRAM_FILES_MAX,
    include_files_errors,
    program_file_set,
    program_files_errors,
    program_path_error,
)
from sandbox.languages import language_get
from sandbox.runner import compile, execute, run_files
from sandbox.types import Outcome, Program, RunRequest, RunResult, SourceFile


class RecordingEngine:
    def __init__(self, *results: RunResult):
        self.results = list(results) or [RunResult(Outcome.OK, exit_code=0)]
        self.requests: list[RunRequest] = []

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        return self.results.pop(0) if len(self.results) > 1 else self.results[0]


def _files(**texts: str) -> tuple[SourceFile, ...]:
    return tuple(
        SourceFile(name.replace("__", "/").replace("_DOT_", "."), text.encode())
        for name, text in texts.items()
    )


def _compiled(language: str, files: tuple[SourceFile, ...], entry: str, *results: RunResult):
    engine = RecordingEngine(*results)
    compiled = compile(language=language, files=files, entry=entry, engine=engine)
    return compiled, engine.requests


def test_cpp_compiles_every_source_with_the_headers_beside_them():
    files = _files(main_DOT_cpp="int main(){}", add_DOT_cc="int add();", add_DOT_h="int add();")
    binary = SourceFile("main", b"\x7fELF", executable=True)
    compiled, (request,) = _compiled("cpp", files, "main.cpp", RunResult(Outcome.OK, files=(binary,)))
    assert request.argv[-3:] == ("main", "main.cpp", "add.cc")
    assert "-I." in request.argv and "add.h" not in request.argv
    assert request.files == files
    assert compiled.program == Program("cpp", (binary,))  # only the binary runs


def test_cpp_entry_in_a_folder_includes_from_that_folder():
    files = _files(src__main_DOT_c="int main(){}", src__util_DOT_h="")
    _, (request,) = _compiled("c", files, "src/main.c")
    assert "-Isrc" in request.argv and "src/main.c" in request.argv


def test_java_compiles_all_its_files_and_finds_main_in_the_entry():
    files = _files(
        Adder_DOT_java="final class Adder {}",
        Main_DOT_java="package app;\npublic class Main { public static void main(String[] a) {} }",
        notes_DOT_txt="not java",
    )
    _, (request,) = _compiled("java", files, "Main.java")
    line = request.argv[-1]
    assert "-d classes Main.java Adder.java &&" in line
    assert "--main-class app.Main" in line and "notes.txt" not in line


def test_names_in_a_shell_line_are_quoted():
    files = (SourceFile("Main.java", b"public class Main {}"), SourceFile("odd name;rm.java", b"class X {}"))
    _, (request,) = _compiled("java", files, "Main.java")
    assert "Main.java 'odd name;rm.java' &&" in request.argv[-1]


def test_python_runs_its_entry_with_the_other_files_beside_it():
    files = _files(solve_DOT_py="import helper", helper_DOT_py="", data_DOT_txt="1")
    compiled, (check,) = _compiled("python", files, "solve.py")
    assert check.argv[-2:] == ("solve.py", "helper.py")  # every module's syntax is checked
    assert compiled.program == Program("python", files, entry="solve.py")
    engine = RecordingEngine()
    execute(program=compiled.program, engine=engine)
    (request,) = engine.requests
    assert request.argv == ("python3", "-E", "-s", "-S", "solve.py")
    assert request.files == files


def test_a_language_that_finds_its_own_modules_is_given_only_the_entry():
    files = _files(main_DOT_rs="mod util; fn main(){}", util_DOT_rs="pub fn f(){}")
    _, (request,) = _compiled("rust", files, "main.rs")
    assert request.argv[-1] == "main.rs" and "util.rs" not in request.argv
    assert {f.name for f in request.files} == {"main.rs", "util.rs"}


def test_one_source_keeps_its_usual_name_and_a_lone_file_needs_no_entry():
    engine = RecordingEngine()
    compile(language="cpp", source="int main(){}", engine=engine)
    compile(language="cpp", files=_files(solution_DOT_cpp="int main(){}"), engine=engine)
    assert [r.files[0].name for r in engine.requests] == ["main.cpp", "solution.cpp"]
    assert engine.requests[1].argv[-1] == "solution.cpp"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "x", "files": _files(a_DOT_c="")}, "either one source or its files"),
        ({"files": _files(a_DOT_c="", b_DOT_c="")}, "the entry file '' is not one of"),
        ({"files": _files(a_DOT_c=""), "entry": "b.c"}, "the entry file 'b.c' is not one of"),
        ({"files": (SourceFile("a.c", b""), SourceFile("a.c", b"")), "entry": "a.c"}, "distinct names"),
    ],
)
def test_a_file_set_that_does_not_make_a_program_fails_before_the_engine(kwargs, message):
    engine = RecordingEngine()
    with pytest.raises(ValueError, match=message):
        compile(language="c", engine=engine, **kwargs)
    assert engine.requests == []


def test_a_build_script_builds_in_a_folder_that_comes_back_whole_then_run_runs():
    files = _files(build="#!/bin/sh\ng++ -o sum sum.cpp", run="#!/bin/sh\nexec ./sum", sum_DOT_cpp="")
    built = (
        SourceFile("program/run", b"#!/bin/sh\nexec ./sum", executable=True),
        SourceFile("program/sum", b"\x7fELF", executable=True),
    )
    compiled, (request,) = _compiled("", files, "", RunResult(Outcome.OK, files=built))
    assert request.image == language_get("cpp").image  # no language: the C/C++ image
    assert request.argv[:2] == ("sh", "-c") and request.argv[2].startswith("cd program && ./build")
    assert request.collect == ("program",)
    assert {f.name: f.executable for f in request.files} == {
        "program/build": True,
        "program/run": True,
        "program/sum.cpp": False,
    }
    assert [f.name for f in compiled.program.files] == ["run", "sum"]
    engine = RecordingEngine()
    run_files(program=compiled.program, files=(), argv_extra=("in", "ans", "feedback/"), engine=engine)
    assert engine.requests[0].argv == ("./run", "in", "ans", "feedback/")


def test_a_failed_build_is_a_compile_error_with_its_output():
    files = _files(build="#!/bin/sh\nexit 3", run="")
    failed = RunResult(Outcome.RE, exit_code=3, stdout=b"g++: error\n")
    compiled, _ = _compiled("cpp", files, "", failed)
    assert compiled.outcome == Outcome.CE and compiled.output.startswith("g++: error")


def test_a_run_script_alone_needs_no_compile_box():
    engine = RecordingEngine()
    compiled = compile(
        language="python", files=_files(run="#!/bin/sh\nexec python3 x.py", x_DOT_py=""), engine=engine
    )
    assert engine.requests == []
    assert compiled.program.argv == ("./run",) and compiled.program.language == "python"
    assert [f.executable for f in compiled.program.files] == [True, False]


# stored programs: bounds and paths


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("src/main.cpp", ""),
        ("testlib.h", ""),
        ("/etc/passwd", "relative, not absolute"),
        ("a/../../b", "climb out"),
        ("a\x00b", "NUL byte"),
        ("", "1 to 200 characters"),
        ("x" * 201, "1 to 200 characters"),
        ("a b.c", "letters, digits"),
        ("./a.c", "letters, digits"),
        ("a//b.c", "letters, digits"),
    ],
)
def test_program_paths(path, error):
    assert (error in program_path_error(path)) and (bool(program_path_error(path)) == bool(error))


def test_program_bounds():
    assert program_files_errors(entry="", source="x", files={}) == []
    assert program_files_errors(entry="a.c", source="x", files={"a.h": "y"}) == []
    assert program_files_errors(entry="", source="x", files={"a.h": "y"}) == [
        "a program of several files needs the name of its entry file"
    ]
    many = {f"f{i}.h": "" for i in range(PROGRAM_FILES_MAX)}
    assert program_files_errors(entry="a.c", source="", files=many) == [
        f"a program has at most {PROGRAM_FILES_MAX} files, not {PROGRAM_FILES_MAX + 1}"
    ]
    big = "x" * (PROGRAM_FILE_BYTES_MAX + 1)
    assert program_files_errors(entry="a.c", source="", files={"big.h": big}) == [
        f"big.h is {PROGRAM_FILE_BYTES_MAX + 1} bytes; a file of a program may have {PROGRAM_FILE_BYTES_MAX}"
    ]
    parts = {
        f"p{i}.h": "x" * PROGRAM_FILE_BYTES_MAX for i in range(PROGRAM_BYTES_MAX // PROGRAM_FILE_BYTES_MAX)
    }
    assert program_files_errors(entry="a.c", source="x", files=parts) == [
        f"a program's files may have {PROGRAM_BYTES_MAX} bytes together"
    ]
    assert program_files_errors(entry="a.c", source="", files={"b.h": "\x00"}) == [
        "b.h: contains NUL bytes, not text"
    ]
    assert program_files_errors(entry="a.c", source="", files=["b.h"]) == [
        "the program's other files must be a mapping of file names to their text"
    ]
    assert program_file_set(entry="a.c", source="x", files={"a.h": "y"}) == {"a.h": "y", "a.c": "x"}
    assert program_file_set(entry="", source="x", files={}) == {}


def test_include_file_bounds():
    assert include_files_errors(include_files={"default": {"lib.h": ""}, "python": {"lib.py": ""}}) == []
    assert include_files_errors(include_files={"cpp": {"../x.h": ""}}) == [
        "include files for cpp: file names may not climb out with '..': '../x.h'"
    ]
    assert include_files_errors(include_files={"cpp": "x"}) == [
        "include files must be a mapping of languages to {file name: text}"
    ]
