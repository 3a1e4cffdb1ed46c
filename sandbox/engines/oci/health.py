"""Why an OciEngine cannot make boxes now, cheaply enough to ask after every failed judging and at every
heartbeat (no box is made): what the host lacks (a few stat calls and one `runtime --version`), and the
last failure of the runtime itself or of Docker, which only making a box would show."""

import os
import subprocess
import time
from pathlib import Path

FAILURE_HOLD = float(os.environ.get("OJ_OCI_FAILURE_HOLD", "5"))  # seconds a part's failure counts as down
PROBE_TIMEOUT = 2.0  # seconds for `runtime --version`; a runtime that hangs on it is down


class Failures:
    """The last failure of each of the engine's own parts ("runtime": a box it could not create or
    delete, "images": a root filesystem it could not look up or export) until that part works again,
    and for `hold` seconds at most: while the engine counts as down nothing makes boxes, so nothing
    would find out that the part is back; after the hold a judging tries again, and gives its
    submission back if it still fails. No lock: each update is one dict operation (so a forked child
    cannot inherit a lock held by a thread it does not have)."""

    def __init__(self, hold: float = FAILURE_HOLD):
        self.hold = hold
        self._last: dict[str, tuple[float, str]] = {}

    def failed(self, part: str, message: str) -> None:
        self._last[part] = (time.monotonic(), message)

    def worked(self, part: str) -> None:
        self._last.pop(part, None)

    def problem(self) -> str:
        now = time.monotonic()
        held = [(now - at, message) for at, message in list(self._last.values()) if now - at < self.hold]
        return "; ".join(f"{message} ({ago:.1f} s ago)" for ago, message in held)


def dirs_problem(*paths: Path) -> str:
    """The first of `paths` that cannot be written (or made, for one that does not exist yet: the engine
    makes its dirs when it first runs). As root, only a read-only or immutable file system says no."""
    for path in paths:
        there = next(p for p in (path, *path.parents) if p.exists())
        if not os.access(there, os.W_OK | os.X_OK):
            needed = "" if there == path else f" (to make {path})"
            return f"{there} is not writable{needed}"
    return ""


def runtime_problem(binary: str) -> str:
    """Whether the runtime binary is still there and runs at all: `--version` costs one process
    (a few ms), no container."""
    if not os.access(binary, os.X_OK):
        return f"the runtime {binary} is gone or not executable"
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, timeout=PROBE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the runtime {binary} does not run: {exc}"
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-300:]
        return f"the runtime {binary} fails (`--version` exits {done.returncode}): {said}"
    return ""
