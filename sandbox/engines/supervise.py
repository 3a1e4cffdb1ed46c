"""What every engine does the same way once a box has ended: from the captured streams and the
kernel's counters to one RunResult (the outcome rules themselves are in sandbox/outcomes.py)."""

import threading
import time
from collections.abc import Callable

from sandbox import protocol
from sandbox.cgroups import RunCgroup
from sandbox.outcomes import Observation, outcome_decide
from sandbox.protocol import End
from sandbox.types import ACCEPT_EXIT, Outcome, PairResult, RunRequest, RunResult


def result_build(
    *,
    request: RunRequest,
    nonce: str,
    stdout: protocol.CappedBuffer,
    stderr: protocol.CappedBuffer,
    killed_for: str | None,
    oom_killed: bool,
    cgroup: RunCgroup,
    wall: float,
    timings: dict[str, float],
) -> RunResult:
    limits = request.limits
    files, out = protocol.split_artifacts(stdout.data, nonce) if request.collect else ((), stdout.data)
    end, err = protocol.split_status(stderr.data, nonce)
    err = err[: limits.output]  # the buffer kept room for boxinit's status line only
    seen = Observation(
        limits=limits,
        killed_for=killed_for,
        end=end,
        oom_killed=oom_killed,
        cpu_time=cgroup.cpu_seconds() or 0.0,
        memory=cgroup.memory_bytes(),
        wall_time=wall,
        stderr=err,
    )
    decided = outcome_decide(seen)
    return RunResult(
        outcome=decided.outcome,
        exit_code=decided.exit_code,
        signal=decided.signal,
        cpu_time=round(seen.cpu_time, 4),
        wall_time=round(wall, 4),
        memory=seen.memory,
        stdout=out,
        stderr=err,
        files=files,
        message=decided.message,
        timings=timings,
    )


# Wall time the program is not charged per chunk relayed between the pair: the host's relay (Docker's
# attach stream, the runtime's pipes) adds its latency to every message, more on a loaded machine.
RELAY_SECONDS = 0.005


class Relay:
    """One box's side of the host: when it started and when its program ended, as seen where its
    streams arrive (monotonic clock), and for an interactive pair what it forwards to its partner.

    The end is when boxinit saw the program end (its status line carries the time; the host's clock is
    the same CLOCK_MONOTONIC), else the first thing boxinit writes after it: the files it sends back
    or its status line, so never the container's teardown. A box killed from outside ends with its
    streams."""

    def __init__(self, request: RunRequest, nonce: str):
        self._nonce = nonce
        self._status = f"\nOJEND {nonce} ".encode()
        self._artifacts = f"OJART {nonce}\n".encode() if request.collect else None
        self._err_tail = self._out_tail = b""
        self._reported = False
        self._in_files = False  # past boxinit's marker: what follows are its files, not the program's output
        self.started: float | None = None
        self.ended: float | None = None
        self.cpu = 0.0  # the latest CPU reading, kept for the partner once the cgroup is gone
        self.chunks = 0  # stdout chunks forwarded
        self.on_end: Callable[[End | None], None] | None = None  # gets the status, once, in the relay thread
        self.credit: Callable[[], float] = lambda: 0.0  # wall seconds spent waiting on the partner

    def begin(self) -> None:
        self.started = time.monotonic()

    def wall_used(self) -> float:
        return time.monotonic() - (self.started or time.monotonic()) - self.credit()

    def out(self, payload: bytes) -> bytes:
        """Every stdout chunk comes here; returns what of it is the program's output, for the partner
        (not boxinit's files after it; of a marker split across chunks the first part has gone).
        Not cut at the status line: stdout and stderr travel apart, so a program's last output can
        arrive after the status that says it ended."""
        if self._in_files:
            return b""
        if self._artifacts is not None:
            seen = self._out_tail + payload
            self._out_tail = seen[-len(self._artifacts) :]
            if self._artifacts in seen:
                self._in_files = True
                self._mark()
                return payload[: max(0, payload.find(self._artifacts))]
        self.chunks += 1
        return payload

    def err(self, payload: bytes) -> None:
        if self._reported:
            return
        seen = self._err_tail + payload
        at = seen.find(self._status)
        if at < 0:
            self._err_tail = seen[-len(self._status) :]
        elif b"\n" in seen[at + len(self._status) :]:
            self._report(protocol.split_status(seen[at:], self._nonce)[0])
        else:
            self._err_tail = seen[at:]  # the rest of the status line is on its way

    def eof(self) -> None:
        self._report(None)

    def _mark(self) -> None:
        if self.ended is None:
            self.ended = time.monotonic()

    def _report(self, status: End | None) -> None:
        self._mark()
        if status is not None and status.at is not None:
            self.ended = status.at  # boxinit's own clock reading: exact, where the relay's can lag
        if not self._reported:
            self._reported = True
            if self.on_end is not None:
                self.on_end(status)


def _program_waited(program: Relay, interactor: Relay, *, most: float) -> float:
    """Wall time the program spent on the interactor, up to `most`: until the interactor's box
    started, the interactor's CPU time (an interpreter starting up, the interactor thinking) and the
    relay's latency. A program waiting for an interactor that waits too earns none: the wall limit
    catches it."""
    now = time.monotonic()
    start_gap = max(0.0, (interactor.started or interactor.ended or now) - (program.started or now))
    relayed = RELAY_SECONDS * (program.chunks + interactor.chunks)
    return min(most, start_gap + interactor.cpu + relayed)


def _program_ran(program: Relay) -> float:
    """The interactor waits on a running program as long as the program's own limits allow."""
    now = time.monotonic()
    return (program.ended or now) - (program.started or now)


def pair_run(program, interactor, guarded) -> PairResult:
    """Two runs (objects with a `relay` and `stop(reason)`) whose stdout feeds the other's stdin;
    `guarded(run)` runs one to its RunResult. Who ended first is decided by the relays' end times.
    CPU time decides TLE; the wall limits only catch a box that waits forever, so the program's wall
    clock leaves out its waits on the interactor, and the interactor's the program's run.
    If the interactor ends with anything but acceptance, the program is stopped: its verdict is
    already decided; if either box fails to run at all, the other is stopped."""
    runs = {"program": program, "interactor": interactor}
    results: dict[str, RunResult] = {}
    program.relay.credit = lambda: _program_waited(
        program.relay, interactor.relay, most=interactor.limits.wall
    )
    interactor.relay.credit = lambda: _program_ran(program.relay)

    def interactor_ended(status: End | None) -> None:
        if program.relay.ended is None and status != End("exit", ACCEPT_EXIT):
            program.stop("peer")

    interactor.relay.on_end = interactor_ended

    def go(name: str) -> None:
        results[name] = guarded(runs[name])
        runs[name].relay.eof()  # a box that never started ends here
        other = runs["interactor" if name == "program" else "program"]
        if results[name].outcome == Outcome.IE and other.relay.ended is None:
            other.stop("peer")

    threads = [threading.Thread(target=go, args=(name,), daemon=True) for name in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first = min(runs, key=lambda name: runs[name].relay.ended)
    return PairResult(program=results["program"], interactor=results["interactor"], first=first)
