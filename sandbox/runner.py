"""Compile once, run many times: each step is its own run in its own fresh box."""

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import Language, language_get
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


def compile(  # noqa: A001 - the natural name for the public API
    *, language: str, source: bytes | str, limits: Limits = COMPILE_LIMITS, engine: Engine | None = None
) -> CompileResult:
    lang = language_get(language)
    data = source.encode() if isinstance(source, str) else source
    source_name, main = lang.source_for(data)
    src = SourceFile(source_name, data)
    if lang.compile_argv is None:
        return CompileResult(Outcome.OK, Program(lang.key, (src,)), "")
    request = RunRequest(
        image=lang.image,
        argv=tuple(_fill(arg, source=source_name, main=main) for arg in lang.compile_argv),
        files=(src,),
        limits=_with_processes(limits, lang),
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


def _fill(arg: str, **values: object) -> str:
    # Not str.format: argv may hold braces of its own (shell, inline code).
    for name, value in values.items():
        arg = arg.replace("{" + name + "}", str(value))
    return arg


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
    argv = tuple(_fill(arg, memory_mib=limits.memory // MiB) for arg in lang.run_argv) + argv_extra
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
