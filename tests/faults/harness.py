"""The moving parts of the fault suite, each one we can break and mend: PostgreSQL, Redis (no persistence),
a Celery worker subprocess, and a proxy in front of the Docker socket (the shared dockerd never stops);
for OciEngine, the OCI runtime behind a wrapper that can be made to fail; for the judge-host mode, the
site served over HTTP and judge hosts (python -m sandbox.host) subprocesses.
`Site` is one deployment of them with the submissions it was given."""

import json
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
import urllib.error
import urllib.request
from pathlib import Path

import docker
import psycopg

from sandbox.cgroups import ROOT as CGROUP_ROOT
from sandbox.cgroups import cgroup_parents
from sandbox.engines.docker import DEADLINE_LABEL
from sandbox.engines.oci import ID_PREFIX, OciEngine, runtime_pick
from tests.integration.host_checks import box_processes, oci_leftovers
from tests.integration.test_judge_hosts_live import GUARD
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


def boxes_removed(proxy: "DockerProxy", *, timeout: float, who: str) -> None:
    """Every box that went through `proxy` is removed within `timeout`, and no box of anyone's is long past
    its deadline (a create whose reply was cut off has no known id)."""
    client = docker.from_env(timeout=30)

    def boxes() -> list[dict]:
        return client.api.containers(all=True, filters={"label": "ojudge.run"})

    def overdue() -> set[str]:
        return {
            box["Id"] for box in boxes() if float(box["Labels"].get(DEADLINE_LABEL, "inf")) < time.time() - 15
        }

    assert proxy.containers, f"the proxy saw no container: {who} did not use it"
    wait_for(
        lambda: not ({box["Id"] for box in boxes()} & proxy.containers),
        timeout=timeout,
        what=f"the sweep to remove the boxes {who} made",
    )
    assert overdue() == set()


def cgroups_removed(*, since: float) -> None:
    """Every per-run cgroup made after `since` is gone, in every hierarchy (v1 controllers and the unified
    one), but for runs that started in the last seconds and may still be tidying up."""

    def leftovers() -> list[str]:
        settled = time.time() - 30
        return [
            str(run)
            for parent in cgroup_parents(CGROUP_ROOT)
            if parent.is_dir()
            for run in parent.iterdir()
            if run.is_dir() and since <= run.stat().st_mtime < settled
        ]

    wait_for(lambda: not leftovers(), timeout=30, what="every per-run cgroup directory to be removed")


def oci_boxes_left(engine: OciEngine, pids: set[int]) -> list[str]:
    """What OciEngine boxes made by these processes left on the host, looked up as an operator would
    (tests/integration/host_checks.py: the runtime's list under the engine's --root, bundle dirs, per-run
    cgroups) and box-user processes in them. Other processes' boxes (other tests') are not looked at, nor
    box-user processes outside any box of ours (the hostile corpus looks for escapes, alone on the host)."""
    mine = tuple(f"{ID_PREFIX}{pid}-" for pid in pids)
    try:
        found = oci_leftovers(engine, ID_PREFIX)
    except subprocess.CalledProcessError as exc:  # a state dir cut short makes `runc list` fail: not gone
        return [f"the runtime cannot list its containers: {exc.stderr.strip()}"]
    found = [thing for thing in found if any(name in thing for name in mine)]
    return found + box_processes(lambda cgroups: any(f"/{name}" in cgroups for name in mine), unboxed=False)


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


class OciRuntime:
    """The OCI runtime OciEngine would pick, behind a wrapper of the same name put first on the worker's
    PATH: it runs the real one until `fail()`, then refuses every command (exit 1, a message on stderr)
    as a runtime that can no longer run does, and notes each command it refused, until `mend()`."""

    WRAPPER = """#!/bin/sh
if [ -e "{flag}" ]; then
    echo "$*" >> "{refused}"
    echo "{name}: broken by the fault suite" >&2
    exit 1
fi
exec {real} "$@"
"""

    def __init__(self, workdir: Path):
        real, why = runtime_pick()
        assert real, why
        self.bin, self.flag, self.refused_log = workdir / "bin", workdir / "runtime-off", workdir / "refused"
        self.bin.mkdir(exist_ok=True)
        wrapper = self.bin / Path(real).name  # the same name: OciEngine treats runc as runc
        script = self.WRAPPER.format(flag=self.flag, refused=self.refused_log, name=wrapper.name, real=real)
        wrapper.write_text(script)
        wrapper.chmod(0o755)

    @property
    def path(self) -> str:
        """A PATH for the worker on which the wrapper comes first."""
        return f"{self.bin}:{os.environ['PATH']}"

    def fail(self) -> None:
        self.flag.touch()

    def mend(self) -> None:
        self.flag.unlink(missing_ok=True)

    def refused(self, command: str) -> int:
        """How many `command`s (create, delete, --version...) the broken runtime refused."""
        lines = self.refused_log.read_text().splitlines() if self.refused_log.exists() else []
        return sum(command in line.split() for line in lines)


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
        _terminate(self.process)

    def shutdown(self) -> None:
        """Stop it as scripts/run.sh does, SIGTERM to the main process only: a warm shutdown, in which each
        pool process ends its loop and gives back what its engine keeps (stop() signals them all, and
        a pool process signalled itself just ends)."""
        _terminate(self.process, group=False)

    def pids(self) -> set[int]:
        """The worker's processes now: its pool processes share its process group."""
        return _group(self.process.pid)


def _group(pgid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()  # the name before it may hold spaces
        except OSError:  # the process ended while we looked
            continue
        if int(fields[2]) == pgid:
            found.add(int(stat.parent.name))
    return found


def judged_lines(logs: list[Path]) -> dict[int, int]:
    """How many times each submission got its final verdict written, over every log given."""
    counts: dict[int, int] = {}
    for log in logs:
        for match in re.finditer(rb"submission (\d+) judged: ", log.read_bytes()):
            counts[int(match[1])] = counts.get(int(match[1]), 0) + 1
    return counts


class SiteServer:
    """The site over HTTP on a loopback port, served by daphne as scripts/run.sh does; killed by SIGKILL."""

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.process, self.starts = env, workdir, None, 0
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def logs(self) -> list[Path]:
        return sorted(self.workdir.glob("site-*.log"))

    def start(self) -> None:
        self.starts += 1
        log = self.workdir / f"site-{self.starts}.log"
        command = [str(Path(sys.executable).with_name("daphne")), "-b", "127.0.0.1", "-p", str(self.port)]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [*command, "judge.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: self._up(log), timeout=60, what="the site to serve")

    def _up(self, log: Path) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the site server ended: {log.read_text(errors='replace')[-3000:]}")
        try:
            urllib.request.urlopen(f"{self.url}/healthz", timeout=2).close()  # noqa: S310 - loopback
        except urllib.error.HTTPError:
            pass  # it answers (unhealthy is an answer)
        except OSError:
            return False
        return True

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        _terminate(self.process)


class JudgeHost:
    """`python -m sandbox.host` run from a copy of the sandbox package alone, under an import guard (no
    Django, no site app) and with no database URL, Redis URL or secret key in its environment: it reaches
    the site over HTTP only, and the engine through `docker_host` (a DockerProxy we can cut)."""

    def __init__(self, name: str, token: str, *, site_url: str, lib: Path, workdir: Path, docker_host: str):
        self.name, self.token, self.site_url, self.lib = name, token, site_url, lib
        self.home, self.docker_host, self.process, self.starts = workdir / name, docker_host, None, 0
        self.home.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def library(workdir: Path) -> Path:
        """A folder holding only the sandbox package and the guard that runs a host from it."""
        lib = workdir / "hostlib"
        shutil.copytree(ROOT / "sandbox", lib / "sandbox", ignore=shutil.ignore_patterns("__pycache__"))
        (lib / "guard.py").write_text(GUARD)
        return lib

    @property
    def logs(self) -> list[Path]:
        return sorted(self.home.glob("host-*.log"))

    def start(self) -> None:
        self.starts += 1
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.home),
            "PYTHONPATH": str(self.lib),
            "JUDGE_HOST_TOKEN": self.token,
            "DOCKER_HOST": self.docker_host,
            "SANDBOX_ENGINE": "sandbox.engines.docker.DockerEngine",
            "SANDBOX_DEADLINE_MARGIN": "5",  # a killed host's boxes are leftovers 5 s after their wall limit
        }
        command = [sys.executable, str(self.lib / "guard.py"), str(self.lib), "--site", self.site_url]
        command += ["--heartbeat", "1", "--sweep", "2", "--poll-max", "0.5"]
        command += ["--cache-dir", str(self.home / "cache")]
        with (self.home / f"host-{self.starts}.log").open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=self.home, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def send_signal(self, number: int) -> None:
        os.killpg(self.process.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.send_signal(signal.SIGCONT)  # a paused host would not see the SIGTERM
        _terminate(self.process)

    def log_text(self) -> str:
        return "".join(log.read_text(errors="replace") for log in self.logs)


def _terminate(process: subprocess.Popen | None, *, group: bool = True) -> None:
    if process and process.poll() is None:
        (os.killpg if group else os.kill)(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


SOLUTIONS = {  # source -> verdict; aplusb trimmed to two tests keeps each submission at three boxes or fewer
    "print(sum(map(int, input().split())))": "AC",
    "print(0)": "WA",
    "raise SystemExit(3)": "RE",
    "print(": "CE",
}
MIX = ["print(sum(map(int, input().split())))"] * 4 + ["print(0)", "raise SystemExit(3)", "print("]
SETTINGS = {
    "SECRET_KEY": "faults",
    "DEBUG": "false",
    "JUDGE_MAX_QUEUED_PER_USER": "1000",
    "JUDGE_REQUIRE_LIVE_WORKER": "true",  # submits check the worker's heartbeat, as in production
    "JUDGE_STUCK_AFTER_SECONDS": "8",
    "JUDGE_SWEEP_SECONDS": "2",
    "JUDGE_RECONCILE_SECONDS": "2",
    "JUDGE_RECONCILE_AFTER_SECONDS": "4",
    "JUDGE_ENGINE_RETRY_MAX_SECONDS": "2",
    "JUDGE_ENGINE_CHECK_SECONDS": "3",
    "JUDGE_WORKER_HEARTBEAT_SECONDS": "1",
    "JUDGE_WORKER_DEAD_AFTER_SECONDS": "5",
    "JUDGE_CONTAINER_SWEEP_SECONDS": "3",
    "SANDBOX_DEADLINE_MARGIN": "5",
    "SANDBOX_ENGINE": "sandbox.engines.docker.DockerEngine",
}
SETUP = """
from problems.models import Problem
aplusb = Problem.objects.get(code="aplusb")
for test in aplusb.tests.order_by("order", "id")[2:]:
    test.delete()
print("tests", aplusb.tests.count())
"""
SUBMIT = """
import json, sys
from accounts.models import User
from judge.submissions.services import submission_create
from problems.models import Problem
user, problem = User.objects.get(username="student"), Problem.objects.get(code="aplusb")
sources = json.loads(sys.stdin.read())
ids = [submission_create(user=user, problem=problem, language="python", source=s).id for s in sources]
print("IDS", json.dumps(ids))
"""


class Site:
    """One deployment (PostgreSQL, Redis, the Docker proxy, a Celery worker; `settings` over SETTINGS), the
    submissions it was given, and the checks that none was lost, misjudged or judged twice."""

    def __init__(self, tmp: Path, **settings: str):
        self.tmp = tmp
        # Per-run cgroups made from now on are this suite's to leave clean (cgroups_removed); what the
        # modules before it left is theirs to answer for.
        self.started_at = time.time()
        self.postgres, self.redis, self.proxy = Postgres(), Redis(tmp), DockerProxy(tmp / "docker.sock")
        self.env = {
            **os.environ,
            **SETTINGS,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "DOCKER_HOST": f"unix://{self.proxy.path}",
            "MEDIA_ROOT": str(tmp / "media"),
            "JUDGE_AUDIT_KEY_FILE": str(tmp / "audit-signing-key"),  # not in the checkout's var/
            **settings,
        }
        self.worker = Worker(self.env, tmp)
        self.submitted: dict[int, str] = {}
        self.report: list[str] = []

    @property
    def logs(self) -> list[Path]:
        """Where verdicts and recoveries are logged."""
        return self.worker.logs

    def prepare(self) -> None:
        """Start the database, Redis and the proxy; migrate, load the samples, trim aplusb to two tests."""
        self.postgres.start()
        self.redis.start()
        self.proxy.start()
        for command in (["migrate", "--noinput", "-v0"], ["load_samples"]):
            done = subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=self.env, capture_output=True
            )
            assert done.returncode == 0, done.stderr[-3000:]
        assert "tests 2" in self.manage(SETUP)

    def close(self) -> None:
        self.worker.stop()
        if self.redis.process:
            self.redis.kill()
        self.postgres.close()
        print("\n".join(self.report))

    def manage(self, script: str, stdin: str = "") -> str:
        return self.command("shell", "-c", script, stdin=stdin)

    def command(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def submit(self, count: int) -> list[int]:
        sources = [MIX[i % len(MIX)] for i in range(count)]
        out = self.manage(SUBMIT, json.dumps(sources))
        ids = json.loads(out.split("IDS ", 1)[1])
        self.submitted.update(zip(ids, sources, strict=True))
        return ids

    def query(self, sql: str, params: list) -> list[tuple] | None:
        """Rows straight from PostgreSQL; None while the database is down."""
        try:
            with psycopg.connect(
                self.postgres.url.replace("postgres://", "postgresql://"), connect_timeout=2
            ) as db:
                return list(db.execute(sql, params))
        except psycopg.OperationalError:
            return None

    def rows(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        found = self.query("SELECT id, status, verdict FROM judge_submission WHERE id = ANY(%s)", [ids])
        return {row[0]: (row[1], row[2]) for row in found or ()}

    def done(self, ids: list[int]) -> int:
        return sum(status == "done" for status, _ in self.rows(ids).values())

    def logged(self, text: str) -> int:
        return sum(log.read_text(errors="replace").count(text) for log in self.logs)

    def check(self, name: str, ids: list[int], *, left: int, mended_at: float, timeout: float = 75) -> None:
        try:
            wait_for(
                lambda: self.done(ids) == len(ids), timeout=timeout, what=f"{name}: every submission done"
            )
        finally:
            rows = self.rows(ids)
            wrong = {i: rows.get(i) for i in ids if rows.get(i) != ("done", SOLUTIONS[self.submitted[i]])}
            recovered = time.monotonic() - mended_at
            self.report.append(
                f"{name}: {len(ids)} submitted, {left} unjudged at the fault, {len(wrong)} lost or wrong,"
                f" all done {recovered:.1f} s after it was mended"
            )
            print(self.report[-1])
        assert wrong == {}, wrong
        twice = {i: n for i, n in judged_lines(self.logs).items() if n > 1}
        assert twice == {}, f"judged more than once: {twice}"

    def claimed(self, ids: list[int]) -> None:
        """Wait until the worker holds a claim (a row COMPILING or RUNNING), not in the gap between two
        submissions: a kill there would leave nothing to sweep."""
        busy = ("compiling", "running")
        wait_for(
            lambda: any(s in busy for s, _ in self.rows(ids).values()),
            timeout=30,
            what="a claimed row",
            every=0.02,
        )

    def started(self, ids: list[int], at_least: int = 4) -> int:
        """Wait until judging is under way; how many are still to judge."""
        wait_for(lambda: self.done(ids) >= at_least, timeout=60, what="judging to be under way")
        return len(ids) - self.done(ids)
