"""Compile once, run many times: each step is its own run in its own fresh box."""

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import Language, language_get
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
    memory overhead on top of the problem's limit (the argv's `{memory_mib}` gets the limit itself)."""
    lang = language_get(program.language)
    argv = tuple(arg.format(memory_mib=limits.memory // MiB) for arg in lang.run_argv) + argv_extra
    return RunRequest(
        image=lang.image,
        argv=argv,
        files=program.files + files,
        stdin=stdin,
        limits=limits.with_(memory=limits.memory + lang.memory_overhead),
        collect=collect,
    )


def execute(
    *, program: Program, stdin: bytes = b"", limits: Limits = DEFAULT_LIMITS, engine: Engine | None = None
) -> RunResult:
    request = program_request(program=program, limits=limits, stdin=stdin)
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
    request = program_request(
        program=program, limits=limits, files=files, argv_extra=argv_extra, stdin=stdin, collect=collect
    )
    return (engine or engine_get()).run(request)
