"""The exact edges of outcome_decide: the memory threshold for MLE on a signal and the CPU comparison."""

import signal

import pytest

from sandbox.outcomes import Decided, Observation, outcome_decide
from sandbox.protocol import End
from sandbox.types import Limits, MiB, Outcome

LIMITS = Limits(cpu_time=2.0, wall_time=5.0, memory=100 * MiB, output=1000)
THRESHOLD = 101_711_872  # 97 % of 100 MiB, exactly
SIGKILL = End("signal", signal.SIGKILL)


def seen(**changes) -> Observation:
    base = {
        "limits": LIMITS,
        "killed_for": None,
        "end": SIGKILL,
        "oom_killed": False,
        "cpu_time": 0.5,
        "memory": 10 * MiB,
        "wall_time": 0.6,
    }
    return Observation(**{**base, **changes})


@pytest.mark.parametrize(
    ("memory", "outcome"),
    [(THRESHOLD, Outcome.MLE), (THRESHOLD - 1, Outcome.RE), (THRESHOLD + 1, Outcome.MLE)],
)
def test_sigkill_counts_as_mle_from_97_percent_of_the_limit_on(memory, outcome):
    assert outcome_decide(seen(memory=memory)).outcome == outcome


def test_sigkill_at_exactly_the_cpu_limit_is_not_tle():
    decided = outcome_decide(seen(cpu_time=2.0))
    assert decided == Decided(Outcome.RE, signal=signal.SIGKILL, message="killed by SIGKILL")


def test_sigkill_just_over_the_cpu_limit_is_tle():
    decided = outcome_decide(seen(cpu_time=2.001))
    assert decided == Decided(Outcome.TLE, signal=signal.SIGKILL, message="CPU time limit (SIGKILL)")


def test_a_signal_other_than_sigkill_near_the_memory_limit_is_not_mle():
    decided = outcome_decide(seen(end=End("signal", signal.SIGSEGV), memory=THRESHOLD))
    assert decided == Decided(Outcome.RE, signal=signal.SIGSEGV, message="killed by SIGSEGV")


def test_stopped_because_the_interactor_finished_first():
    decided = outcome_decide(seen(killed_for="peer", end=None))
    assert decided == Decided(Outcome.RE, message="stopped: the interactor finished first")


@pytest.mark.parametrize(
    ("stderr", "reason"),
    [
        (b"\nOJERR cannot mount /box\n", "cannot mount /box"),  # the marker right at the start
        (b"noise\nOJERR bad \xff byte\n", "bad \ufffd byte"),
        (b"OJERR without its newline\n", "no status from the box"),
    ],
)
def test_box_failure_reason_comes_from_the_last_ojerr_line(stderr, reason):
    decided = outcome_decide(seen(end=None, stderr=stderr))
    assert decided == Decided(Outcome.IE, message=f"sandbox failure: {reason}")


def test_a_run_stopped_for_its_interactor_that_had_already_ended_keeps_its_own_status():
    assert outcome_decide(seen(killed_for="peer", end=End("exit", 0))) == Decided(Outcome.OK, exit_code=0)
