"""From what the host saw of a run to exactly one outcome."""

import signal as signals
from dataclasses import dataclass, replace

from sandbox.protocol import End
from sandbox.types import Limits, MiB, Outcome, RunResult


@dataclass(frozen=True)
class Observation:
    limits: Limits
    killed_for: str | None  # "cpu" | "wall" | "output" | "peer" when the host stopped the run
    end: End | None  # boxinit's report; None when the box died before it could write one
    oom_killed: bool
    cpu_time: float
    memory: int
    wall_time: float
    stderr: bytes = b""


@dataclass(frozen=True)
class Decided:
    outcome: Outcome
    exit_code: int | None = None
    signal: int | None = None
    message: str = ""


def _signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"signal {number}"


# A runtime's own out-of-memory error counts as MLE once the run's peak reached this share of the limit;
# below it (one absurd allocation refused at once) the run stays RE.
RUNTIME_OOM_NEAR = 0.5


def runtime_out_of_memory(result: RunResult, *, memory: int, markers: tuple[bytes, ...]) -> RunResult:
    """A managed runtime that hits its heap cap (the problem's limit, `memory`) ends with its own error,
    not the kernel's OOM kill: a failed run whose stderr holds one of the language's markers is MLE."""
    if result.outcome != Outcome.RE or result.memory < memory * RUNTIME_OOM_NEAR:
        return result
    if not any(marker in result.stderr for marker in markers):
        return result
    return replace(
        result, outcome=Outcome.MLE, message=f"memory limit: the runtime's {memory // MiB} MiB heap is full"
    )


def _near_memory_limit(seen: Observation) -> bool:
    return seen.oom_killed or seen.memory >= seen.limits.memory * 0.97


def outcome_decide(seen: Observation) -> Decided:
    if seen.killed_for == "output":
        return Decided(Outcome.OLE, message=f"output over {seen.limits.output} bytes")
    if seen.killed_for == "cpu":
        return Decided(Outcome.TLE, message=f"CPU time over {seen.limits.cpu_time:g} s")
    if seen.killed_for == "wall":
        return Decided(Outcome.TLE, message=f"wall time over {seen.limits.wall:g} s (sleeping or blocked?)")
    if seen.killed_for == "peer" and seen.end is None:  # with a status, it ended on its own first
        return Decided(Outcome.RE, message="stopped: the interactor finished first")
    if seen.end is None:
        return _no_status(seen)
    if seen.end.kind == "execfail":
        return Decided(Outcome.IE, message=f"the box could not start the program (errno {seen.end.value})")
    if seen.end.kind == "signal":
        return _signalled(seen, seen.end.value)
    return _exited(seen, seen.end.value)


def _no_status(seen: Observation) -> Decided:
    if seen.oom_killed:
        return Decided(Outcome.MLE, message="memory limit: the box was killed by the OOM killer")
    at = seen.stderr.rfind(b"\nOJERR ")
    reason = seen.stderr[at + 7 :].decode(errors="replace").strip() if at >= 0 else "no status from the box"
    return Decided(Outcome.IE, message=f"sandbox failure: {reason}")


def _signalled(seen: Observation, number: int) -> Decided:
    name = _signal_name(number)
    if number == signals.SIGXCPU or seen.cpu_time > seen.limits.cpu_time:
        return Decided(Outcome.TLE, signal=number, message=f"CPU time limit ({name})")
    if number == signals.SIGKILL and _near_memory_limit(seen):
        return Decided(Outcome.MLE, signal=number, message="memory limit")
    if number == signals.SIGXFSZ:
        return Decided(Outcome.RE, signal=number, message="file size limit (SIGXFSZ)")
    return Decided(Outcome.RE, signal=number, message=f"killed by {name}")


def _exited(seen: Observation, code: int) -> Decided:
    if seen.cpu_time > seen.limits.cpu_time:
        return Decided(Outcome.TLE, exit_code=code, message=f"CPU time over {seen.limits.cpu_time:g} s")
    if seen.oom_killed:
        return Decided(Outcome.MLE, exit_code=code, message="memory limit: a process was OOM-killed")
    if code == 0:
        return Decided(Outcome.OK, exit_code=0)
    return Decided(Outcome.RE, exit_code=code, message=f"exit code {code}")
