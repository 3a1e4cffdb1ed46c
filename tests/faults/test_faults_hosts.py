"""The fault suite with judging split off (JUDGE_EXECUTION=hosts): the site served over HTTP, two judge hosts
(python -m sandbox.host, no database access) that claim jobs from it, and the site's Celery worker only
keeping house (the sweeper, the reconcile). A host is killed mid-job, a paused host comes back after its
job went to the other one, Redis restarts empty, PostgreSQL restarts, the site server restarts, the
hosts' engine vanishes. Every submission still ends DONE with its right verdict, none gets its verdict
written twice, a late host's results are refused, and no box is left behind.

The site's own processes get no Docker engine at all: every box is a host's, and so is every cleanup.
`pytest -m faults`.
"""

import signal
import subprocess
import sys
import time

import pytest

from tests.faults.harness import ROOT, JudgeHost, Site, SiteServer, boxes_removed, cgroups_removed, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.docker]

PER_FAULT = 12
HELD = """
SELECT j.id, j.submission_id, j.claim, j.last_seq FROM judge_judgejob j
JOIN judge_judgehost h ON h.id = j.host_id JOIN judge_submission s ON s.id = j.submission_id
WHERE h.name = %s AND j.finished_at IS NULL AND s.claim = j.claim AND s.status IN ('compiling', 'running')
"""
JUDGED = "SELECT status, verdict, worker, claim, judged_at FROM judge_submission WHERE id = %s"
MARKED = "SELECT id, internal_message FROM judge_submission WHERE id = ANY(%s) AND internal_message <> ''"
RESULTS = 'SELECT id, "order", verdict, time FROM judge_testresult WHERE submission_id = %s ORDER BY id'


class HostsSite(Site):
    def __init__(self, tmp):
        super().__init__(tmp, JUDGE_EXECUTION="hosts", DOCKER_HOST=f"unix://{tmp}/no-engine-here.sock")
        self.server = SiteServer(self.env, tmp)
        self.hosts: list[JudgeHost] = []

    @property
    def logs(self):
        return self.worker.logs + self.server.logs  # the sweeper's and the verdicts' lines

    def hosts_logged(self, text: str) -> int:
        return sum(host.log_text().count(text) for host in self.hosts)

    def start_hosts(self, *names: str) -> None:
        lib = JudgeHost.library(self.tmp)
        adding = [  # `manage.py judge_host_add NAME` prints the token, as an operator would get it
            subprocess.Popen(
                [sys.executable, "manage.py", "judge_host_add", name],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in names
        ]
        for name, process in zip(names, adding, strict=True):
            token, errors = process.communicate(timeout=60)
            assert process.returncode == 0, errors
            host = JudgeHost(
                name,
                token.strip(),
                site_url=self.server.url,
                lib=lib,
                workdir=self.tmp,
                docker_host=f"unix://{self.proxy.path}",
            )
            host.start()
            self.hosts.append(host)
        wait_for(self._all_beat, timeout=60, what="every judge host's first heartbeat")

    def _all_beat(self) -> bool:
        beat = self.query("SELECT name FROM judge_judgehost WHERE last_heartbeat IS NOT NULL", [])
        return {host.name for host in self.hosts} <= {name for (name,) in beat or ()}

    def close(self) -> None:
        for host in self.hosts:
            host.stop()
            print(f"---- judge host {host.name}\n{host.log_text()[-3000:]}")
        self.server.stop()
        super().close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = HostsSite(tmp_path_factory.mktemp("faults-hosts"))
    try:
        site.prepare()
        site.worker.start()
        site.server.start()
        site.start_hosts("h1", "h2")
        yield site
    finally:
        site.close()


def _held(site: HostsSite, host: JudgeHost) -> tuple | None:
    """(job, submission, claim, last seq) of a job the host is judging now and still owns."""
    rows = site.query(HELD, [host.name])
    return rows[0] if rows else None


def _caught(site: HostsSite, host: JudgeHost, *, fault, undo) -> tuple:
    """Apply `fault` to the host while it holds a job, and make sure it still held it once the fault was in
    (the job could have ended in between: then `undo` and try again); that job."""
    for _ in range(5):
        job = wait_for(lambda: _held(site, host), timeout=30, what=f"a job {host.name} holds", every=0.02)
        fault()
        time.sleep(0.3)  # a result it had already sent is applied by now
        if _held(site, host) == job:
            return job
        undo()
    raise AssertionError(f"{host.name} never held a job at the moment of the fault")


def test_host_killed_mid_job(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)
    dying = site.hosts[0]

    job = _caught(site, dying, fault=dying.kill, undo=dying.start)
    dying.start()  # the same machine back, knowing nothing of the job it held
    site.check("host killed mid-job", ids, left=left, mended_at=time.monotonic())
    assert site.logged(f"submission {job[1]} stuck since")  # the sweeper requeued what it held


def test_engine_unreachable_mid_load(site):
    # Early: a box whose create reply was cut off is a leftover only after its (compile) wall limit.
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.proxy.stop()  # the hosts' engine vanishes for a few seconds, mid-run for some boxes
    time.sleep(4)
    assert site.done(ids) < len(ids)
    site.proxy.start()
    site.check("engine unreachable 4 s", ids, left=left, mended_at=time.monotonic())
    assert site.hosts_logged("the engine is down")  # such jobs went back to the queue ...
    assert site.query(MARKED, [ids]) == []  # ... and none counted as an internal error (retried or IE)


def test_a_host_back_late_cannot_overwrite_newer_results(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)
    late = site.hosts[0]

    job_id, submission_id, claim, seq = _caught(
        site,
        late,
        fault=lambda: late.send_signal(signal.SIGSTOP),
        undo=lambda: late.send_signal(signal.SIGCONT),
    )
    # Silent past JUDGE_STUCK_AFTER_SECONDS: swept, claimed again and judged by the other host.
    wait_for(
        lambda: site.rows([submission_id]).get(submission_id, ("",))[0] == "done",
        timeout=60,
        what="the paused host's submission to be judged by another",
    )
    judged, results = site.query(JUDGED, [submission_id]), site.query(RESULTS, [submission_id])
    assert judged[0][2] == "host:h2" and judged[0][3] != claim, judged
    late.send_signal(signal.SIGCONT)
    wait_for(
        lambda: f"job {job_id} abandoned: 410" in late.log_text(),
        timeout=30,
        what="the late host's results to be refused",
    )
    site.check("host paused until its job went to another", ids, left=left, mended_at=time.monotonic())
    assert site.query(JUDGED, [submission_id]) == judged
    assert site.query(RESULTS, [submission_id]) == results
    assert site.query("SELECT last_seq FROM judge_judgejob WHERE id = %s", [job_id]) == [(seq,)]


def test_redis_restarted_without_persistence_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.redis.kill()  # the hosts' heartbeats, the channel layer and every queued message are gone
    site.redis.start()
    # Submitting wants a live judge host: their next heartbeats tell the empty Redis again.
    ids += wait_for(lambda: _submitted(site), timeout=20, what="a submit to be accepted again")
    site.check("redis restarted empty", ids, left=left, mended_at=time.monotonic())


def _submitted(site: HostsSite) -> list[int] | None:
    try:
        return site.submit(1)
    except AssertionError as exc:
        assert "No judge is running" in str(exc), exc
        return None


def test_database_restarted_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.postgres.stop()
    time.sleep(2)
    site.postgres.start()
    site.check("postgresql restarted", ids, left=left, mended_at=time.monotonic())
    assert site.hosts_logged("500: ")  # the site answered the hosts 500 meanwhile: they tried again


def test_site_server_restarted_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.server.kill()  # mid-request for some: a claim, a test file, a result
    time.sleep(1)
    site.server.start()
    site.check("site server restarted", ids, left=left, mended_at=time.monotonic())
    assert site.hosts_logged("trying again")  # a result the host held when the site went was kept


def test_no_box_is_left_behind(site):
    boxes_removed(site.proxy, timeout=60, who="the hosts")


def test_no_cgroup_directory_is_left_behind(site):
    cgroups_removed(since=site.started_at)
