"""What the host must look like after real sandbox runs, whichever engine ran them: the engine still
answers, the runs' boxes were seen and are gone, no box-user process is left, and host files are
untouched. Shared by the hostile corpus, every language and the interactive tests (all marked `docker`).

Each engine's boxes are found the way an operator would look, not through the engine's own bookkeeping:
DockerEngine's by Docker's create events and container list, OciEngine's by the runtime's container
list, the bundle dirs and the per-run cgroups named after this process.
"""

import hashlib
import os
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

from sandbox.cgroups import ROOT, cgroup_parents
from sandbox.engines.docker import DockerEngine
from sandbox.engines.oci import ID_PREFIX, OciEngine
from sandbox.engines.oci.engine import STATE_DIR as OCI_STATE_DIR
from sandbox.engines.oci.pool import pools_drain

BOX_UID = "10000"
RUN_LABEL = "ojudge.run"
LEFTOVER_GRACE_SECONDS = 5.0
CONTAINER_ID = re.compile(r"[0-9a-f]{64}")
OCI_MINE = f"{ID_PREFIX}{os.getpid()}-"  # this process's OCI boxes (a box id names its owner's pid)


def created_between(client, since: float, until: float) -> set[str]:
    """IDs of Docker run containers created in the window, whoever created them."""
    # The engine takes seconds.nanoseconds (all nine digits); an `until` in the future would block.
    events = client.events(
        since=f"{since - 0.5:.9f}",
        until=f"{until:.9f}",
        decode=True,
        filters={"type": "container", "event": "create", "label": RUN_LABEL},
    )
    return {event["id"] for event in events}


def box_processes(ours, *, unboxed: bool = True) -> list[str]:
    """Box-user processes in a box of ours (`ours(cgroup_text)` says), or in no box at all (an escape),
    unless not `unboxed`: where other processes may be running boxes of their own making meanwhile."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text().splitlines()
            cgroups = (proc / "cgroup").read_text()
        except OSError:  # the process ended while we looked
            continue
        uids = next((line.split()[1:] for line in status if line.startswith("Uid:")), [])
        if "State:\tZ" in "\n".join(status):
            continue  # ended, not reaped yet: a box's init is reparented to pid 1, which reaps when it may
        boxed = CONTAINER_ID.search(cgroups) or f"/{ID_PREFIX}" in cgroups
        if BOX_UID in uids and ((unboxed and not boxed) or (boxed and ours(cgroups))):
            found.append(f"pid {proc.name} {status[0]} in {cgroups.strip()[-90:] if boxed else 'no box'}")
    return found


def oci_leftovers(engine: OciEngine, mine: str = OCI_MINE) -> list[str]:
    """The runtime containers, bundle dirs and per-run cgroups named `mine…` that are still there.
    Containers are the runtime's state dirs, not `runc list`, which fails while another create is
    half-way (its dir has no state.json yet)."""
    found = [f"container {path.name}" for path in (engine.state_dir / "runtime").glob(f"{mine}*")]
    found += [f"bundle {path.name}" for path in (engine.state_dir / "bundles").glob(f"{mine}*")]
    found += [f"cgroup {path}" for base in cgroup_parents(ROOT) for path in base.glob(f"{mine}*")]
    return found


def boxes_on_host(client) -> set[str]:
    """Every run box on this host, whoever made it: Docker's run containers, and OciEngine's (in the
    default state dir) by their runtime state and their per-run cgroups."""
    found = {box["Id"] for box in client.api.containers(all=True, filters={"label": RUN_LABEL})}
    found |= {path.name for path in (OCI_STATE_DIR / "runtime").glob(f"{ID_PREFIX}*")}
    return found | {path.name for base in cgroup_parents(ROOT) for path in base.glob(f"{ID_PREFIX}*")}


class _DockerWatch:
    def __init__(self, engine: DockerEngine):
        self.client = engine.client
        self.started = time.time()

    def runs_seen(self) -> set[str]:
        self.client.ping()
        self.ours = created_between(self.client, self.started, time.time())
        return self.ours

    def left(self) -> list[str]:
        # One list call, no per-container inspect: a container removed meanwhile must not raise.
        listed = self.client.api.containers(all=True, filters={"label": RUN_LABEL})
        left = [
            f"container {c['Names'][0]} {c['Status']} {c['Command']!r}"
            for c in listed
            if c["Id"] in self.ours
        ]
        return left + box_processes(self._ours)

    def _ours(self, cgroups: str) -> bool:
        return (found := CONTAINER_ID.search(cgroups)) is not None and found.group(0) in self.ours


class _OciWatch:
    """Counts the boxes the engine hands to runs (a spy on box_get) only to know that runs happened;
    what is left is looked up on the host."""

    def __init__(self, engine: OciEngine, monkeypatch):
        self.engine, self.boxes = engine, set()
        box_get = engine.box_get

        def spied(request):
            box, spare = box_get(request)
            self.boxes.add(box.id)
            return box, spare

        monkeypatch.setattr(engine, "box_get", spied)

    def runs_seen(self) -> set[str]:
        pools_drain()  # spare boxes made ahead, and removals still in flight, of every OciEngine here
        return self.boxes

    def left(self) -> list[str]:
        return oci_leftovers(self.engine) + box_processes(lambda cgroups: f"/{OCI_MINE}" in cgroups)


def _watch(engine, monkeypatch):
    if isinstance(engine, OciEngine):
        return _OciWatch(engine, monkeypatch)
    if isinstance(engine, DockerEngine):
        return _DockerWatch(engine)
    raise TypeError(f"no host checks for {type(engine).__name__}")


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@contextmanager
def host_checked(engine, tmp_path: Path, monkeypatch):
    """Run the block on `engine`, then check the host. The block must start at least one sandbox run:
    a leftover check that saw no run would pass whatever was left."""
    canary = tmp_path / "canary"
    canary.write_bytes(secrets.token_bytes(64))
    before = {path: _fingerprint(path) for path in (canary, Path("/etc/passwd"))}
    watch = _watch(engine, monkeypatch)
    yield
    seen = watch.runs_seen()
    assert seen, f"no {type(engine).__name__} run happened during the test: the host checks see nothing"
    deadline = time.monotonic() + LEFTOVER_GRACE_SECONDS
    while (left := watch.left()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"left behind on the host: {left}"
    after = {path: _fingerprint(path) for path in before}
    assert after == before, "a host file changed during the run"
