"""Interactive problems: the program and the interactor (a Kattis output validator run as
`interactor input answer feedback_dir`) talk through pipes, each in its own box.

Verdicts follow the Kattis rules: an interactor that ends first with a rejection gives WA even if
the program then hangs or crashes; a program that fails (TLE, RE, MLE, OLE) gets that verdict otherwise;
an interactor that crashes or ends without 42/43 is the judge's fault (IE), unless the program had
already failed. "First" is when each box saw its program end, not when its container was torn down;
CPU time decides TLE, and the program's wall clock leaves out its waits on the interactor
(sandbox/engines/supervise.py pair_run).
"""

from dataclasses import dataclass, replace

from sandbox.checkers import FEEDBACK_DIR, VALIDATOR_ARGS, feedback_message, feedback_read, validator_files
from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.languages import language_get
from sandbox.outcomes import runtime_out_of_memory
from sandbox.runner import program_request
from sandbox.types import ACCEPT_EXIT, REJECT_EXIT, Limits, MiB, Outcome, PairResult, Program, RunResult

INTERACTOR_LIMITS = Limits(cpu_time=10.0, wall_time=30.0, memory=512 * MiB, output=64 * MiB)


@dataclass(frozen=True)
class Interaction:
    outcome: Outcome  # the program's outcome; OK means the interactor had its say (see `accepted`)
    accepted: bool
    message: str
    program: RunResult
    interactor: RunResult
    failed: bool = False  # the interactor or the sandbox broke: IE


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
    interactor_request = program_request(
        program=interactor,
        limits=interactor_limits,
        files=validator_files(input_data=input_data, answer=answer),
        argv_extra=VALIDATOR_ARGS,
        collect=(FEEDBACK_DIR,),
    )
    pair = (engine or engine_get()).run_pair(
        program_request(program=program, limits=limits), interactor_request
    )
    markers = language_get(program.language).oom_markers
    judged = runtime_out_of_memory(pair.program, memory=limits.memory, markers=markers)
    return interaction_decide(replace(pair, program=judged))


def interaction_decide(pair: PairResult) -> Interaction:
    program, interactor = pair.program, pair.interactor
    message = feedback_message(feedback_read(interactor))

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
