"""One container for one run: made with `runc create` (namespaces, mounts, cgroups, seccomp all set up,
the box user's init waiting to exec boxinit), started once by its run, destroyed after.

The box keeps the pipes it was created with as its stdin/stdout/stderr (the runtime's pass-through
mode): no runtime process stays between the box and the host, so the streams end when the box does.
"""

import contextlib
import os
import secrets
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.cgroups import RunCgroup
from sandbox.engines.oci.config import config_json
from sandbox.errors import SandboxError
from sandbox.types import RunRequest

ID_PREFIX = "ojoci-"
RUNTIME_TIMEOUT = 30.0  # seconds for one runtime command (create, start, kill, delete)
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


@dataclass
class Box:
    id: str
    bundle: Path
    cgroup: RunCgroup
    made: float = field(default_factory=time.monotonic)
    stdin: int | None = None  # the host's ends of the box's pipes
    stdout: int | None = None
    stderr: int | None = None

    def close_pipes(self) -> None:
        for name in ("stdin", "stdout", "stderr"):
            if (fd := getattr(self, name)) is not None:
                setattr(self, name, None)
                os.close(fd)


def box_id() -> str:
    """A fresh id that names the worker owning it, so a sweep can tell a dead worker's boxes."""
    return f"{ID_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"


def box_create(engine, request: RunRequest, rootfs: Path) -> Box:
    """A created, never started box for `request` (its argv and limits; files and stdin come later)."""
    name = box_id()
    box = Box(name, engine.state_dir / "bundles" / name, RunCgroup(name=name, version=engine.cgroup_version))
    try:
        box.cgroup.create()
        box.cgroup.limit_memory(request.limits.memory)
        box.cgroup.oom_watch()
        box.bundle.mkdir(mode=0o700)
        (box.bundle / "config.json").write_text(config_json(engine.config(request, rootfs, box.cgroup)))
        _runtime_create(engine, box)
    except BaseException:
        with contextlib.suppress(SandboxError):  # the create's failure is the one to tell
            box_destroy(engine, box)
        raise
    return box


def _runtime_create(engine, box: Box) -> None:
    box_in, box.stdin = os.pipe()
    box.stdout, box_out = os.pipe()
    box.stderr, box_err = os.pipe()
    try:
        argv = engine.runtime_argv("create", "--bundle", str(box.bundle), box.id)
        code = runtime_call(argv, stdin=box_in, stdout=box_out, stderr=box_err, cwd=box.bundle)
    finally:
        for fd in (box_in, box_out, box_err):
            os.close(fd)
    # Whatever is in the pipes now was written by the runtime, never by the program: keep it out.
    said = (_pending(box.stderr) + _pending(box.stdout)).decode(errors="replace").strip()
    if code != 0:
        # No program ran yet: a create that fails is the runtime's failure, an outage while it lasts.
        message = f"the runtime could not create box {box.id} (exit {code}): {said[-400:]}"
        engine.failures.failed("runtime", message)
        raise SandboxError(message)
    engine.failures.worked("runtime")


def runtime_call(argv: list[str], **popen) -> int:
    """Run a runtime command to its end, within RUNTIME_TIMEOUT; its exit code. Waits on a pidfd:
    subprocess's own wait with a timeout polls in sleeps that double up to 50 ms, which cost a run
    as much as the command itself."""
    proc = subprocess.Popen(argv, **popen)
    pidfd = os.pidfd_open(proc.pid)
    try:
        poll = select.poll()
        poll.register(pidfd, select.POLLIN)
        if not poll.poll(RUNTIME_TIMEOUT * 1000):
            proc.kill()
    finally:
        os.close(pidfd)
    return proc.wait()


def _pending(fd: int) -> bytes:
    os.set_blocking(fd, False)
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    return b"".join(chunks)


def box_start(engine, box: Box) -> None:
    """Let the box's init exec boxinit. runc's init waits for a reader of the exec.fifo in the box's
    state dir, and `runc start` is that read and the fifo's removal: done here, it costs no runtime
    process (a Go program's start-up is a third of a run's overhead). Other runtimes are asked."""
    fifo = engine.state_dir / "runtime" / box.id / "exec.fifo"
    if engine.runtime_name == "runc" and fifo.exists():
        _fifo_start(box, fifo)
        return
    if (code := runtime_call(engine.runtime_argv("start", box.id), stdout=subprocess.DEVNULL)) != 0:
        message = f"the runtime could not start box {box.id} (exit {code})"
        engine.failures.failed("runtime", message)
        raise SandboxError(message)


def _fifo_start(box: Box, fifo: Path) -> None:
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        poll = select.poll()
        poll.register(fd, select.POLLIN)
        # No POLLHUP before a writer first opens a fifo: this waits for the box's init, or times out.
        if not poll.poll(RUNTIME_TIMEOUT * 1000) or os.read(fd, 1) != b"0":
            raise SandboxError(f"box {box.id} did not start: its init is gone")
    finally:
        os.close(fd)
    fifo.unlink()


def box_kill(engine, box: Box) -> None:
    """SIGKILL the box; through its cgroups when the runtime can't (it is down): its processes are this
    engine's to end all the same, and a run past its limits must not wait for the runtime to return."""
    if runtime_call(engine.runtime_argv("kill", box.id, "KILL"), **QUIET) != 0:
        box.cgroup.kill(wait=0)


def box_destroy(engine, box: Box) -> None:
    """Everything of the box: the runtime's container, its bundle dir and the per-run cgroups.
    A box whose every process has left (its cgroup dirs then go) is a stopped container, and all
    `runc delete` still does for one is remove its state dir: done here, without a runtime process.
    Any other (a spare never started, a box still dying) the runtime kills and deletes. Raises when
    the runtime could not (it is down): the box is left whole, to be destroyed again later."""
    box.close_pipes()
    box.cgroup.remove()
    state = engine.state_dir / "runtime" / box.id
    if state.exists() and (box.cgroup.remains() or engine.runtime_name != "runc"):
        code = runtime_call(engine.runtime_argv("delete", "-f", box.id), **QUIET)
        if code != 0:
            box.cgroup.kill()  # the runtime is down: end the box's processes through its cgroups
        box.cgroup.remove()
        if code != 0 and (box.cgroup.remains() or engine.runtime_name != "runc"):
            message = f"the runtime could not delete box {box.id} (exit {code})"
            engine.failures.failed("runtime", message)
            raise SandboxError(message)
    if state.exists() and engine.runtime_name == "runc":
        shutil.rmtree(state, ignore_errors=True)  # stopped (by now, if its last process was leaving)
    shutil.rmtree(box.bundle, ignore_errors=True)
