"""Compile once, run many times: each step is its own run in its own fresh box."""

from collections.abc import Callable
from dataclasses import replace

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import Language, argv_fill, language_get
from sandbox.outcomes import runtime_out_of_memory
from sandbox.types import (
    COMPILE_LIMITS,
    CompileResult,
    Limits,
    MiB,
    Outcome,
    Program,
    RunRequest,
    RunResult,
    SourceFile,
)

DEFAULT_LIMITS = Limits()
_COMPILE_FAILURES = {Outcome.RE, Outcome.TLE, Outcome.MLE, Outcome.OLE}
BUILD_SCRIPT, RUN_SCRIPT = "build", "run"  # Kattis: a program folder may bring its own build and run
_BUILD_DIR = "program"  # where a build script works, so that everything it leaves comes back (collect)
SCRIPTS_LANGUAGE = "cpp"  # a scripted program with no language builds in the C/C++ image


def compile(  # noqa: A001 - the natural name for the public API
    *,
    language: str,
    source: bytes | str | None = None,
    files: tuple[SourceFile, ...] = (),
    entry: str = "",
    limits: Limits = COMPILE_LIMITS,
    engine: Engine | None = None,
) -> CompileResult:
    """Compile one `source`, or a program of several `files` (paths relative to the work dir) whose
    `entry` is the file that is run or holds main (optional for one file). What each language compiles
    of a file set is its compile argv's business (sandbox/languages.py). A file set with a top-level
    `build` script is built by that script instead, and one with a `run` script is run by it (the
    Kattis convention); `language` may then be "" (the C/C++ image)."""
    if source is None and {f.name for f in files} & {BUILD_SCRIPT, RUN_SCRIPT}:
        return _scripted(language=language, files=files, limits=limits, engine=engine)
    lang = language_get(language)
    files, entry, main = _program_files(lang, source=source, files=files, entry=entry)
    run_entry = "" if entry == lang.source_name else entry  # "": the usual name, as in a one-source Program
    if lang.compile_argv is None:
        return CompileResult(Outcome.OK, Program(lang.key, files, entry=run_entry), "")
    request = RunRequest(
        image=lang.image,
        argv=lang.compile_command(entry=entry, names=tuple(f.name for f in files), main=main),
        files=files,
        limits=_with_processes(limits, lang),
        collect=lang.artifacts,
        merge_stderr=True,
    )
    result = (engine or engine_get()).run(request)
    kept = files if lang.keep_source else ()
    return _compile_result(result, lambda built: Program(lang.key, built + kept, entry=run_entry))


def _program_files(
    lang: Language, *, source: bytes | str | None, files: tuple[SourceFile, ...], entry: str
) -> tuple[tuple[SourceFile, ...], str, str]:
    """(files, entry, main class): one source gets the language's usual file name."""
    if source is not None:
        if files:
            raise ValueError("give a program either one source or its files, not both")
        data = source.encode() if isinstance(source, str) else source
        name, main = lang.source_for(data)
        return (SourceFile(name, data),), name, main
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise ValueError("a program's files need distinct names")
    entry = entry or (names[0] if len(names) == 1 else "")
    found = next((f for f in files if f.name == entry), None)
    if found is None:
        raise ValueError(f"the entry file {entry!r} is not one of the program's files")
    return tuple(files), entry, lang.source_for(found.data)[1]


def _compile_result(result: RunResult, program: Callable[[tuple[SourceFile, ...]], Program]) -> CompileResult:
    output = (result.stdout + result.stderr).decode(errors="replace")
    if result.outcome == Outcome.IE:
        return CompileResult(Outcome.IE, None, result.message, result)
    if result.outcome in _COMPILE_FAILURES:
        reason = result.message or f"compiler ended with {result.outcome}"
        return CompileResult(Outcome.CE, None, (output + "\n" + reason).strip(), result)
    return CompileResult(Outcome.OK, program(tuple(result.files)), output, result)


def _scripted(*, language: str, files: tuple[SourceFile, ...], limits: Limits, engine: Engine | None):
    """A Kattis program folder with its own scripts: `build` runs in a compile box (in the folder
    `program/`, brought back whole), then `run` is the program; with only `run`, nothing is built."""
    lang = language_get(language or SCRIPTS_LANGUAGE)
    names = {f.name for f in files}
    if BUILD_SCRIPT not in names:
        return CompileResult(Outcome.OK, _script_program(lang, files), "")
    check_run = f"test -f {RUN_SCRIPT} || {{ echo 'the build script left no run script' >&2; exit 1; }}"
    request = RunRequest(
        image=lang.image,
        argv=("sh", "-c", f"cd {_BUILD_DIR} && ./{BUILD_SCRIPT} || exit $?; {check_run}"),
        files=tuple(replace(_executable(f), name=f"{_BUILD_DIR}/{f.name}") for f in files),
        limits=_with_processes(limits, lang),
        collect=(_BUILD_DIR,),
        merge_stderr=True,
    )
    result = (engine or engine_get()).run(request)
    prefix = _BUILD_DIR + "/"

    def program(built: tuple[SourceFile, ...]) -> Program:
        return _script_program(lang, tuple(replace(f, name=f.name[len(prefix) :]) for f in built))

    return _compile_result(result, program)


def _executable(file: SourceFile) -> SourceFile:
    return replace(file, executable=True) if file.name in (BUILD_SCRIPT, RUN_SCRIPT) else file


def _script_program(lang: Language, files: tuple[SourceFile, ...]) -> Program:
    executable = tuple(_executable(f) for f in files)
    return Program(lang.key, executable, entry=RUN_SCRIPT, argv=(f"./{RUN_SCRIPT}",))


def _with_processes(limits: Limits, lang: Language) -> Limits:
    return limits.with_(processes=max(limits.processes, lang.processes))


def program_request(
    *,
    program: Program,
    limits: Limits,
    files: tuple[SourceFile, ...] = (),
    argv_extra: tuple[str, ...] = (),
    stdin: bytes = b"",
    collect: tuple[str, ...] = (),
) -> RunRequest:
    """The request that runs a compiled program: its language's argv and image, plus the runtime's
    memory overhead on top of the problem's limit (the argv's `{memory_mib}` gets the limit itself) and
    its floor of processes (see sandbox/languages.py)."""
    lang = language_get(program.language)
    values = {"memory_mib": limits.memory // MiB, "entry": program.entry or lang.source_name}
    argv = tuple(argv_fill(arg, **values) for arg in program.argv or lang.run_argv) + argv_extra
    return RunRequest(
        image=lang.image,
        argv=argv,
        files=program.files + files,
        stdin=stdin,
        limits=_with_processes(limits, lang).with_(memory=limits.memory + lang.memory_overhead),
        collect=collect,
    )


def execute(
    *, program: Program, stdin: bytes = b"", limits: Limits = DEFAULT_LIMITS, engine: Engine | None = None
) -> RunResult:
    request = program_request(program=program, limits=limits, stdin=stdin)
    return _judged(program, limits, (engine or engine_get()).run(request))


def _judged(program: Program, limits: Limits, result: RunResult) -> RunResult:
    markers = language_get(program.language).oom_markers
    return runtime_out_of_memory(result, memory=limits.memory, markers=markers)


def run(
    *,
    language: str,
    source: bytes | str,
    stdin: bytes = b"",
    limits: Limits = DEFAULT_LIMITS,
    engine: Engine | None = None,
) -> tuple[CompileResult, RunResult | None]:
    """Compile then execute once; the run is None when the compile did not succeed."""
    compiled = compile(language=language, source=source, engine=engine)
    if not compiled.ok:
        return compiled, None
    return compiled, execute(program=compiled.program, stdin=stdin, limits=limits, engine=engine)


def run_files(
    *,
    program: Program,
    files: tuple[SourceFile, ...],
    argv_extra: tuple[str, ...] = (),
    stdin: bytes = b"",
    limits: Limits = DEFAULT_LIMITS,
    collect: tuple[str, ...] = (),
    engine: Engine | None = None,
) -> RunResult:
    """Run a program with extra files beside it (checkers: input, answer, output)."""
    request = program_request(
        program=program, limits=limits, files=files, argv_extra=argv_extra, stdin=stdin, collect=collect
    )
    return _judged(program, limits, (engine or engine_get()).run(request))
