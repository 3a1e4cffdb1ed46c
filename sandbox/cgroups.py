"""The kernel's own accounting of a run, read from the host.

Each run's container is placed under a parent cgroup made for that run alone. The parent's
counters are hierarchical, so they still hold the run's CPU time and peak memory after Docker has
removed the container's own cgroup. Works with cgroup v1 (cpuacct + memory controllers) and v2.
"""

import os
import re
import secrets
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(os.environ.get("OJ_CGROUP_ROOT", "/sys/fs/cgroup"))
PARENT = "ojudge"
DEADLINED = re.compile(r"^d(\d{9,11})-[0-9a-f]+$")  # a run name with the epoch second it is over by


def run_name(deadline: float) -> str:
    """A per-run cgroup name that says when the run is over for sure, so a sweep may remove it if the
    worker that made it died: the same deadline the container carries as a label."""
    return f"d{int(deadline)}-{secrets.token_hex(6)}"


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _read_cpu_stat_usec(path: Path) -> int | None:
    try:
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value)
    except (OSError, ValueError):
        return None
    return None


@dataclass
class RunCgroup:
    """The per-run parent cgroup; `parent` is what Docker takes as `cgroup_parent`."""

    name: str
    version: int
    root: Path = ROOT
    peak_seen: int = 0
    cpu_base: float = 0.0  # seconds of CPU already used at cpu_mark()
    _oom_events: int | None = field(default=None, repr=False)  # v1: an eventfd the kernel signals on OOM
    _hierarchies: list[Path] | None = field(default=None, repr=False)

    @property
    def parent(self) -> str:
        return f"/{PARENT}/{self.name}"

    def _dirs(self) -> list[Path]:
        if self._hierarchies is None:  # a dozen stats each time on v1: once per run is enough
            self._hierarchies = cgroup_parents(self.root)
        return [base / self.name for base in self._hierarchies]

    def create(self) -> None:
        if self.version == 2:
            _enable_v2_controllers(self.root)
        for name in ("memory", "cpuacct", "pids") if self.version == 1 else ("",):
            (self.root / name / PARENT / self.name).mkdir(parents=True, exist_ok=True)

    def limit_memory(self, limit: int) -> None:
        """Memory and swap limits on the per-run parent itself, so that an OOM kill is counted here
        (`oom_kills`) and not only in the runtime's own cgroup, which is gone by the time we look."""
        if self.version == 2:
            base = self.root / PARENT / self.name
            settings = (("memory.max", limit), ("memory.swap.max", 0))
        else:
            base = self.root / "memory" / PARENT / self.name
            settings = (("memory.limit_in_bytes", limit), ("memory.memsw.limit_in_bytes", limit))
        for name, value in settings:
            try:
                (base / name).write_text(str(value))
            except FileNotFoundError:
                pass  # no swap accounting on this kernel: the runtime's own limit still holds

    def cpu_seconds(self) -> float | None:
        """CPU time used in the run's cgroups since `cpu_mark()` (since they were made, without one)."""
        used = self._cpu_used()
        return None if used is None else max(0.0, used - self.cpu_base)

    def cpu_mark(self) -> None:
        """Count CPU time from now on: what the runtime's own init spent setting a box up ahead of its
        run (namespaces, mounts, the seccomp filter: some 20 ms) is not the program's."""
        self.cpu_base = self._cpu_used() or 0.0

    def _cpu_used(self) -> float | None:
        if self.version == 2:
            usec = _read_cpu_stat_usec(self.root / PARENT / self.name / "cpu.stat")
            return None if usec is None else usec / 1e6
        nsec = _read_int(self.root / "cpuacct" / PARENT / self.name / "cpuacct.usage")
        return None if nsec is None else nsec / 1e9

    def memory_bytes(self) -> int:
        """Peak resident memory (incl. page cache and tmpfs writes) since the run began."""
        if self.version == 2:
            base = self.root / PARENT / self.name
            value = _read_int(base / "memory.peak") or _read_int(base / "memory.current")
        else:
            value = _read_int(self.root / "memory" / PARENT / self.name / "memory.max_usage_in_bytes")
        # memory.current (old v2 kernels) is only a sample: keep the largest one seen while polling.
        self.peak_seen = max(self.peak_seen, value or 0)
        return self.peak_seen

    def oom_watch(self) -> None:
        """Start counting OOM kills under this parent. v2's memory.events is hierarchical; v1 counts a kill
        only in the victim's own cgroup (the runtime's, gone when we look), so ask for an OOM eventfd."""
        if self.version == 2:
            return
        base = self.root / "memory" / PARENT / self.name
        events = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        try:
            control = os.open(base / "memory.oom_control", os.O_RDONLY | os.O_CLOEXEC)
            try:
                (base / "cgroup.event_control").write_text(f"{events} {control}")
            finally:
                os.close(control)
        except OSError:
            os.close(events)  # no OOM events on this kernel: MLE then rests on the peak near the limit
            return
        self._oom_events = events

    def oom_kills(self) -> int:
        """How many times the run met the OOM killer (needs `oom_watch` first on v1)."""
        if self.version == 1:
            try:
                return os.eventfd_read(self._oom_events) if self._oom_events is not None else 0
            except BlockingIOError:
                return 0
        try:
            lines = (self.root / PARENT / self.name / "memory.events").read_text().splitlines()
            return next((int(line.split()[1]) for line in lines if line.startswith("oom_kill ")), 0)
        except (OSError, ValueError, IndexError):
            return 0

    def remove(self) -> None:
        """Every directory of the run, in every hierarchy: on a hybrid host the runtime also makes one
        under the unified (v2) mount beside the v1 controllers, and leaves it when it removes its own."""
        if self._oom_events is not None:
            os.close(self._oom_events)
            self._oom_events = None
        for path in self._dirs():
            _rmdir_tree(path)

    def kill(self, *, wait: float = 2.0) -> int:
        """SIGKILL every process still in the run's cgroups, and wait up to `wait` seconds for them to
        leave: for a box whose owner died before the runtime knew of it (no state left to delete it
        by), its init still waiting. Returns how many processes there were."""
        pids = set()
        for base in self._dirs():
            for folder, _, _ in os.walk(base):
                try:
                    pids.update(int(pid) for pid in Path(folder, "cgroup.procs").read_text().split())
                except (OSError, ValueError):
                    continue  # gone meanwhile
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while pids and self._has_processes() and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(pids)

    def _has_processes(self) -> bool:
        for base in self._dirs():
            for folder, _, _ in os.walk(base):
                try:
                    if Path(folder, "cgroup.procs").read_text().strip():
                        return True
                except OSError:
                    continue
        return False

    def remains(self) -> bool:
        """Is any directory of the run still there (a process of it has not left yet)?"""
        return any(path.exists() for path in self._dirs())


def _enable_v2_controllers(root: Path) -> None:
    parent = root / PARENT
    parent.mkdir(exist_ok=True)
    for path in (root, parent):
        try:
            (path / "cgroup.subtree_control").write_text("+cpu +memory +pids")
        except OSError:
            pass  # already on, or delegated elsewhere; Docker reports a real problem on create


def _rmdir_tree(path: Path) -> None:
    # scandir's d_type, not a stat per entry: a v1 memory cgroup dir holds some 30 control files.
    try:
        children = [entry.path for entry in os.scandir(path) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return  # gone already
    for child in children:
        _rmdir_tree(Path(child))
    try:
        path.rmdir()
    except OSError:
        pass  # a process is still leaving; the sweep in DockerEngine.check() retries


def cgroup_parents(root: Path) -> list[Path]:
    """Our parent dir in every hierarchy: the root itself on v2; each v1 controller plus, on a hybrid
    host, the unified mount (it has cgroup.procs but no `tasks`)."""
    if cgroup_version(root) == 2:
        return [root / PARENT]
    try:
        hierarchies = sorted(root.iterdir())
    except OSError:
        return []
    return [c / PARENT for c in hierarchies if (c / "tasks").exists() or (c / "cgroup.controllers").exists()]


def cgroup_mode(root: Path = ROOT) -> str:
    """ "v2", "v1 hybrid" (v1 controllers, v2 mounted beside at `unified`) or "v1"."""
    if cgroup_version(root) == 2:
        return "v2"
    return "v1 hybrid" if (root / "unified" / "cgroup.controllers").exists() else "v1"


def cgroup_version(root: Path = ROOT) -> int:
    return 2 if (root / "cgroup.controllers").exists() else 1


def cgroup_sweep(root: Path = ROOT, *, older_than: float = 3600, now: float | None = None) -> int:
    """Remove leftover per-run cgroups of runs that died with their worker; returns how many remain.
    A name with a deadline (`run_name`) goes once it is past; any other only when old by mtime: a fresh,
    empty one may belong to a run that is starting right now."""
    now = time.time() if now is None else now
    left, cutoff = 0, now - older_than
    for base in cgroup_parents(root):
        for run in base.iterdir() if base.is_dir() else []:
            if run.is_dir() and _over(run, now=now, cutoff=cutoff):
                _rmdir_tree(run)
                left += run.exists()
    return left


def _over(run: Path, *, now: float, cutoff: float) -> bool:
    if match := DEADLINED.match(run.name):
        return int(match.group(1)) < now
    try:
        return run.stat().st_mtime < cutoff
    except OSError:
        return False
