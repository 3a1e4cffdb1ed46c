"""One run in its own box: get a created box (a spare, or one made now), start it, stream the boxinit
protocol through its pipes while watching CPU and wall time, and hand the box to be destroyed."""

import logging
import os
import secrets
import selectors
import subprocess
import threading
import time

import docker.errors

from sandbox import protocol
from sandbox.engines.docker import POLL_SECONDS
from sandbox.engines.oci.box import Box, box_create, box_kill, box_start
from sandbox.engines.supervise import Relay, result_build
from sandbox.errors import SandboxError
from sandbox.types import Outcome, RunRequest, RunResult

log = logging.getLogger(__name__)

KILL_RETRY, KILL_GIVE_UP = 0.5, 10.0


class OciRun:
    """One run, start to finish; for `pipe_in`/`pipe_out` (interactive runs) see DockerEngine's _Run."""

    def __init__(self, engine, request: RunRequest, *, pipe_in=None, pipe_out=None):
        self.engine = engine
        self.request = request
        self.limits = request.limits
        self.pipe_in, self.pipe_out = pipe_in, pipe_out
        self.box: Box | None = None
        self.spare = False  # the box was made ahead, by the pool
        self.nonce = secrets.token_hex(16)
        self.stdout = protocol.CappedBuffer(protocol.stdout_cap(request))
        self.stderr = protocol.CappedBuffer(self.limits.output + 4096)
        self.killed_for: str | None = None
        self.timings: dict[str, float] = {}
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
        self.box, self.spare = self.engine.box_get(self.request)

    def _start(self) -> None:
        self.box.cgroup.cpu_mark()
        try:
            box_start(self.engine, self.box)
        except SandboxError:
            if not self.spare:
                raise
            # A spare that can no longer start (its init was killed while it waited): make one now.
            log.warning("spare box %s did not start; making a fresh one", self.box.id)
            self.engine.pool.discard(self.box)
            self.box = box_create(self.engine, self.request, self.engine.rootfs(self.request.image))
            self.box.cgroup.cpu_mark()
            box_start(self.engine, self.box)

    def _supervise(self) -> RunResult:
        started = time.monotonic()
        self.relay.begin()
        stdin, self.box.stdin = self.box.stdin, None  # the feeding thread closes it when done
        threading.Thread(target=self._feed, args=(stdin,), daemon=True).start()
        self._drain()
        return result_build(
            request=self.request,
            nonce=self.nonce,
            stdout=self.stdout,
            stderr=self.stderr,
            killed_for=self.killed_for,
            oom_killed=self.box.cgroup.oom_kills() > 0,
            cgroup=self.box.cgroup,
            wall=time.monotonic() - started,
            timings=self.timings,
        )

    def _feed(self, stdin: int) -> None:
        try:
            for chunk in protocol.stdin_stream(self.request, self.nonce):
                _write_all(stdin, chunk)
            while self.pipe_in is not None and (chunk := self.pipe_in.get()) is not None:
                _write_all(stdin, chunk)
        except OSError:
            pass  # the box ended before reading all its input: that is the program's business
        finally:
            os.close(stdin)

    def _drain(self) -> None:
        """Read both streams to their end (past the caps, dropping the rest), watching CPU and wall time.
        They end when the box does: no runtime process holds them."""
        poll = selectors.DefaultSelector()
        poll.register(self.box.stdout, selectors.EVENT_READ, self.stdout)
        poll.register(self.box.stderr, selectors.EVENT_READ, self.stderr)
        next_check, killed_at, first_kill = 0.0, 0.0, 0.0
        try:
            while poll.get_map():
                for key, _ in poll.select(POLL_SECONDS):
                    try:
                        data = os.read(key.fd, protocol.CHUNK)
                    except BlockingIOError:
                        continue
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
                    box_kill(self.engine, self.box)
                if first_kill and now - first_kill > KILL_GIVE_UP:
                    raise SandboxError(f"box {self.box.id} did not stop after a kill")
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
        cgroup = self.box.cgroup
        cpu = self.relay.cpu = max(self.relay.cpu, cgroup.cpu_seconds() or 0.0)
        cgroup.memory_bytes()
        if self.killed_for is None and cpu > self.limits.cpu_time:
            self.killed_for = "cpu"
        elif self.killed_for is None and self.relay.wall_used() > self.limits.wall:
            self.killed_for = "wall"

    def _remove(self) -> None:
        if self.box is not None:
            self.engine.pool.discard(self.box)  # destroyed off the critical path, soon


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def guarded(run: OciRun) -> RunResult:
    try:
        return run.execute()
    except SandboxError as exc:
        return RunResult(Outcome.IE, message=str(exc))
    except (OSError, subprocess.SubprocessError, docker.errors.DockerException) as exc:
        log.exception("the OCI engine failed during a run")
        return RunResult(Outcome.IE, message=f"oci engine: {exc}")
