"""Nothing lost, nothing leaked: a few dozen submissions in flight, then the worker is killed, Redis restarts
empty, PostgreSQL restarts, the engine vanishes. Every submission still ends DONE with its right verdict,
none gets its verdict written twice, and no box is left behind.

Real parts only: a Celery worker subprocess, our own Redis (no persistence) and PostgreSQL, the real Docker
engine behind a proxy socket we can cut (the shared dockerd itself is never stopped). `pytest -m faults`.
"""

import json
import os
import subprocess
import sys
import time

import docker
import psycopg
import pytest

from sandbox.cgroups import ROOT as CGROUP_ROOT
from sandbox.cgroups import cgroup_parents
from sandbox.engines.docker import DEADLINE_LABEL
from tests.faults.harness import ROOT, DockerProxy, Postgres, Redis, Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.docker]

SOLUTIONS = {  # source -> verdict; aplusb trimmed to two tests keeps each submission at three boxes or fewer
    "print(sum(map(int, input().split())))": "AC",
    "print(0)": "WA",
    "raise SystemExit(3)": "RE",
    "print(": "CE",
}
MIX = ["print(sum(map(int, input().split())))"] * 4 + ["print(0)", "raise SystemExit(3)", "print("]
PER_FAULT = 21
SUITE_STARTED = time.time()
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
    def __init__(self, tmp):
        self.tmp = tmp
        self.postgres, self.redis, self.proxy = Postgres(), Redis(tmp), DockerProxy(tmp / "docker.sock")
        self.env = {
            **os.environ,
            **SETTINGS,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "DOCKER_HOST": f"unix://{self.proxy.path}",
            "MEDIA_ROOT": str(tmp / "media"),
        }
        self.worker = Worker(self.env, tmp)
        self.submitted: dict[int, str] = {}
        self.report: list[str] = []

    def manage(self, script: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
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

    def rows(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        try:
            with psycopg.connect(
                self.postgres.url.replace("postgres://", "postgresql://"), connect_timeout=2
            ) as db:
                found = db.execute(
                    "SELECT id, status, verdict FROM judge_submission WHERE id = ANY(%s)", [ids]
                )
                return {row[0]: (row[1], row[2]) for row in found}
        except psycopg.OperationalError:
            return {}  # the database is down just now

    def done(self, ids: list[int]) -> int:
        return sum(status == "done" for status, _ in self.rows(ids).values())

    def logged(self, text: str) -> int:
        return sum(log.read_text(errors="replace").count(text) for log in self.worker.logs)

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
        twice = {i: n for i, n in self.worker.judged_lines().items() if n > 1}
        assert twice == {}, f"judged more than once: {twice}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("faults"))
    site.postgres.start()
    site.redis.start()
    site.proxy.start()
    try:
        out = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=site.env,
            capture_output=True,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        subprocess.run(
            [sys.executable, "manage.py", "load_samples"],
            cwd=ROOT,
            env=site.env,
            check=True,
            capture_output=True,
        )
        assert "tests 2" in site.manage(SETUP)
        site.worker.start()
        yield site
    finally:
        site.worker.stop()
        site.redis.kill()
        site.postgres.close()
        print("\n".join(site.report))


def _started(site: Site, ids: list[int], at_least: int = 4) -> int:
    """Wait until judging is under way; how many are still to judge."""
    wait_for(lambda: site.done(ids) >= at_least, timeout=60, what="judging to be under way")
    return len(ids) - site.done(ids)


def test_worker_killed_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = _started(site, ids)
    # Kill it while it holds a claim, not in the gap between two submissions (that left nothing to sweep).
    busy = ("compiling", "running")
    wait_for(
        lambda: any(s in busy for s, _ in site.rows(ids).values()),
        timeout=30,
        what="a claimed row",
        every=0.02,
    )

    site.worker.kill()  # SIGKILL: its claimed rows stay COMPILING/RUNNING, its messages stay unacknowledged
    site.worker.start()
    site.check("worker killed", ids, left=left, mended_at=time.monotonic())
    assert site.logged("judging it again")  # the sweeper requeued what the dead worker held


def test_redis_restarted_without_persistence_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = _started(site, ids)

    site.redis.kill()  # every queued message and heartbeat is gone
    site.redis.start()
    site.check("redis restarted empty", ids, left=left, mended_at=time.monotonic())
    assert site.logged("the broker did not hold")  # the reconcile sent them again


def test_database_restarted_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = _started(site, ids)

    site.postgres.stop()
    time.sleep(2)
    site.postgres.start()
    site.check("postgresql restarted", ids, left=left, mended_at=time.monotonic())
    assert site.logged("retry: Retry in")


def test_engine_unreachable_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = _started(site, ids)

    site.proxy.stop()  # the engine vanishes for a few seconds, mid-run for some boxes
    time.sleep(4)
    assert site.done(ids) < len(ids)
    site.proxy.start()
    site.check("engine unreachable 4 s", ids, left=left, mended_at=time.monotonic())
    assert site.logged("the engine is down")  # given back, not IE


def test_no_box_is_left_behind(site):
    client = docker.from_env(timeout=30)

    def leftovers() -> set[str]:
        alive = {box["Id"] for box in client.api.containers(all=True, filters={"label": "ojudge.run"})}
        return alive & site.proxy.containers

    def overdue() -> set[str]:  # whoever made them (a create whose reply was cut off has no known id)
        boxes = client.api.containers(all=True, filters={"label": "ojudge.run"})
        return {
            box["Id"] for box in boxes if float(box["Labels"].get(DEADLINE_LABEL, "inf")) < time.time() - 15
        }

    assert site.proxy.containers, "the proxy saw no container: the worker did not use it"
    wait_for(lambda: not leftovers(), timeout=90, what="the sweep to remove the boxes the worker made")
    assert overdue() == set()


def test_no_cgroup_directory_is_left_behind(site):
    """Every per-run cgroup the load made is gone, in every hierarchy (v1 controllers and the unified one)."""

    def leftovers() -> list[str]:
        settled = time.time() - 30  # a run that started in the last seconds may still be tidying up
        return [
            str(run)
            for parent in cgroup_parents(CGROUP_ROOT)
            if parent.is_dir()
            for run in parent.iterdir()
            if run.is_dir() and SUITE_STARTED <= run.stat().st_mtime < settled
        ]

    wait_for(lambda: not leftovers(), timeout=30, what="every per-run cgroup directory to be removed")
