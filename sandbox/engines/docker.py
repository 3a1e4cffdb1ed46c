"""The Docker engine: one throwaway, locked-down container per run.

create (+ attach) → start → stream files and stdin in, output out → wait with CPU/wall watch →
read the kernel's accounting → remove, always. Files travel only as a stream on the container's
stdin (see images/base/boxinit.c), so the host never opens a path the program could have touched.
"""

import logging
import math
import os
import queue
import secrets
import socket
import threading
import time

import docker
import docker.errors
import requests
from docker.types import LogConfig, Ulimit

from sandbox import protocol
from sandbox.cgroups import DEADLINED, RunCgroup, cgroup_sweep, cgroup_version, run_name
from sandbox.engines.base import Engine
from sandbox.engines.supervise import Relay, pair_run, result_build
from sandbox.errors import EngineUnavailable, ImageMissing, SandboxError
from sandbox.images import images_problems
from sandbox.seccomp import seccomp_profile
from sandbox.types import MiB, Outcome, PairResult, RunRequest, RunResult

log = logging.getLogger(__name__)

BOX_UID = 10000
POLL_SECONDS = 0.01
RUN_LABEL = "ojudge.run"
DEADLINE_LABEL = "ojudge.deadline"  # epoch seconds after which the box is a leftover nobody will remove
# Past the wall limit: slow removes, a busy engine (the fault tests make it short).
DEADLINE_MARGIN = int(os.environ.get("SANDBOX_DEADLINE_MARGIN", "120"))
UNLABELLED_MAX_AGE = 3600  # boxes made before the deadline label existed
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/box", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


class DockerEngine(Engine):
    def __init__(self, *, client: docker.DockerClient | None = None, cpus: float = 1.0):
        self._client = client
        self._cpus = cpus
        self._lock = threading.Lock()
        self._cgroup_version: int | None = None
        self._leftovers: set[str] = set()  # boxes whose remove failed: removed at the next run or sweep

    @property
    def client(self) -> docker.DockerClient:
        with self._lock:
            if self._client is None:
                try:
                    self._client = docker.from_env(timeout=60)
                    self._cgroup_version = int(self._client.info().get("CgroupVersion") or cgroup_version())
                except docker.errors.DockerException as exc:
                    raise EngineUnavailable(f"cannot reach the Docker engine: {exc}") from exc
            return self._client

    def run(self, request: RunRequest) -> RunResult:
        if self._leftovers:
            self._remove_leftovers()
        return _guarded(_Run(self, request))

    def _remove_leftovers(self) -> int:
        removed = 0
        for container_id in list(self._leftovers):
            try:
                done = _remove_id(self.client, container_id)
            except SandboxError:
                return removed  # the engine is still down
            if done >= 0:
                self._leftovers.discard(container_id)
                removed += done
        return removed

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        """Two boxes whose stdout feeds the other's stdin. If the interactor ends first with anything
        but acceptance, the program is stopped: its verdict is already decided."""
        to_interactor, to_program = queue.Queue(), queue.Queue()
        return pair_run(
            _Run(self, program, pipe_in=to_program, pipe_out=to_interactor),
            _Run(self, interactor, pipe_in=to_interactor, pipe_out=to_program),
            _guarded,
        )

    def sweep(self) -> int:
        """Remove labelled boxes past their deadline: a create whose reply was cut off, a failed remove."""
        now = time.time()
        try:
            removed = self._remove_leftovers()
            boxes = self.client.api.containers(all=True, filters={"label": RUN_LABEL})
        except (SandboxError, docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            log.warning("container sweep skipped: %s", exc)
            return 0
        for box in boxes:
            if _deadline(box) < now:
                removed += max(0, _remove_id(self.client, box["Id"]))
        cgroup_sweep(now=now)  # the per-run cgroups of a worker that died mid-run go with their boxes
        if removed:
            log.warning("removed %d leftover sandbox containers", removed)
        return removed

    def unreachable(self) -> str:
        try:
            self.client.ping()
        except (SandboxError, docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            return f"cannot reach the Docker engine: {exc}"
        return ""

    def check(self) -> list[str]:
        try:
            self.client.ping()
        except (SandboxError, docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            return [f"{exc}. Start it with `scripts/docker-engine.sh` (or `make run`)."]
        cgroup_sweep()
        return images_problems(client=self.client)

    def container_kwargs(self, request: RunRequest, cgroup: RunCgroup) -> dict:
        limits = request.limits
        cpu_cap = math.ceil(limits.cpu_time) + 1
        return dict(
            image=request.image,
            command=["/opt/box/init", *request.argv],
            user=f"{BOX_UID}:{BOX_UID}",
            working_dir="/box",
            environment=ENV,
            stdin_open=True,
            network_disabled=True,
            network_mode="none",
            read_only=True,
            tmpfs={
                "/box": f"rw,exec,nosuid,nodev,size={limits.work_dir},uid={BOX_UID},gid={BOX_UID},mode=0700",
                "/tmp": f"rw,noexec,nosuid,nodev,size={16 * MiB},mode=1777",
            },
            mem_limit=limits.memory,
            memswap_limit=limits.memory,
            mem_swappiness=0,
            oom_score_adj=1000,
            pids_limit=limits.processes + 1,
            nano_cpus=int(self._cpus * 1e9),
            cap_drop=["ALL"],
            security_opt=["no-new-privileges:true", f"seccomp={seccomp_profile()}"],
            ulimits=[
                Ulimit(name="cpu", soft=cpu_cap, hard=cpu_cap + 1),
                Ulimit(name="nofile", soft=limits.open_files + 8, hard=limits.open_files + 8),
                Ulimit(name="core", soft=0, hard=0),
            ],
            log_config=LogConfig(type="none"),
            cgroup_parent=cgroup.parent,
            ipc_mode="private",
            shm_size=16 * MiB,
            hostname="box",
            labels={RUN_LABEL: "1", DEADLINE_LABEL: str(_run_deadline(cgroup, limits.wall))},
        )


class _Run:
    """One run, start to finish. Holds the threads that stream data in and out.

    For interactive runs, `pipe_in` supplies stdin after the files (None ends it) and `pipe_out`
    receives the program's stdout as it comes (None at the end), so two runs can talk to each other.
    """

    def __init__(
        self,
        engine: DockerEngine,
        request: RunRequest,
        *,
        pipe_in: queue.Queue | None = None,
        pipe_out: queue.Queue | None = None,
    ):
        self.engine = engine
        self.pipe_in, self.pipe_out = pipe_in, pipe_out
        self.container = None
        self.request = request
        self.limits = request.limits
        self.nonce = secrets.token_hex(16)
        deadline = time.time() + self.limits.wall + DEADLINE_MARGIN
        self.cgroup = RunCgroup(name=run_name(deadline), version=engine._cgroup_version or cgroup_version())
        self.stdout = protocol.CappedBuffer(protocol.stdout_cap(request))
        self.stderr = protocol.CappedBuffer(self.limits.output + 4096)
        self.killed_for: str | None = None
        self.timings: dict[str, float] = {}
        self.relay = Relay(request, self.nonce)

    def execute(self) -> RunResult:
        client = self.engine.client
        self.cgroup.version = self.engine._cgroup_version or self.cgroup.version
        container = None
        try:
            container = self.container = self._timed("create", self._create, client)
            sock = self._timed("attach", container.attach_socket, params=_ATTACH)
            raw = sock._sock  # the hijacked connection; docker-py only exposes it this way
            self._timed("start", container.start)
            return self._supervise(container, raw)
        finally:
            if container is not None and not self._timed("remove", _remove, container):
                self.engine._leftovers.add(container.id)
            self.cgroup.remove()

    def stop(self, reason: str) -> None:
        """End the run from outside (its interactive partner finished and rejected it)."""
        if self.killed_for is None:
            self.killed_for = reason
        if self.container is not None:
            _kill(self.container)

    def _timed(self, step: str, fn, *args, **kwargs):
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.timings[step] = time.perf_counter() - began

    def _create(self, client: docker.DockerClient):
        self.cgroup.create()
        try:
            return client.containers.create(**self.engine.container_kwargs(self.request, self.cgroup))
        except docker.errors.ImageNotFound as exc:
            raise ImageMissing(
                f"image {self.request.image} is not built; run `python -m sandbox.images`"
            ) from exc

    def _supervise(self, container, raw: socket.socket) -> RunResult:
        # The box is started and boxinit waits for its header, which is not sent yet: the CPU used so
        # far is the runtime's setting up of the box (some 40 ms), not the program's.
        self.cgroup.cpu_mark()
        started = time.monotonic()
        self.relay.begin()
        writer = threading.Thread(target=self._feed, args=(raw,), daemon=True)
        reader = threading.Thread(target=self._drain, args=(raw,), daemon=True)
        try:
            writer.start()
            reader.start()
            self._watch(container, reader)
            wall = time.monotonic() - started
            reader.join(timeout=5)
            state = self._timed("wait", _final_state, container)
        finally:
            raw.close()
        return self._result(state, wall)

    def _feed(self, raw: socket.socket) -> None:
        try:
            for chunk in protocol.stdin_stream(self.request, self.nonce):
                raw.sendall(chunk)
            while self.pipe_in is not None and (chunk := self.pipe_in.get()) is not None:
                raw.sendall(chunk)
            raw.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the box ended before reading all its input: that is the program's business

    def _drain(self, raw: socket.socket) -> None:
        # Read to the very end even past the cap (what is over it is dropped): a stream nobody reads
        # makes Docker block the kill, and with it every other client of the engine.
        try:
            for stream, payload in protocol.frames(raw):
                target = self.stdout if stream == 1 else self.stderr
                within = target.add(payload)
                if not within and self.killed_for is None:
                    self.killed_for = "output"
                if stream != 1:
                    self.relay.err(payload)
                elif (forward := self.relay.out(payload)) and within and self.pipe_out is not None:
                    self.pipe_out.put(forward)
        except OSError:
            pass
        finally:
            self.relay.eof()
            if self.pipe_out is not None:
                self.pipe_out.put(None)  # the partner's stdin ends when this program's stdout does

    def _watch(self, container, reader: threading.Thread) -> None:
        wall_limit = self.limits.wall
        while reader.is_alive():
            reader.join(POLL_SECONDS)
            cpu = self.relay.cpu = max(self.relay.cpu, self.cgroup.cpu_seconds() or 0.0)
            self.cgroup.memory_bytes()
            if self.killed_for is None and cpu > self.limits.cpu_time:
                self.killed_for = "cpu"
            elif self.killed_for is None and self.relay.wall_used() > wall_limit:
                self.killed_for = "wall"
            if self.killed_for:
                _kill(container)
                return

    def _result(self, state: dict, wall: float) -> RunResult:
        return result_build(
            request=self.request,
            nonce=self.nonce,
            stdout=self.stdout,
            stderr=self.stderr,
            killed_for=self.killed_for,
            oom_killed=bool(state.get("OOMKilled")),
            cgroup=self.cgroup,
            wall=wall,
            timings=self.timings,  # the same dict, so `remove`, timed after the result is built, shows
        )


_ATTACH = {"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}


def _guarded(run: _Run) -> RunResult:
    try:
        return run.execute()
    except SandboxError as exc:
        return RunResult(Outcome.IE, message=str(exc))
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        log.exception("docker failed during a run")
        return RunResult(Outcome.IE, message=f"docker: {exc}")


_GONE = (docker.errors.APIError, requests.exceptions.RequestException)


def _kill(container) -> None:
    try:
        container.kill()
    except _GONE:
        pass  # already gone, or the engine is slow: the removal below forces it


def _final_state(container) -> dict:
    try:
        container.wait(timeout=10)
        container.reload()
    except Exception as exc:  # noqa: BLE001 - requests' timeout types vary; any failure here is IE
        raise SandboxError(f"container did not stop: {exc}") from exc
    return container.attrs.get("State", {})


def _run_deadline(cgroup: RunCgroup, wall: float) -> int:
    """The box's deadline is its cgroup's, so that both are swept at the same time."""
    if match := DEADLINED.match(cgroup.name):
        return int(match.group(1))
    return int(time.time() + wall + DEADLINE_MARGIN)


def _deadline(box: dict) -> float:
    try:
        return float((box.get("Labels") or {})[DEADLINE_LABEL])
    except (KeyError, ValueError):
        return float(box.get("Created") or 0) + UNLABELLED_MAX_AGE


def _remove_id(client: docker.DockerClient, container_id: str) -> int:
    """1 removed, 0 already gone, -1 failed (the engine is down or slow: try again later)."""
    try:
        client.api.remove_container(container_id, force=True, v=True)
    except docker.errors.NotFound:
        return 0
    except _GONE:
        log.warning("could not remove leftover container %s; the next sweep tries again", container_id[:12])
        return -1
    return 1


def _remove(container) -> bool:
    """False when the engine would not remove it (it is remembered and removed later)."""
    try:
        container.remove(force=True, v=True)
    except docker.errors.NotFound:
        pass
    except _GONE:
        log.warning("could not remove container %s; removing it later", container.id[:12])
        return False
    return True
