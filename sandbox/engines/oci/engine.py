"""OciEngine: which runtime, the root filesystems exported from the images, the sweep of dead
workers' boxes, and the pool of boxes made ahead (see pool.py); one run is run.py's business."""

import atexit
import logging
import os
import queue
import re
import secrets
import shutil
import subprocess
import threading
import time
from functools import cache
from pathlib import Path

import docker
import docker.errors
import requests

from sandbox.cgroups import ROOT as CGROUP_ROOT
from sandbox.cgroups import RunCgroup, cgroup_mode, cgroup_parents, cgroup_sweep, cgroup_version
from sandbox.engines.base import Engine
from sandbox.engines.oci.box import ID_PREFIX, QUIET, Box, box_create, box_destroy, runtime_call
from sandbox.engines.oci.config import config_build
from sandbox.engines.oci.health import Failures, dirs_problem, runtime_problem
from sandbox.engines.oci.pool import Pool
from sandbox.engines.oci.run import OciRun, guarded
from sandbox.engines.supervise import pair_run
from sandbox.errors import EngineUnavailable, ImageMissing, SandboxError
from sandbox.images import HASH_LABEL, images_problems
from sandbox.types import Outcome, PairResult, RunRequest, RunResult

log = logging.getLogger(__name__)

STATE_DIR = Path(os.environ.get("OJ_OCI_STATE", "/run/ojudge-oci"))  # runtime state + bundles (tmpfs)
CACHE_DIR = Path(os.environ.get("OJ_OCI_CACHE", "/var/cache/ojudge/oci"))  # exported root filesystems
POOL_DEPTH = int(os.environ.get("OJ_OCI_POOL", "2"))  # spare boxes per shape of run; 0: none made ahead
_RUN_ID = re.compile(rf"{ID_PREFIX}(\d+)-[0-9a-f]+")
_KEY = re.compile(r"[0-9a-f]{12,128}")
IMAGE_TTL = 30.0  # seconds an image tag -> rootfs answer is trusted before Docker is asked again
MOUNTPOINTS = ("box", "tmp", "proc", "dev", "sys")


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
    if not all(os.access(base.parent, os.W_OK) for base in cgroup_parents(CGROUP_ROOT)):
        return False, f"{why}, but {CGROUP_ROOT} is not writable here (a container without its own cgroups?)"
    return True, why


def _version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    found = re.search(r"version (\S+)", done.stdout)
    return found.group(1) if found else "(unknown version)"


def _owner_alive(run_id: str) -> bool:
    found = _RUN_ID.fullmatch(run_id)
    return found is None or int(found.group(1)) == os.getpid() or Path(f"/proc/{found.group(1)}").exists()


class OciEngine(Engine):
    def __init__(
        self,
        *,
        client: docker.DockerClient | None = None,
        cpus: float = 1.0,
        pool_depth: int | None = None,
        **dirs: Path,
    ):
        """`state_dir` (runtime state and bundles) and `cache_dir` (root filesystems) default to
        $OJ_OCI_STATE and $OJ_OCI_CACHE; `pool_depth` (spare boxes per shape of run) to $OJ_OCI_POOL."""
        self._client = client
        self._cpus = cpus
        self.state_dir = Path(dirs.get("state_dir") or STATE_DIR)
        self.cache_dir = Path(dirs.get("cache_dir") or CACHE_DIR)
        self.runtime, self.why = runtime_pick()
        self.runtime_name = Path(self.runtime or "runc").name
        self.cgroup_version = cgroup_version()
        self._lock = threading.Lock()
        self._export_lock = threading.Lock()
        self._images: dict[str, tuple[float, Path]] = {}
        self._started = False
        self.failures = Failures()
        depth = POOL_DEPTH if pool_depth is None else pool_depth
        self.pool = Pool(make=self._spare_make, destroy=self.box_destroy, depth=depth)

    def describe(self) -> str:
        pool = f"{self.pool.depth} spare boxes per shape of run" if self.pool.depth else "no spare boxes"
        return f"{self.why}, {pool}"

    @property
    def client(self) -> docker.DockerClient:
        with self._lock:
            if self._client is None:
                try:
                    self._client = docker.from_env(timeout=60)
                except docker.errors.DockerException as exc:
                    raise EngineUnavailable(f"cannot reach Docker to export images: {exc}") from exc
            return self._client

    def unreachable(self) -> str:
        """Why no box can be made now: the host can't run the engine, the runtime binary is gone or
        fails, its state or bundle dir can't be written, or the runtime (or Docker, for a root filesystem
        not exported yet) failed the last time it was asked. What a run's program does is never one."""
        usable, why = oci_usable()
        if not usable:
            return f"OciEngine unusable: {why}"
        return (
            dirs_problem(self.state_dir / "runtime", self.state_dir / "bundles")
            or self.failures.problem()
            or runtime_problem(self.runtime)
        )

    def runtime_argv(self, *args: str) -> list[str]:
        return [self.runtime or "runc", "--root", str(self.state_dir / "runtime"), *args]

    def run(self, request: RunRequest) -> RunResult:
        if problem := self._start():
            return RunResult(Outcome.IE, message=problem)
        return guarded(OciRun(self, request))

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        if problem := self._start():
            failed = RunResult(Outcome.IE, message=problem)
            return PairResult(program=failed, interactor=failed, first="program")
        to_interactor, to_program = queue.Queue(), queue.Queue()
        return pair_run(
            OciRun(self, program, pipe_in=to_program, pipe_out=to_interactor),
            OciRun(self, interactor, pipe_in=to_interactor, pipe_out=to_program),
            guarded,
        )

    def check(self) -> list[str]:
        if problem := self._start():
            return [problem]
        try:
            return images_problems(client=self.client)
        except SandboxError as exc:
            return [f"{exc}. Start it with `scripts/docker-engine.sh` (or `make run`)."]

    def drain(self) -> None:
        """Destroy the spare boxes and wait for the removals in flight: then nothing of this engine's
        runs is left on the host. Runs at exit; the engine stays usable."""
        self.pool.drain()

    def box_get(self, request: RunRequest) -> tuple[Box, bool]:
        """A created box for the request, and whether it was made ahead (a spare) or just now."""
        rootfs = self.rootfs(request.image)
        shape = (rootfs, request.argv, request.limits)
        box = self.pool.take(shape)
        return (box, True) if box is not None else (box_create(self, request, rootfs), False)

    def box_destroy(self, box: Box) -> None:
        box_destroy(self, box)

    def _spare_make(self, shape: tuple) -> Box:
        rootfs, argv, limits = shape
        return box_create(self, RunRequest(image="", argv=argv, limits=limits), rootfs)

    def _start(self) -> str | None:
        """Once per engine: refuse clearly if this host can't run it, else make the dirs and sweep.
        Once started, a run asks nothing more: unreachable() watches the runtime from then on."""
        if self._started:
            return None
        usable, why = oci_usable()
        if not usable:
            return f"OciEngine unusable: {why}"
        with self._lock:
            if not self._started:
                for path in (self.state_dir / "runtime", self.state_dir / "bundles", self.cache_dir):
                    path.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._started = True
                self.sweep()
                atexit.register(self.drain)
        return None

    def sweep(self) -> int:
        """Remove what runs of dead workers left behind: runtime containers, bundle dirs and per-run
        cgroups (in every hierarchy), then any engine's old per-run cgroups. Returns how many runs."""
        gone: set[str] = set()
        # The runtime's own state dirs, not `runc list`: a create cut short leaves a dir without
        # state.json, which `runc list` cannot load (and lists nothing else then).
        states = self.state_dir / "runtime"
        for state in states.iterdir() if states.is_dir() else []:
            if state.name.startswith(ID_PREFIX) and not _owner_alive(state.name):
                runtime_call(self.runtime_argv("delete", "-f", state.name), **QUIET)
                if state.exists() and not (state / "state.json").exists():
                    shutil.rmtree(state, ignore_errors=True)  # nothing was started from it
                gone.add(state.name)
        bundles = self.state_dir / "bundles"
        for bundle in bundles.iterdir() if bundles.is_dir() else []:
            if not _owner_alive(bundle.name):
                shutil.rmtree(bundle, ignore_errors=True)
                gone.add(bundle.name)
        for base in cgroup_parents(CGROUP_ROOT):
            for run in base.iterdir() if base.is_dir() else []:
                if run.name.startswith(ID_PREFIX) and not _owner_alive(run.name):
                    cgroup = RunCgroup(name=run.name, version=self.cgroup_version)
                    cgroup.kill()  # an init whose create was cut short: no runtime state to delete it by
                    cgroup.remove()
                    if not cgroup.remains():
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
        except EngineUnavailable as exc:
            if known:
                return known[1]
            self.failures.failed("images", str(exc))
            raise
        path = self.cache_dir / key
        if not path.is_dir():
            self._export_noted(image, path)
        self.failures.worked("images")
        self._images[image] = (now, path)
        return path

    def _export_noted(self, image: str, path: Path) -> None:
        """Export, noting a failure (Docker gone mid-export, the cache dir full or read-only) as an
        outage: it is never the run's doing, and no run of that image can start until it is mended."""
        try:
            self._export(image, path)
        except (SandboxError, OSError, docker.errors.DockerException, requests.RequestException) as exc:
            self.failures.failed("images", f"cannot export the root filesystem of {image}: {exc}")
            raise

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
        return config_build(
            request,
            rootfs=rootfs,
            cgroups_path=f"{cgroup.parent}/box",
            cpus=self._cpus,
            cgroup_version=self.cgroup_version,
        )


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
