"""Compile once, run many times: each step is its own run in its own fresh box."""

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import Language, language_get
from sandbox.types import (
    COMPILE_LIMITS,
    CompileResult,
    Limits,
    Outcome,
    Program,
    RunRequest,
    RunResult,
    SourceFile,
)

DEFAULT_LIMITS = Limits()
_COMPILE_FAILURES = {Outcome.RE, Outcome.TLE, Outcome.MLE, Outcome.OLE}


def compile(  # noqa: A001 - the natural name for the public API
    *, language: str, source: bytes | str, limits: Limits = COMPILE_LIMITS, engine: Engine | None = None
) -> CompileResult:
    lang = language_get(language)
    data = source.encode() if isinstance(source, str) else source
    src = SourceFile(lang.source_name, data)
    if lang.compile_argv is None:
        return CompileResult(Outcome.OK, Program(lang.key, (src,)), "")
    request = RunRequest(
        image=lang.image,
        argv=lang.compile_argv,
        files=(src,),
        limits=limits,
        collect=lang.artifacts,
        merge_stderr=True,
    )
    result = (engine or engine_get()).run(request)
    return _compile_result(lang, src, result)


def _compile_result(lang: Language, src: SourceFile, result: RunResult) -> CompileResult:
    output = (result.stdout + result.stderr).decode(errors="replace")
    if result.outcome == Outcome.IE:
        return CompileResult(Outcome.IE, None, result.message, result)
    if result.outcome in _COMPILE_FAILURES:
        reason = result.message or f"compiler ended with {result.outcome}"
        return CompileResult(Outcome.CE, None, (output + "\n" + reason).strip(), result)
    files = tuple(result.files) + ((src,) if lang.keep_source else ())
    return CompileResult(Outcome.OK, Program(lang.key, files), output, result)


def execute(
    *, program: Program, stdin: bytes = b"", limits: Limits = DEFAULT_LIMITS, engine: Engine | None = None
) -> RunResult:
    lang = language_get(program.language)
    box_limits = limits.with_(memory=limits.memory + lang.memory_overhead)
    argv = tuple(arg.format(memory_mib=limits.memory // (1024 * 1024)) for arg in lang.run_argv)
    request = RunRequest(image=lang.image, argv=argv, files=program.files, stdin=stdin, limits=box_limits)
    return (engine or engine_get()).run(request)


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
    lang = language_get(program.language)
    argv = tuple(arg.format(memory_mib=limits.memory // (1024 * 1024)) for arg in lang.run_argv) + argv_extra
    request = RunRequest(
        image=lang.image,
        argv=argv,
        files=program.files + files,
        stdin=stdin,
        limits=limits.with_(memory=limits.memory + lang.memory_overhead),
        collect=collect,
    )
    return (engine or engine_get()).run(request)
