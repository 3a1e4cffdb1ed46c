"""What the host must look like after real sandbox runs: the engine still answers, the runs' containers
were seen and are gone, no box-user process is left, and host files are untouched. Shared by the hostile
corpus and the interactive tests (both marked `docker`)."""

import hashlib
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

BOX_UID = "10000"
RUN_LABEL = "ojudge.run"
LEFTOVER_GRACE_SECONDS = 5.0
CONTAINER_ID = re.compile(r"[0-9a-f]{64}")


def created_between(client, since: float, until: float) -> set[str]:
    """IDs of run containers created in the window, whoever created them."""
    # The engine takes seconds.nanoseconds (all nine digits); an `until` in the future would block.
    events = client.events(
        since=f"{since - 0.5:.9f}",
        until=f"{until:.9f}",
        decode=True,
        filters={"type": "container", "event": "create", "label": RUN_LABEL},
    )
    return {event["id"] for event in events}


def box_processes(ours: set[str]) -> list[str]:
    """Box-user processes of our containers, or of no container at all (an escape)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text().splitlines()
            cgroups = (proc / "cgroup").read_text()
        except OSError:  # the process ended while we looked
            continue
        uids = next((line.split()[1:] for line in status if line.startswith("Uid:")), [])
        container = CONTAINER_ID.search(cgroups)
        if BOX_UID in uids and (container is None or container.group(0) in ours):
            found.append(
                f"pid {proc.name} {status[0]} in {container.group(0)[:12] if container else 'no container'}"
            )
    return found


def leftovers(client, ours: set[str]) -> tuple[list[str], list[str]]:
    """Our run containers and box processes still there after a short grace period.

    Only containers created while the test ran count, so that another process judging on the same
    engine (a worker, another suite) doesn't fail this one; run alone, that is every run container.
    """
    deadline = time.monotonic() + LEFTOVER_GRACE_SECONDS
    while True:
        # One list call, no per-container inspect: a container removed meanwhile must not raise.
        listed = client.api.containers(all=True, filters={"label": RUN_LABEL})
        containers = [f"{c['Names'][0]} {c['Status']} {c['Command']!r}" for c in listed if c["Id"] in ours]
        processes = box_processes(ours)
        if not (containers or processes) or time.monotonic() > deadline:
            return containers, processes
        time.sleep(0.2)


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@contextmanager
def host_checked(client, tmp_path: Path):
    """Run the block, then check the host. The block must start at least one sandbox run: without the
    run's containers in the engine's events the leftover check would pass whatever was left."""
    canary = tmp_path / "canary"
    canary.write_bytes(secrets.token_bytes(64))
    before = {path: _fingerprint(path) for path in (canary, Path("/etc/passwd"))}
    started = time.time()
    yield
    client.ping()
    ours = created_between(client, started, time.time())
    assert ours, f"no container labelled {RUN_LABEL} was created during the test: the host checks see nothing"
    containers, processes = leftovers(client, ours)
    assert not containers, f"run containers left behind: {containers}"
    assert not processes, f"box-user processes left on the host: {processes}"
    after = {path: _fingerprint(path) for path in before}
    assert after == before, "a host file changed during the run"
