import signal

import pytest

from sandbox.outcomes import Decided, Observation, outcome_decide
from sandbox.protocol import End
from sandbox.types import Limits, MiB, Outcome

LIMITS = Limits(cpu_time=2.0, wall_time=5.0, memory=100 * MiB, output=1000)
EXIT_0 = End("exit", 0)


def seen(end: End | None = EXIT_0, **changes) -> Observation:
    base = {
        "limits": LIMITS,
        "killed_for": None,
        "end": end,
        "oom_killed": False,
        "cpu_time": 0.5,
        "memory": 10 * MiB,
        "wall_time": 0.6,
    }
    return Observation(**{**base, **changes})


# the host stopped the run


def test_killed_for_output():
    assert outcome_decide(seen(killed_for="output")) == Decided(Outcome.OLE, message="output over 1000 bytes")


def test_killed_for_cpu():
    assert outcome_decide(seen(killed_for="cpu")) == Decided(Outcome.TLE, message="CPU time over 2 s")


def test_killed_for_wall():
    decided = outcome_decide(seen(killed_for="wall", end=None))
    assert decided == Decided(Outcome.TLE, message="wall time over 5 s (sleeping or blocked?)")


def test_killed_for_wall_uses_the_default_wall_limit():
    decided = outcome_decide(seen(killed_for="wall", limits=Limits(cpu_time=1.0)))
    assert decided.outcome == Outcome.TLE
    assert "wall time over 4 s" in decided.message


def test_host_kill_wins_over_what_the_box_reported():
    decided = outcome_decide(seen(killed_for="output", end=End("signal", signal.SIGKILL), oom_killed=True))
    assert decided.outcome == Outcome.OLE


# no status line from boxinit


def test_no_status_and_oom_is_mle():
    decided = outcome_decide(seen(end=None, oom_killed=True))
    assert decided == Decided(Outcome.MLE, message="memory limit: the box was killed by the OOM killer")


def test_no_status_without_oom_is_internal_error():
    decided = outcome_decide(seen(end=None, stderr=b"some output"))
    assert decided == Decided(Outcome.IE, message="sandbox failure: no status from the box")


def test_no_status_with_ojerr_message_is_internal_error_with_the_reason():
    decided = outcome_decide(seen(end=None, stderr=b"program noise\nOJERR bad header\n"))
    assert decided == Decided(Outcome.IE, message="sandbox failure: bad header")


def test_no_status_uses_the_last_ojerr():
    decided = outcome_decide(seen(end=None, stderr=b"\nOJERR first\n\nOJERR second: errno 28\n"))
    assert decided.message == "sandbox failure: second: errno 28"


# boxinit reported


def test_execfail_is_internal_error():
    decided = outcome_decide(seen(end=End("execfail", 2)))
    assert decided == Decided(Outcome.IE, message="the box could not start the program (errno 2)")


def test_sigxcpu_is_tle():
    decided = outcome_decide(seen(end=End("signal", signal.SIGXCPU), cpu_time=1.9))
    assert decided == Decided(Outcome.TLE, signal=signal.SIGXCPU, message="CPU time limit (SIGXCPU)")


def test_any_signal_over_the_cpu_limit_is_tle():
    decided = outcome_decide(seen(end=End("signal", signal.SIGKILL), cpu_time=2.1, memory=99 * MiB))
    assert decided == Decided(Outcome.TLE, signal=signal.SIGKILL, message="CPU time limit (SIGKILL)")


@pytest.mark.parametrize(("memory", "oom"), [(100 * MiB, False), (98 * MiB, False), (10 * MiB, True)])
def test_sigkill_near_the_memory_limit_is_mle(memory, oom):
    decided = outcome_decide(seen(end=End("signal", signal.SIGKILL), memory=memory, oom_killed=oom))
    assert decided == Decided(Outcome.MLE, signal=signal.SIGKILL, message="memory limit")


def test_sigkill_far_from_memory_and_under_cpu_is_runtime_error():
    decided = outcome_decide(seen(end=End("signal", signal.SIGKILL), memory=90 * MiB, cpu_time=1.0))
    assert decided == Decided(Outcome.RE, signal=signal.SIGKILL, message="killed by SIGKILL")


def test_sigxfsz_is_runtime_error():
    decided = outcome_decide(seen(end=End("signal", signal.SIGXFSZ)))
    assert decided == Decided(Outcome.RE, signal=signal.SIGXFSZ, message="file size limit (SIGXFSZ)")


def test_sigsegv_is_runtime_error():
    decided = outcome_decide(seen(end=End("signal", signal.SIGSEGV)))
    assert decided == Decided(Outcome.RE, signal=signal.SIGSEGV, message="killed by SIGSEGV")


def test_unknown_signal_number_is_named_by_number():
    decided = outcome_decide(seen(end=End("signal", 77)))
    assert decided == Decided(Outcome.RE, signal=77, message="killed by signal 77")


def test_exit_zero_over_cpu_is_tle():
    decided = outcome_decide(seen(cpu_time=2.5))
    assert decided == Decided(Outcome.TLE, exit_code=0, message="CPU time over 2 s")


def test_exit_zero_exactly_at_the_cpu_limit_is_ok():
    assert outcome_decide(seen(cpu_time=2.0)) == Decided(Outcome.OK, exit_code=0)


def test_exit_zero_is_ok():
    assert outcome_decide(seen()) == Decided(Outcome.OK, exit_code=0)


def test_exit_three_is_runtime_error():
    assert outcome_decide(seen(end=End("exit", 3))) == Decided(Outcome.RE, exit_code=3, message="exit code 3")


def test_exit_zero_with_oom_kill_is_mle():
    decided = outcome_decide(seen(oom_killed=True))
    assert decided == Decided(Outcome.MLE, exit_code=0, message="memory limit: a process was OOM-killed")
