"""What every engine does the same way once a box has ended: from the captured streams and the
kernel's counters to one RunResult (the outcome rules themselves are in sandbox/outcomes.py)."""

import threading

from sandbox import protocol
from sandbox.cgroups import RunCgroup
from sandbox.outcomes import Observation, outcome_decide
from sandbox.types import ACCEPT_EXIT, PairResult, RunRequest, RunResult


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


def pair_run(program, interactor, guarded) -> PairResult:
    """Two runs (objects with `stop(reason)`) whose stdout feeds the other's stdin; `guarded(run)` runs
    one to its RunResult. If the interactor ends first with anything but acceptance, the program is
    stopped: its verdict is already decided."""
    runs = {"program": program, "interactor": interactor}
    results: dict[str, RunResult] = {}
    order: list[str] = []

    def go(name: str) -> None:
        results[name] = guarded(runs[name])
        order.append(name)
        if name == "interactor" and results[name].exit_code != ACCEPT_EXIT:
            runs["program"].stop("peer")

    threads = [threading.Thread(target=go, args=(name,), daemon=True) for name in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return PairResult(program=results["program"], interactor=results["interactor"], first=order[0])
