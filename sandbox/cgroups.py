"""The kernel's own accounting of a run, read from the host.

Each run's container is placed under a parent cgroup made for that run alone. The parent's
counters are hierarchical, so they still hold the run's CPU time and peak memory after Docker has
removed the container's own cgroup. Works with cgroup v1 (cpuacct + memory controllers) and v2.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("OJ_CGROUP_ROOT", "/sys/fs/cgroup"))
PARENT = "ojudge"


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

    @property
    def parent(self) -> str:
        return f"/{PARENT}/{self.name}"

    def _dirs(self) -> list[Path]:
        if self.version == 2:
            return [self.root / PARENT / self.name]
        return [c / PARENT / self.name for c in sorted(self.root.iterdir()) if (c / "tasks").exists()]

    def create(self) -> None:
        if self.version == 2:
            _enable_v2_controllers(self.root)
        for name in ("memory", "cpuacct", "pids") if self.version == 1 else ("",):
            (self.root / name / PARENT / self.name).mkdir(parents=True, exist_ok=True)

    def cpu_seconds(self) -> float | None:
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

    def remove(self) -> None:
        for path in self._dirs():
            _rmdir_tree(path)


def _enable_v2_controllers(root: Path) -> None:
    parent = root / PARENT
    parent.mkdir(exist_ok=True)
    for path in (root, parent):
        try:
            (path / "cgroup.subtree_control").write_text("+cpu +memory +pids")
        except OSError:
            pass  # already on, or delegated elsewhere; Docker reports a real problem on create


def _rmdir_tree(path: Path) -> None:
    if not path.is_dir():
        return
    for child in path.iterdir():
        if child.is_dir():
            _rmdir_tree(child)
    try:
        path.rmdir()
    except OSError:
        pass  # a process is still leaving; the sweep in DockerEngine.check() retries


def cgroup_version(root: Path = ROOT) -> int:
    return 2 if (root / "cgroup.controllers").exists() else 1


def cgroup_sweep(root: Path = ROOT, *, older_than: float = 3600) -> int:
    """Remove leftover per-run cgroups of runs that died with their worker; returns how many remain.
    Only old ones: a fresh, empty one may belong to a run that is starting right now."""
    left, cutoff = 0, time.time() - older_than
    for base in [root / PARENT] + [c / PARENT for c in root.iterdir() if (c / "tasks").exists()]:
        for run in base.iterdir() if base.is_dir() else []:
            if run.is_dir() and run.stat().st_mtime < cutoff:
                _rmdir_tree(run)
                left += run.exists()
    return left
