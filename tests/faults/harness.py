"""The moving parts of the fault suite, each one we can break and mend: PostgreSQL, Redis (no persistence),
a Celery worker subprocess, and a proxy in front of the Docker socket (the shared dockerd never stops)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.integration.test_postgres import PG_BIN, _as_postgres, _free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKER_SOCKET = "/var/run/docker.sock"


def wait_for(predicate, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Postgres:
    def __init__(self):
        self.data, self.port = Path(tempfile.mkdtemp(prefix="ojfault-pg-")), _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        subprocess.run(
            _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]),
            check=True,
            capture_output=True,
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.data / "log")]
        subprocess.run(_as_postgres([*command, *args]), check=True, capture_output=True)

    def start(self) -> None:
        self._ctl("-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "-w", "stop")  # as a crash: every connection is cut

    def close(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        )
        shutil.rmtree(self.data, ignore_errors=True)


class Redis:
    """A Redis of our own, without persistence: a restart forgets every message and heartbeat."""

    def __init__(self, workdir: Path):
        self.port, self.workdir, self.process = _free_port(), workdir, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._up, timeout=10, what="redis to listen")

    def _up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


class DockerProxy:
    """A unix socket forwarding to dockerd. stop() refuses new connections and cuts open ones: to the
    worker the engine is gone. It notes every container id it sees go by."""

    ID_IN_PATH = re.compile(rb"/containers/([0-9a-f]{64})/")
    ID_IN_REPLY = re.compile(rb'"Id":"([0-9a-f]{64})"')

    def __init__(self, path: Path):
        self.path, self.server, self.open = path, None, set()
        self.containers: set[str] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        self.path.unlink(missing_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(self.path))
        self.server.listen(128)
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def stop(self) -> None:
        self.server.close()
        self.path.unlink(missing_ok=True)
        with self.lock:
            for sock in list(self.open):
                _close(sock)
            self.open.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(DOCKER_SOCKET)
            with self.lock:
                self.open.update((client, upstream))
            ends = [0]  # directions that ended: at two, close the pair
            for args in ((client, upstream, self.ID_IN_PATH), (upstream, client, self.ID_IN_REPLY)):
                threading.Thread(target=self._pump, args=(*args, ends), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, ids: re.Pattern, ends: list) -> None:
        try:
            while chunk := source.recv(65536):
                if b"/containers/" in chunk or b'"Id"' in chunk:
                    self.containers.update(match.decode() for match in ids.findall(chunk))
                target.sendall(chunk)
            target.shutdown(socket.SHUT_WR)  # a half-close (the end of a box's stdin) passes through
        except OSError:
            _close(source)
            _close(target)
        with self.lock:
            ends[0] += 1
            both = ends[0] == 2
        if both:
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class Worker:
    """`celery -A judge worker -B -Q judging,housekeeping`, as scripts/run.sh starts it; killed by SIGKILL."""

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.process, self.starts = env, workdir, None, 0

    @property
    def logs(self) -> list[Path]:
        return sorted(self.workdir.glob("worker-*.log"))

    def start(self) -> None:
        self.starts += 1
        log = self.workdir / f"worker-{self.starts}.log"
        command = [str(Path(sys.executable).with_name("celery")), "-A", "judge", "worker", "-B"]
        command += ["-Q", "judging,housekeeping", "--concurrency", "2", "-l", "info", "-n", "fault@%h"]
        command += ["--schedule", str(self.workdir / f"beat-{self.starts}")]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(lambda: b" ready." in log.read_bytes(), timeout=60, what="the worker to be ready")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def judged_lines(self) -> dict[int, int]:
        """How many times each submission got its final verdict written, over every run of the worker."""
        counts: dict[int, int] = {}
        for log in self.logs:
            for match in re.finditer(rb"submission (\d+) judged: ", log.read_bytes()):
                counts[int(match[1])] = counts.get(int(match[1]), 0) + 1
        return counts
