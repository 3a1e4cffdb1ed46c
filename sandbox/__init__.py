"""Run untrusted programs in a fresh, locked-down box per run.

Public API (the rest of the project uses only these names):
    compile(language=, source=)             -> CompileResult (with a Program to run many times)
    compile(language=, files=, entry=)      -> the same for a program of several files (or Kattis
                                               build/run scripts)
    execute(program=, stdin=, limits=)      -> RunResult, one fresh box per call
    run(language=, source=, stdin=, limits=) -> RunResult of compile + execute
    test_judge(program=, input_data=, answer=, limits=, check=) -> TestJudged: one test run and checked
    language_versions()                     -> {language key: version, "" when its image is missing}
"""

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.errors import EngineUnavailable, ImageBuildError, ImageMissing, SandboxError
from sandbox.host.signing import SIGNATURE_HEADER, HostKey, host_key_id, token_hash
from sandbox.interactive import Interaction, interact
from sandbox.judging import NO_INTERACTOR, Check, JudgingPlan, TestJudged, test_judge
from sandbox.languages import LANGUAGES, Language, language_get
from sandbox.runner import BUILD_SCRIPT, RUN_SCRIPT, SCRIPTS_LANGUAGE, compile, execute, run, run_files
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


def language_versions(*, max_age: float = 0.0) -> dict[str, str]:
    """sandbox.images.language_versions, imported when first asked: `python -m sandbox.images` must be
    the first to import that module."""
    from sandbox.images import language_versions as versions

    return versions(max_age=max_age)


__all__ = [
    "BUILD_SCRIPT",
    "Check",
    "COMPILE_LIMITS",
    "LANGUAGES",
    "CompileResult",
    "Engine",
    "HostKey",
    "EngineUnavailable",
    "ImageBuildError",
    "ImageMissing",
    "Interaction",
    "Language",
    "Limits",
    "NO_INTERACTOR",
    "MiB",
    "Outcome",
    "Program",
    "RUN_SCRIPT",
    "RunRequest",
    "RunResult",
    "SCRIPTS_LANGUAGE",
    "SIGNATURE_HEADER",
    "SandboxError",
    "SourceFile",
    "TestJudged",
    "JudgingPlan",
    "compile",
    "engine_get",
    "execute",
    "host_key_id",
    "interact",
    "language_get",
    "language_versions",
    "run",
    "run_files",
    "test_judge",
    "token_hash",
]
