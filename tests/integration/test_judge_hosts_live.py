"""A real judge host (python -m sandbox.host) against a live site, judging on real Docker.

The host runs in a subprocess with no database URL, Redis URL or secret key in its environment, from a
copy of only the sandbox package, in a directory away from the site's media; a guard makes any import of
Django or of the site's apps fail. It talks to the site only over HTTP.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest

import sandbox
from judge.audit.models import AuditRecord
from judge.audit.verify import audit_chain_verify
from judge.hosts import views as host_views
from judge.hosts.models import JudgeJob
from judge.hosts.services import host_add, host_revoke
from judge.judging.sweeper import submission_sweep_stuck
from judge.submissions.models import Submission, Verdict
from judge.submissions.services import submission_create
from problems.models import Problem
from problems.services import testdata
from tests.factories import MembershipFactory, ProblemFactory, UserFactory
from tests.integration.host_checks import boxes_on_host

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
GUARD = """
import runpy, sys
class _NoSite:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("django", "judge", "problems", "accounts"):
            raise ImportError(f"the judge host must not import {name}")
sys.meta_path.insert(0, _NoSite())
import os, sandbox
assert sandbox.__file__.startswith(sys.argv[1]), sandbox.__file__
for hidden in filter(None, os.environ.get("OJ_HIDDEN", "").split(":")):
    assert os.listdir(hidden) == [], f"the judge host can see {hidden}"
sys.argv = ["sandbox.host", *sys.argv[2:]]
runpy.run_module("sandbox.host", run_name="__main__", alter_sys=True)
"""


@pytest.fixture
def hosts_site(live_server, settings):
    settings.JUDGE_EXECUTION = "hosts"
    return live_server.url


@pytest.fixture
def fetched(monkeypatch):
    """Every test file the site serves to hosts, by hash, in order."""
    served: list[str] = []
    real = host_views.test_file_get

    def counting(*, host, sha):
        served.append(sha)
        return real(host=host, sha=sha)

    monkeypatch.setattr(host_views, "test_file_get", counting)
    return served


def _hiding(paths: list[Path]) -> list[str]:
    """A command prefix that runs the host in its own mount namespace where `paths` are empty (as root,
    where unshare is at hand; elsewhere the host still gets no URL or key, only the same disk)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return []
    mounts = " && ".join(f"mount -t tmpfs -o size=1m tmpfs '{path}'" for path in paths)
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", f'{mounts} && exec "$@"', "hide"]


@pytest.fixture
def start_host(tmp_path_factory, settings):
    """Start a judge host for a token, in a view of the disk with no media, no database file and no
    var/ (secret key, audit key); it is stopped (and its log printed) at the end."""
    from django.db import connection

    hidden = [Path(settings.MEDIA_ROOT), ROOT / "var", Path(connection.settings_dict["NAME"]).parent]
    hidden = sorted({path.resolve() for path in hidden if path.is_dir()})
    started: list[tuple[subprocess.Popen, Path]] = []
    lib = tmp_path_factory.mktemp("hostlib")
    shutil.copytree(ROOT / "sandbox", lib / "sandbox", ignore=shutil.ignore_patterns("__pycache__"))
    (lib / "guard.py").write_text(GUARD)

    def start(site: str, token: str, **extra_env: str) -> subprocess.Popen:
        home = tmp_path_factory.mktemp("hosthome")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "PYTHONPATH": str(lib),
            "JUDGE_HOST_TOKEN": token,
            **{k: os.environ[k] for k in ("DOCKER_HOST", "SANDBOX_ENGINE") if k in os.environ},
            "OJ_HIDDEN": ":".join(str(path) for path in hidden) if _hiding(hidden) else "",
            **extra_env,
        }
        log = home / "host.log"
        command = [*_hiding(hidden), sys.executable, str(lib / "guard.py"), str(lib), "--site", site]
        command += ["--heartbeat", "1"]
        command += ["--poll-max", "0.5", "--sweep", "2", "--cache-dir", str(home / "cache")]
        process = subprocess.Popen(command, cwd=home, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        print(f"---- judge host log\n{log.read_text()[-4000:]}")


def _problem(**fields):
    problem = ProblemFactory(time_limit=2.0, **fields)
    for input_data, answer, sample in (
        ("1 2\n", "3\n", True),
        ("1000000000000 -7\n", "999999999993\n", False),
    ):
        testdata.test_case_add(
            problem=problem,
            input_data=input_data.encode(),
            answer_data=answer.encode(),
            is_sample=sample,
            group=None,
        )
    return problem


def _wait_done(ids: list[int], seconds: float = 150) -> list[Submission]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = list(Submission.objects.filter(pk__in=ids, status=Submission.Status.DONE).order_by("id"))
        if len(done) == len(ids):
            return done
        time.sleep(0.5)
    states = list(Submission.objects.filter(pk__in=ids).values_list("id", "status", "internal_message"))
    raise AssertionError(f"not judged in {seconds} s: {states}")


def test_a_judge_host_without_database_access_judges_real_submissions(hosts_site, start_host, fetched):
    host, token = host_add(name="remote-1")
    problem = _problem()
    user = UserFactory()
    source_ac = "a, b = map(int, input().split())\nprint(a + b)\n"
    accepted = submission_create(user=user, problem=problem, language="python", source=source_ac)
    wrong = submission_create(user=user, problem=problem, language="python", source="print(3)\n")
    compile_error = submission_create(user=user, problem=problem, language="c", source="int main( {\n")

    start_host(hosts_site, token)
    judged = {s.id: s for s in _wait_done([accepted.id, wrong.id, compile_error.id])}

    assert judged[accepted.id].verdict == Verdict.AC and judged[accepted.id].score == 1
    assert judged[wrong.id].verdict == Verdict.WA
    assert judged[compile_error.id].verdict == Verdict.CE and judged[compile_error.id].compile_output
    assert all(s.worker == "host:remote-1" and s.internal_message == "" for s in judged.values())
    results = list(judged[wrong.id].results.order_by("order").values_list("verdict", "output_excerpt"))
    assert results == [("AC", "3\n"), ("WA", "")]  # the sample's output is kept, as the local path does
    # Four distinct files (two inputs, two answers), each fetched once although two submissions used them.
    assert len(fetched) == len(set(fetched)) == 4
    host.refresh_from_db()
    assert host.last_heartbeat is not None and host.languages.get("python")
    # Each run is in the execution log as the host signed it (its key made on its first start).
    runs = AuditRecord.objects.filter(submission_id=wrong.id, kind=AuditRecord.Kind.RUN)
    assert sorted(runs.values_list("host", "data__test")) == [("host:remote-1", 1), ("host:remote-1", 2)]
    assert {r.data["host_key_id"] for r in runs} == {sandbox.host_key_id(host.public_key)}
    assert audit_chain_verify().ok


def test_a_corrupted_download_is_rejected_and_never_judged_with(hosts_site, start_host, monkeypatch):
    token = host_add(name="remote-2")[1]
    problem = _problem()
    monkeypatch.setattr(host_views, "test_file_get", lambda *, host, sha: b"not the file\n")
    submission = submission_create(
        user=UserFactory(), problem=problem, language="python", source="print(3)\n"
    )

    start_host(hosts_site, token)
    (judged,) = _wait_done([submission.id])

    assert judged.verdict == Verdict.IE  # after the one retry an internal error gets
    assert "has another hash" in judged.internal_message
    assert not judged.results.exists()


def test_a_revoked_host_is_refused_and_stops(hosts_site, start_host, admin_user):
    host, token = host_add(name="remote-3")
    host_revoke(user=admin_user, host_id=host.id)

    process = start_host(hosts_site, token)

    assert process.wait(timeout=60) == 2


def test_a_host_killed_mid_job_loses_nothing(hosts_site, start_host):
    problem = _problem()
    slow_ac = "import time\ntime.sleep(1.5)\na, b = map(int, input().split())\nprint(a + b)\n"
    submission = submission_create(user=UserFactory(), problem=problem, language="python", source=slow_ac)
    # Its boxes count as leftovers a second after their wall limit: the next host sweeps them away.
    dying = start_host(hosts_site, host_add(name="dies")[1], SANDBOX_DEADLINE_MARGIN="1")
    deadline = time.monotonic() + 60
    while not JudgeJob.objects.filter(submission=submission).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    dying.send_signal(signal.SIGKILL)
    dying.wait(timeout=10)
    left = _boxes()  # the dead host's boxes among them (a running one, spares made ahead)

    assert submission_sweep_stuck(older_than=0) == [submission.id]  # it went silent
    start_host(hosts_site, host_add(name="takes-over")[1])
    (judged,) = _wait_done([submission.id])

    assert (judged.verdict, judged.worker) == (Verdict.AC, "host:takes-over")
    assert judged.results.count() == 2
    deadline = time.monotonic() + 40
    while left & _boxes() and time.monotonic() < deadline:  # the live host's sweep removes them
        time.sleep(0.5)
    assert not left & _boxes()


def _boxes() -> set[str]:
    return boxes_on_host(docker.from_env())


PARITY_CHECKER = """import sys
answer = open(sys.argv[2]).read().split()
got = sys.stdin.read().split()
same = len(got) == len(answer) and all(int(a) % 2 == int(b) % 2 for a, b in zip(got, answer))
open(sys.argv[3] + "judgemessage.txt", "w").write("parity ok" if same else "wrong parity")
sys.exit(42 if same else 43)
"""


def test_a_custom_checker_is_compiled_and_run_on_the_host(hosts_site, start_host):
    problem = _problem(
        checker=Problem.Checker.CUSTOM, checker_language="python", checker_source=PARITY_CHECKER
    )
    user = UserFactory()
    same_parity = "a, b = map(int, input().split())\nprint(a + b + 2)\n"
    accepted = submission_create(user=user, problem=problem, language="python", source=same_parity)
    rejected = submission_create(user=user, problem=problem, language="python", source="print(2)\n")

    start_host(hosts_site, host_add(name="checks")[1])
    judged = {s.id: s for s in _wait_done([accepted.id, rejected.id])}

    assert judged[accepted.id].verdict == Verdict.AC
    assert judged[rejected.id].verdict == Verdict.WA
    assert judged[rejected.id].results.get(order=1).checker_message == "wrong parity"


def test_run_box_runs_go_to_a_judge_host_too(hosts_site, start_host, monkeypatch):
    from judge import tasks
    from judge.submissions import tryout

    monkeypatch.setattr(
        tryout.app, "send_task", lambda name, args: tasks.tryout_run(*args)
    )  # the site's worker
    problem = _problem()
    user = MembershipFactory(tenant=problem.tenant).user
    source = "a, b = map(int, input().split())\nprint(a + b)\n"
    on_sample = tryout.tryout_create(user=user, problem=problem, language="python", source=source, sample=1)
    own_input = tryout.tryout_create(
        user=user, problem=problem, language="python", source=source, sample=None, stdin="20 22\n"
    )
    broken = tryout.tryout_create(user=user, problem=problem, language="c", source="int main( {", sample=1)

    start_host(hosts_site, host_add(name="runs")[1])
    results = {token: _tryout_done(user, token) for token in (on_sample, own_input, broken)}

    assert (results[on_sample]["outcome"], results[on_sample]["stdout"]) == ("OK", "3\n")
    assert results[on_sample]["matches"] is True
    assert (results[own_input]["stdout"], results[own_input]["matches"]) == ("42\n", None)
    assert results[broken]["outcome"] == "CE" and "error" in results[broken]["compile_output"]
    logged = AuditRecord.objects.filter(host="host:runs", data__tryout=True)
    assert logged.filter(kind=AuditRecord.Kind.RUN).count() == 2 and audit_chain_verify().ok


def _tryout_done(user, token: str, seconds: float = 90) -> dict:
    from judge.submissions.tryout import tryout_result_get

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (result := tryout_result_get(user=user, token=token))["status"] == "done":
            return result
        time.sleep(0.3)
    raise AssertionError(f"tryout {token} not answered in {seconds} s")
