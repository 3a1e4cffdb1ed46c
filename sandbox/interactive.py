"""Interactive problems: the program and the interactor (a Kattis output validator run as
`interactor input answer feedback_dir`) talk through pipes, each in its own box.

Verdicts follow the Kattis rules: an interactor that ends first with a rejection gives WA even if
the program then hangs; a program that fails (TLE, RE, MLE, OLE) gets that verdict otherwise; an
interactor that crashes or ends without 42/43 is the judge's fault (IE).
"""

from dataclasses import dataclass

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import language_get
from sandbox.types import (
    ACCEPT_EXIT,
    REJECT_EXIT,
    Limits,
    MiB,
    Outcome,
    PairResult,
    Program,
    RunRequest,
    RunResult,
    SourceFile,
)

INTERACTOR_LIMITS = Limits(cpu_time=10.0, wall_time=30.0, memory=512 * MiB, output=64 * MiB)


@dataclass(frozen=True)
class Interaction:
    outcome: Outcome  # the program's outcome; OK means the interactor had its say (see `accepted`)
    accepted: bool
    message: str
    program: RunResult
    interactor: RunResult
    failed: bool = False  # the interactor or the sandbox broke: IE


def _argv(program: Program, limits: Limits) -> tuple[str, ...]:
    memory_mib = limits.memory // MiB
    return tuple(arg.format(memory_mib=memory_mib) for arg in language_get(program.language).run_argv)


def _request(program: Program, limits: Limits, **extra) -> RunRequest:
    lang = language_get(program.language)
    box_limits = limits.with_(memory=limits.memory + lang.memory_overhead)
    files = program.files + extra.pop("files", ())
    argv = _argv(program, limits) + extra.pop("argv_extra", ())
    return RunRequest(image=lang.image, argv=argv, files=files, limits=box_limits, **extra)


def interact(
    *,
    program: Program,
    interactor: Program,
    input_data: bytes,
    answer: bytes,
    limits: Limits,
    interactor_limits: Limits = INTERACTOR_LIMITS,
    engine: Engine | None = None,
) -> Interaction:
    files = (
        SourceFile("judge/input", input_data),
        SourceFile("judge/answer", answer),
        SourceFile("judge/feedback/.keep", b""),
    )
    interactor_request = _request(
        interactor,
        interactor_limits,
        files=files,
        argv_extra=("judge/input", "judge/answer", "judge/feedback/"),
        collect=("judge/feedback",),
    )
    pair = (engine or engine_get()).run_pair(_request(program, limits), interactor_request)
    return interaction_decide(pair)


def _message(result: RunResult) -> str:
    feedback = {f.name.rsplit("/", 1)[-1]: f.data for f in result.files}
    return feedback.get("judgemessage.txt", b"").decode(errors="replace").strip()[:2000]


def interaction_decide(pair: PairResult) -> Interaction:
    program, interactor = pair.program, pair.interactor
    message = _message(interactor)

    def done(outcome: Outcome, accepted: bool, text: str = message, failed: bool = False) -> Interaction:
        return Interaction(outcome, accepted, text, program, interactor, failed)

    if program.outcome == Outcome.IE or interactor.outcome == Outcome.IE:
        return done(Outcome.IE, False, program.message or interactor.message, failed=True)
    judged = interactor.exit_code in (ACCEPT_EXIT, REJECT_EXIT)
    if pair.first == "interactor" and interactor.exit_code == REJECT_EXIT:
        return done(Outcome.OK, False)
    if not judged and (pair.first == "interactor" or program.outcome == Outcome.OK):
        # It broke on its own (the program was stopped because of it, or had done nothing wrong).
        reason = interactor.message or f"exit code {interactor.exit_code}"
        return done(Outcome.IE, False, f"interactor failed: {interactor.outcome} {reason}", failed=True)
    if program.outcome != Outcome.OK:
        return done(program.outcome, False, program.message)
    return done(Outcome.OK, interactor.exit_code == ACCEPT_EXIT)
