"""Verdict rules of interactive runs, from synthetic results of the two boxes."""

import pytest

from sandbox.interactive import interaction_decide
from sandbox.types import Outcome, PairResult, RunResult, SourceFile


def _interactor(exit_code: int | None, outcome: Outcome = Outcome.RE, message: bytes = b"") -> RunResult:
    files = (SourceFile("judge/feedback/judgemessage.txt", message),) if message else ()
    return RunResult(outcome, exit_code=exit_code, files=files)


def _decide(program: RunResult, interactor: RunResult, first: str):
    return interaction_decide(PairResult(program=program, interactor=interactor, first=first))


OK = RunResult(Outcome.OK, exit_code=0)
STOPPED = RunResult(Outcome.RE, message="stopped: the interactor finished first")


def test_accepted_when_both_end_well():
    done = _decide(OK, _interactor(42, message=b"found in 3"), "interactor")
    assert (done.outcome, done.accepted, done.message, done.failed) == (Outcome.OK, True, "found in 3", False)


def test_interactor_rejecting_first_is_wrong_answer_even_if_the_program_was_stopped():
    done = _decide(STOPPED, _interactor(43), "interactor")
    assert (done.outcome, done.accepted, done.failed) == (Outcome.OK, False, False)


@pytest.mark.parametrize("outcome", [Outcome.TLE, Outcome.RE, Outcome.MLE, Outcome.OLE])
def test_program_failing_first_keeps_its_own_verdict(outcome):
    done = _decide(RunResult(outcome), _interactor(43), "program")
    assert (done.outcome, done.accepted) == (outcome, False)


def test_program_hanging_after_acceptance_is_time_limit_exceeded():
    done = _decide(RunResult(Outcome.TLE), _interactor(42), "interactor")
    assert done.outcome == Outcome.TLE


@pytest.mark.parametrize("first", ["interactor", "program"])
def test_crashed_interactor_is_an_internal_error(first):
    program = STOPPED if first == "interactor" else OK
    done = _decide(program, _interactor(1), first)
    assert done.failed and done.outcome == Outcome.IE
    assert "interactor failed" in done.message


def test_sandbox_failure_is_an_internal_error():
    done = _decide(RunResult(Outcome.IE, message="docker: gone"), _interactor(42), "program")
    assert done.failed and "docker: gone" in done.message


def test_program_ending_well_first_then_rejected_is_wrong_answer():
    done = _decide(OK, _interactor(43, message=b"wrong"), "program")
    assert (done.outcome, done.accepted, done.message, done.failed) == (Outcome.OK, False, "wrong", False)


def test_program_failing_after_acceptance_keeps_its_verdict():
    done = _decide(RunResult(Outcome.RE, exit_code=3), _interactor(42), "interactor")
    assert (done.outcome, done.accepted) == (Outcome.RE, False)


def test_program_failing_first_keeps_its_verdict_though_the_interactor_then_broke():
    done = _decide(RunResult(Outcome.RE, exit_code=3), _interactor(1), "program")
    assert (done.outcome, done.failed) == (Outcome.RE, False)


def test_interactor_killed_for_its_limits_first_is_an_internal_error():
    done = _decide(STOPPED, _interactor(None, Outcome.TLE), "interactor")
    assert done.failed and done.outcome == Outcome.IE
