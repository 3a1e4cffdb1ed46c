"""The OCI engine: a fresh runc (or crun) container per run, with no dockerd on the hot path.

Docker is asked only for an image's root filesystem, once per image content hash: it is exported into
a cache dir and shared, read-only, by every run. Each run gets its own container id, bundle dir (just
its config.json) and per-run parent cgroup, and speaks the same boxinit protocol as DockerEngine over
the runtime's plain stdin/stdout/stderr pipes. All of it is deleted after the run; what a worker that
died mid-run left behind is removed by `OciEngine.sweep()`, which runs when the engine starts.
"""

import json
import logging
import math
import os
import platform
import queue
import re
import secrets
import selectors
import shutil
import subprocess
import threading
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

import docker
import docker.errors

from sandbox import protocol
from sandbox.cgroups import ROOT as CGROUP_ROOT
from sandbox.cgroups import RunCgroup, cgroup_mode, cgroup_parents, cgroup_sweep, cgroup_version
from sandbox.engines.base import Engine
from sandbox.engines.docker import BOX_UID, ENV, POLL_SECONDS
from sandbox.engines.supervise import Relay, pair_run, result_build
from sandbox.errors import EngineUnavailable, ImageMissing, SandboxError
from sandbox.images import HASH_LABEL, images_status
from sandbox.seccomp import seccomp_profile
from sandbox.types import MiB, Outcome, PairResult, RunRequest, RunResult

log = logging.getLogger(__name__)

STATE_DIR = Path(os.environ.get("OJ_OCI_STATE", "/run/ojudge-oci"))  # runtime state + bundles (tmpfs)
CACHE_DIR = Path(os.environ.get("OJ_OCI_CACHE", "/var/cache/ojudge/oci"))  # exported root filesystems
ID_PREFIX = "ojoci-"
_RUN_ID = re.compile(rf"{ID_PREFIX}(\d+)-[0-9a-f]+")
_KEY = re.compile(r"[0-9a-f]{12,128}")
IMAGE_TTL = 30.0  # seconds an image tag -> rootfs answer is trusted before Docker is asked again
KILL_RETRY, KILL_GIVE_UP = 0.5, 10.0
MOUNTPOINTS = ("box", "tmp", "proc", "dev", "sys")
MASKED = (
    "/proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats "
    "/proc/sched_debug /proc/scsi /sys/firmware /sys/devices/virtual/powercap"
).split()
READONLY = "/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger".split()
NAMESPACES = ("pid", "network", "ipc", "uts", "mount", "cgroup")
_ARCH = {"x86_64": "SCMP_ARCH_X86_64", "aarch64": "SCMP_ARCH_AARCH64"}


@cache
def runtime_pick() -> tuple[str | None, str]:
    """The runtime binary to use, or None, and why in words."""
    mode = cgroup_mode()
    crun, runc = shutil.which("crun"), shutil.which("runc")
    if mode == "v2" and crun:
        return crun, f"crun {_version(crun)}, cgroup {mode}"
    if runc:
        return runc, f"runc {_version(runc)}, cgroup {mode}"
    if crun:
        return None, f"crun refuses cgroup {mode} hosts and runc is not installed"
    return None, "neither runc nor crun is installed (apt install runc)"


def oci_usable() -> tuple[bool, str]:
    """Can OciEngine run on this host, and on what (or why not)."""
    runtime, why = runtime_pick()
    if runtime is None:
        return False, why
    if os.geteuid() != 0:
        return False, f"{why}, but it needs root (rootless runc is not supported)"
    return True, why


def _version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    found = re.search(r"version (\S+)", done.stdout)
    return found.group(1) if found else "(unknown version)"


@cache
def seccomp_oci() -> dict:
    """sandbox/seccomp.py's Docker profile as OCI's linux.seccomp (same rules, archMap -> architectures)."""
    profile = json.loads(seccomp_profile())
    # Only the native ABI: runc builds the filter on every start, and each extra ABI (x86, x32) costs
    # as much again. Syscalls through another ABI then fail as a bad architecture: stricter than Docker.
    keep = ("names", "action", "args", "errnoRet")
    return {
        **{key: profile[key] for key in ("defaultAction", "defaultErrnoRet")},
        "architectures": [_ARCH.get(platform.machine(), "SCMP_ARCH_NATIVE")],
        "syscalls": [{key: rule[key] for key in keep if key in rule} for rule in profile["syscalls"]],
    }


def _owner_alive(run_id: str) -> bool:
    found = _RUN_ID.fullmatch(run_id)
    return found is None or int(found.group(1)) == os.getpid() or Path(f"/proc/{found.group(1)}").exists()


class OciEngine(Engine):
    def __init__(self, *, client: docker.DockerClient | None = None, cpus: float = 1.0, **dirs: Path):
        """`state_dir` (runtime state and bundles) and `cache_dir` (root filesystems) default to
        $OJ_OCI_STATE and $OJ_OCI_CACHE."""
        self._client = client
        self._cpus = cpus
        self.state_dir = Path(dirs.get("state_dir") or STATE_DIR)
        self.cache_dir = Path(dirs.get("cache_dir") or CACHE_DIR)
        self.runtime, self.why = runtime_pick()
        self.cgroup_version = cgroup_version()
        self._lock = threading.Lock()
        self._export_lock = threading.Lock()
        self._images: dict[str, tuple[float, Path]] = {}
        self._started = False

    def describe(self) -> str:
        return self.why

    @property
    def client(self) -> docker.DockerClient:
        with self._lock:
            if self._client is None:
                try:
                    self._client = docker.from_env(timeout=60)
                except docker.errors.DockerException as exc:
                    raise EngineUnavailable(f"cannot reach Docker to export images: {exc}") from exc
            return self._client

    def runtime_argv(self, *args: str) -> list[str]:
        return [self.runtime or "runc", "--root", str(self.state_dir / "runtime"), *args]

    def run(self, request: RunRequest) -> RunResult:
        if problem := self._start():
            return RunResult(Outcome.IE, message=problem)
        return _guarded(_Run(self, request))

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        if problem := self._start():
            failed = RunResult(Outcome.IE, message=problem)
            return PairResult(program=failed, interactor=failed, first="program")
        to_interactor, to_program = queue.Queue(), queue.Queue()
        return pair_run(
            _Run(self, program, pipe_in=to_program, pipe_out=to_interactor),
            _Run(self, interactor, pipe_in=to_interactor, pipe_out=to_program),
            _guarded,
        )

    def check(self) -> list[str]:
        if problem := self._start():
            return [problem]
        try:
            status = images_status(client=self.client)
        except SandboxError as exc:
            return [f"{exc}. Start it with `scripts/docker-engine.sh` (or `make run`)."]
        return [
            f"image {tag} is {state}: build it with `python -m sandbox.images`"
            for tag, state in status.items()
            if state != "ready"
        ]

    def _start(self) -> str | None:
        """Once per engine: refuse clearly if this host can't run it, else make the dirs and sweep."""
        usable, why = oci_usable()
        if not usable:
            return f"OciEngine unusable: {why}"
        with self._lock:
            if not self._started:
                for path in (self.state_dir / "runtime", self.state_dir / "bundles", self.cache_dir):
                    path.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._started = True
                self.sweep()
        return None

    def sweep(self) -> int:
        """Remove what runs of dead workers left behind: runtime containers, bundle dirs and per-run
        cgroups (in every hierarchy), then any engine's old per-run cgroups. Returns how many runs."""
        gone: set[str] = set()
        listed = subprocess.run(self.runtime_argv("list", "-q"), capture_output=True, text=True, timeout=30)
        for run_id in listed.stdout.split():
            if run_id.startswith(ID_PREFIX) and not _owner_alive(run_id):
                subprocess.run(self.runtime_argv("delete", "-f", run_id), capture_output=True, timeout=30)
                gone.add(run_id)
        bundles = self.state_dir / "bundles"
        for bundle in bundles.iterdir() if bundles.is_dir() else []:
            if not _owner_alive(bundle.name):
                shutil.rmtree(bundle, ignore_errors=True)
                gone.add(bundle.name)
        for base in cgroup_parents(CGROUP_ROOT):
            for run in base.iterdir() if base.is_dir() else []:
                if run.name.startswith(ID_PREFIX) and not _owner_alive(run.name):
                    RunCgroup(name=run.name, version=self.cgroup_version).remove()
                    gone.add(run.name)
        cgroup_sweep()
        if gone:
            log.warning("swept %d runs left behind by dead workers", len(gone))
        return len(gone)

    def rootfs(self, image: str) -> Path:
        """The image's root filesystem, exported once per content hash; Docker is asked at most every
        IMAGE_TTL seconds per tag, and not at all while it is down and the answer is known."""
        now = time.monotonic()
        known = self._images.get(image)
        if known and now - known[0] < IMAGE_TTL:
            return known[1]
        try:
            key = self._image_key(image)
        except EngineUnavailable:
            if known:
                return known[1]
            raise
        path = self.cache_dir / key
        if not path.is_dir():
            self._export(image, path)
        self._images[image] = (now, path)
        return path

    def _image_key(self, image: str) -> str:
        try:
            found = self.client.images.get(image)
        except docker.errors.ImageNotFound as exc:
            raise ImageMissing(f"image {image} is not built; run `python -m sandbox.images`") from exc
        except docker.errors.DockerException as exc:
            raise EngineUnavailable(f"cannot reach the Docker engine to look up {image}: {exc}") from exc
        key = (found.labels or {}).get(HASH_LABEL) or found.id.partition(":")[2]
        if not _KEY.fullmatch(key):
            raise SandboxError(f"image {image} has an odd {HASH_LABEL} label: {key!r}")
        return key

    def _export(self, image: str, path: Path) -> None:
        with self._export_lock:
            if path.is_dir():
                return
            temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
            temp.mkdir()
            try:
                _export_into(self.client, image, temp)
                for name in MOUNTPOINTS:
                    (temp / name).mkdir(exist_ok=True)
                temp.rename(path)  # another process may have won the race: then this fails, and that's fine
            except OSError:
                if not path.is_dir():
                    raise
            finally:
                shutil.rmtree(temp, ignore_errors=True)
            log.info("exported %s into %s", image, path)

    def config(self, request: RunRequest, rootfs: Path, cgroup: RunCgroup) -> dict:
        """The run's OCI config.json: what DockerEngine.container_kwargs asks of Docker, for runc."""
        limits = request.limits
        cpu_cap = math.ceil(limits.cpu_time) + 1
        # The exact limit is on the per-run parent (RunCgroup.limit_memory), where the OOM kill is
        # counted; the runtime's own cgroup gets a little more, as a backstop only.
        backstop = limits.memory + 4 * MiB
        memory: dict = {"limit": backstop, "swap": backstop}
        if self.cgroup_version == 1:
            memory["swappiness"] = 0
        return {
            "ociVersion": "1.0.2",
            "process": {
                "terminal": False,
                "user": {"uid": BOX_UID, "gid": BOX_UID},
                "args": ["/opt/box/init", *request.argv],
                "env": [f"{key}={value}" for key, value in ENV.items()],
                "cwd": "/box",
                "capabilities": {key: [] for key in ("bounding", "effective", "inheritable", "permitted")},
                "rlimits": [
                    {"type": "RLIMIT_CPU", "soft": cpu_cap, "hard": cpu_cap + 1},
                    {"type": "RLIMIT_NOFILE", "soft": limits.open_files + 8, "hard": limits.open_files + 8},
                    {"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
                ],
                "noNewPrivileges": True,
                "oomScoreAdj": 1000,
            },
            "root": {"path": str(rootfs), "readonly": True},
            "hostname": "box",
            "mounts": _mounts(request),
            "linux": {
                "cgroupsPath": f"{cgroup.parent}/box",
                "resources": {
                    "memory": memory,
                    "pids": {"limit": limits.processes + 1},
                    "cpu": {"quota": int(self._cpus * 100_000), "period": 100_000},
                    "devices": [{"allow": False, "access": "rwm"}],
                },
                "namespaces": [{"type": kind} for kind in NAMESPACES],
                "maskedPaths": MASKED,
                "readonlyPaths": READONLY,
                "seccomp": seccomp_oci(),
            },
        }


def _mounts(request: RunRequest) -> list[dict]:
    def mount(destination: str, kind: str, *options: str) -> dict:
        return {"destination": destination, "type": kind, "source": kind, "options": list(options)}

    box = f"size={request.limits.work_dir},uid={BOX_UID},gid={BOX_UID},mode=0700"
    return [
        mount("/proc", "proc", "nosuid", "noexec", "nodev"),
        mount("/dev", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
        mount("/dev/pts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"),
        mount("/dev/shm", "tmpfs", "nosuid", "noexec", "nodev", "mode=1777", f"size={16 * MiB}"),
        mount("/dev/mqueue", "mqueue", "nosuid", "noexec", "nodev"),
        mount("/sys", "sysfs", "nosuid", "noexec", "nodev", "ro"),
        mount("/sys/fs/cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"),
        mount("/box", "tmpfs", "rw", "exec", "nosuid", "nodev", *box.split(",")),
        mount("/tmp", "tmpfs", "rw", "noexec", "nosuid", "nodev", f"size={16 * MiB}", "mode=1777"),
    ]


def _export_into(client: docker.DockerClient, image: str, target: Path) -> None:
    container = client.containers.create(image, command=["/opt/box/init"], network_disabled=True)
    try:
        tar = subprocess.Popen(["tar", "-x", "--numeric-owner", "-C", str(target)], stdin=subprocess.PIPE)
        with tar.stdin:
            for chunk in container.export():
                tar.stdin.write(chunk)
        if tar.wait() != 0:
            raise SandboxError(f"could not unpack the root filesystem of {image}")
    finally:
        container.remove(force=True)


class _Run:
    """One run, start to finish; for `pipe_in`/`pipe_out` (interactive runs) see DockerEngine's _Run."""

    def __init__(self, engine: OciEngine, request: RunRequest, *, pipe_in=None, pipe_out=None):
        self.engine = engine
        self.request = request
        self.limits = request.limits
        self.pipe_in, self.pipe_out = pipe_in, pipe_out
        self.id = f"{ID_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        self.bundle = engine.state_dir / "bundles" / self.id
        self.cgroup = RunCgroup(name=self.id, version=engine.cgroup_version)
        self.nonce = secrets.token_hex(16)
        self.stdout = protocol.CappedBuffer(protocol.stdout_cap(request))
        self.stderr = protocol.CappedBuffer(self.limits.output + 4096)
        self.killed_for: str | None = None
        self.timings: dict[str, float] = {}
        self.proc: subprocess.Popen | None = None
        self.relay = Relay(request, self.nonce)

    def execute(self) -> RunResult:
        try:
            self._timed("create", self._create)
            self._timed("start", self._start)
            return self._supervise()
        finally:
            self._timed("remove", self._remove)

    def stop(self, reason: str) -> None:
        """End the run from outside (its interactive partner finished and rejected it)."""
        if self.killed_for is None:
            self.killed_for = reason  # the supervising loop kills within POLL_SECONDS

    def _timed(self, step: str, fn):
        began = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings[step] = time.perf_counter() - began

    def _create(self) -> None:
        rootfs = self.engine.rootfs(self.request.image)
        self.cgroup.create()
        self.cgroup.limit_memory(self.request.limits.memory)
        self.cgroup.oom_watch()
        self.bundle.mkdir(mode=0o700)
        config = self.engine.config(self.request, rootfs, self.cgroup)
        (self.bundle / "config.json").write_text(json.dumps(config, separators=(",", ":")))

    def _start(self) -> None:
        argv = self.engine.runtime_argv("run", "--bundle", str(self.bundle), self.id)
        pipe = subprocess.PIPE
        self.proc = subprocess.Popen(argv, stdin=pipe, stdout=pipe, stderr=pipe, bufsize=0, cwd=self.bundle)

    def _supervise(self) -> RunResult:
        started = time.monotonic()
        self.relay.begin()
        threading.Thread(target=self._feed, daemon=True).start()
        self._drain()
        wall = time.monotonic() - started
        code = self._timed("wait", self._wait)
        result = result_build(
            request=self.request,
            nonce=self.nonce,
            stdout=self.stdout,
            stderr=self.stderr,
            killed_for=self.killed_for,
            oom_killed=self.cgroup.oom_kills() > 0,
            cgroup=self.cgroup,
            wall=wall,
            timings=self.timings,
        )
        if result.outcome == Outcome.IE and code:
            tail = result.stderr[-400:].decode(errors="replace").strip()
            result = replace(result, message=f"{result.message}; the runtime exited {code}: {tail}")
        return result

    def _feed(self) -> None:
        stdin = self.proc.stdin
        try:
            for chunk in protocol.stdin_stream(self.request, self.nonce):
                _write_all(stdin.fileno(), chunk)
            while self.pipe_in is not None and (chunk := self.pipe_in.get()) is not None:
                _write_all(stdin.fileno(), chunk)
        except OSError:
            pass  # the box ended before reading all its input: that is the program's business
        finally:
            stdin.close()

    def _drain(self) -> None:
        """Read both streams to their end (past the caps, dropping the rest), watching CPU and wall time."""
        poll = selectors.DefaultSelector()
        poll.register(self.proc.stdout, selectors.EVENT_READ, self.stdout)
        poll.register(self.proc.stderr, selectors.EVENT_READ, self.stderr)
        next_check, killed_at, first_kill = 0.0, 0.0, 0.0
        try:
            while poll.get_map():
                for key, _ in poll.select(POLL_SECONDS):
                    data = os.read(key.fd, protocol.CHUNK)
                    if data:
                        self._take(key.data, data)
                    else:
                        poll.unregister(key.fileobj)
                now = time.monotonic()
                if now >= next_check:
                    next_check = now + POLL_SECONDS
                    self._check()
                if self.killed_for and now - killed_at > KILL_RETRY:
                    killed_at, first_kill = now, first_kill or now
                    self._kill()
                if first_kill and now - first_kill > KILL_GIVE_UP:
                    raise SandboxError(f"box {self.id} did not stop after a kill")
        finally:
            poll.close()
            self.relay.eof()
            if self.pipe_out is not None:
                self.pipe_out.put(None)  # the partner's stdin ends when this program's stdout does

    def _take(self, target: protocol.CappedBuffer, data: bytes) -> None:
        within = target.add(data)
        if not within and self.killed_for is None:
            self.killed_for = "output"
        if target is self.stderr:
            self.relay.err(data)
        elif (forward := self.relay.out(data)) and within and self.pipe_out is not None:
            self.pipe_out.put(forward)

    def _check(self) -> None:
        cpu = self.relay.cpu = max(self.relay.cpu, self.cgroup.cpu_seconds() or 0.0)
        self.cgroup.memory_bytes()
        if self.killed_for is None and cpu > self.limits.cpu_time:
            self.killed_for = "cpu"
        elif self.killed_for is None and self.relay.wall_used() > self.limits.wall:
            self.killed_for = "wall"

    def _kill(self) -> None:
        subprocess.run(self.engine.runtime_argv("kill", self.id, "KILL"), capture_output=True, timeout=10)

    def _wait(self) -> int:
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired as exc:
            raise SandboxError(f"the runtime did not end for box {self.id}") from exc

    def _remove(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr) if self.proc else ():
            stream.close()
        if (self.engine.state_dir / "runtime" / self.id).exists():
            argv = self.engine.runtime_argv("delete", "-f", self.id)
            subprocess.run(argv, capture_output=True, timeout=30)
        shutil.rmtree(self.bundle, ignore_errors=True)
        self.cgroup.remove()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _guarded(run: _Run) -> RunResult:
    try:
        return run.execute()
    except SandboxError as exc:
        return RunResult(Outcome.IE, message=str(exc))
    except (OSError, subprocess.SubprocessError, docker.errors.DockerException) as exc:
        log.exception("the OCI engine failed during a run")
        return RunResult(Outcome.IE, message=f"oci engine: {exc}")
