"""Submit to final verdict through the whole pipeline: submission_create, Redis, a real Celery worker, Docker.

    .venv/bin/python bench/pipeline_bench.py [--submissions 20] [--engine docker|oci]

Runs against a throwaway SQLite database and var dir, Redis database $OJ_BENCH_REDIS_DB (default 15)
and a Celery queue of its own, so it never touches a developer's data or a worker they left running.
Prints figures only: speed targets live here, never in timed tests.
"""

import argparse
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PID = os.getpid()
DB_PATH = Path(f"/tmp/ojbench-{PID}.sqlite3")
VAR_DIR = Path(tempfile.mkdtemp(prefix=f"ojbench-{PID}-var-"))
QUEUE = f"ojbench-{PID}"
NODE = f"ojbench-{PID}@bench"
CONCURRENCY = 2
POLL_SECONDS = 0.02
SUBMISSION_TIMEOUT = 180
TESTS = 10
ENGINES = {"docker": "sandbox.engines.docker.DockerEngine", "oci": "sandbox.engines.oci.OciEngine"}


def _bench_redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{int(os.environ.get('OJ_BENCH_REDIS_DB', '15'))}"))


# Before Django reads its settings: everything below must point at scratch places.
os.environ.update(
    DJANGO_SETTINGS_MODULE="judge.settings",
    DATABASE_URL=f"sqlite:///{DB_PATH}",
    OJ_VAR_DIR=str(VAR_DIR),
    MEDIA_ROOT=str(VAR_DIR / "media"),
    REDIS_URL=_bench_redis_url(),
    LOG_LEVEL="WARNING",
    JUDGE_MAX_QUEUED_PER_USER="1000",  # the throughput figure queues all its submissions at once
)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.models import Tenant, User  # noqa: E402
from bench.figures import figures_record  # noqa: E402
from judge.celery import app as celery_app  # noqa: E402
from judge.submissions.dispatch import worker_heartbeats  # noqa: E402
from judge.submissions.models import Submission, Verdict  # noqa: E402
from judge.submissions.services import submission_create  # noqa: E402
from problems.models import Problem  # noqa: E402
from problems.services.authoring import problem_create  # noqa: E402
from problems.services.testdata import test_case_add  # noqa: E402

SOLUTIONS = {
    "python": "import sys\ndata = sys.stdin.read().split()\nprint(sum(map(int, data[1:])))\n",
    "cpp": "#include <iostream>\nint main(){int n;long long s=0,x;std::cin>>n;"
    "for(int i=0;i<n;i++){std::cin>>x;s+=x;}std::cout<<s<<'\\n';}\n",
}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def setup_data() -> tuple[User, dict[str, str]]:
    call_command("migrate", verbosity=0, interactive=False)
    tenant = Tenant.objects.create(name="Benchmark scratch", slug="bench-scratch")
    # A superuser is judged on the problem's own tenant, not on the public pool (one box at a time).
    user = User.objects.create_user(username="bench", password=None, is_superuser=True)
    codes = {}
    for language in SOLUTIONS:
        problem = problem_create(
            tenant=tenant,
            code=f"bench-sum-{language}",
            title=f"Sum ({language})",
            statement="Print the sum of $n$ integers.",
            visibility="public",
        )
        for case in range(TESTS):
            numbers = [(case * 7919 + i * 104729) % 2001 - 1000 for i in range(100 * (case + 1))]
            test_case_add(
                problem=problem,
                input_data=f"{len(numbers)}\n{' '.join(map(str, numbers))}\n".encode(),
                answer_data=f"{sum(numbers)}\n".encode(),
                is_sample=case == 0,
                group=None,
            )
        codes[language] = problem.code
    return user, codes


def worker_start(log_path: Path) -> subprocess.Popen:
    options = f"-A judge worker --concurrency={CONCURRENCY} -Q {QUEUE} -n {NODE} -l warning"
    argv = [sys.executable, "-m", "celery", *options.split(), "--without-gossip", "--without-mingle"]
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(
                f"the Celery worker exited with {worker.returncode}:\n{log_path.read_text()[-3000:]}"
            )
        # Submitting needs the worker's heartbeat, which it writes once ready, after it answers pings.
        beat = worker_heartbeats().get(NODE)
        if beat and beat["engine"]:
            worker_stop(worker)
            raise SystemExit(f"the Celery worker's engine does not work: {beat['engine']}")
        if beat and celery_app.control.ping(destination=[NODE], timeout=0.5):
            return worker
        time.sleep(POLL_SECONDS)
    worker_stop(worker)
    raise SystemExit(f"the Celery worker did not answer within 60 s:\n{log_path.read_text()[-3000:]}")


def worker_stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # warm shutdown: the worker stops its own pool processes
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)  # the group of the worker this script started, nothing else
        worker.wait()


def submit(user: User, code: str, language: str) -> int:
    problem = Problem.objects.get(code=code)
    return submission_create(user=user, problem=problem, language=language, source=SOLUTIONS[language]).id


def wait_done(ids: list[int]) -> None:
    deadline = time.monotonic() + SUBMISSION_TIMEOUT * len(ids)
    pending = set(ids)
    while pending:
        if time.monotonic() > deadline:
            raise SystemExit(f"submissions {sorted(pending)} not judged in time; see the worker log")
        done = Submission.objects.filter(pk__in=pending, status=Submission.Status.DONE).values_list(
            "id", flat=True
        )
        pending -= set(done)
        if pending:
            time.sleep(POLL_SECONDS)
    bad = Submission.objects.filter(pk__in=ids).exclude(verdict=Verdict.AC).first()
    if bad is not None:
        raise SystemExit(
            f"submission {bad.id} got {bad.verdict}, not AC: {bad.internal_message or bad.compile_output}"
        )


def latency(user: User, code: str, language: str, count: int) -> dict[str, list[float]]:
    rows: dict[str, list[float]] = {"host": [], "pickup": [], "judging": []}
    for _ in range(count):
        began = time.perf_counter()
        submission_id = submit(user, code, language)
        wait_done([submission_id])
        rows["host"].append(time.perf_counter() - began)
        s = Submission.objects.get(pk=submission_id)
        rows["pickup"].append((s.started_at - s.created_at).total_seconds())
        rows["judging"].append((s.judged_at - s.started_at).total_seconds())
    return rows


def throughput(user: User, code: str, language: str, count: int) -> float:
    began = time.perf_counter()
    ids = [submit(user, code, language) for _ in range(count)]
    wait_done(ids)
    return count / (time.perf_counter() - began) * 60


def report(results: dict[str, dict], rates: dict[str, float], count: int) -> None:
    print(f"\nSubmit to final verdict, {TESTS}-test problem, {count} submissions one at a time (s)")
    print(f"{'language':<10}{'median':>9}{'p95':>9}{'pickup med':>12}{'judging med':>13}")
    for language, rows in results.items():
        print(
            f"{language:<10}{statistics.median(rows['host']):>9.2f}{p95(rows['host']):>9.2f}"
            f"{statistics.median(rows['pickup']):>12.2f}{statistics.median(rows['judging']):>13.2f}"
        )
    print(f"median/p95: host clock from submission_create to the poll (every {POLL_SECONDS * 1000:.0f} ms)")
    print("that sees DONE; pickup = created -> claimed by the worker; judging = claimed -> verdict saved")
    print(f"\nThroughput with {count} queued at once, worker --concurrency {CONCURRENCY}")
    for language, rate in rates.items():
        print(f"{language:<10}{rate:>9.1f} submissions/min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20, help="per language and figure (default 20)")
    parser.add_argument("--engine", choices=sorted(ENGINES), help="sandbox engine (default: $SANDBOX_ENGINE)")
    parser.add_argument("--figures", help="append the issue's figures to this file (see bench/figures.py)")
    args = parser.parse_args()
    if args.engine:
        os.environ["SANDBOX_ENGINE"] = ENGINES[args.engine]  # the worker, started below, inherits it
    # The namespaced key: the settings' CELERY_TASK_DEFAULT_QUEUE ("judging") wins over task_default_queue.
    celery_app.conf.CELERY_TASK_DEFAULT_QUEUE = QUEUE
    user, codes = setup_data()
    log_path = VAR_DIR / "worker.log"
    worker = worker_start(log_path)
    try:
        print(f"worker: celery --concurrency {CONCURRENCY}, queue {QUEUE}, Redis {os.environ['REDIS_URL']}")
        print(f"engine: {os.environ.get('SANDBOX_ENGINE') or 'the default'}")
        for language, code in codes.items():  # warm both pool processes: imports, Docker client, images
            wait_done([submit(user, code, language) for _ in range(CONCURRENCY)])
        results = {
            language: latency(user, code, language, args.submissions) for language, code in codes.items()
        }
        rates = {
            language: throughput(user, code, language, args.submissions) for language, code in codes.items()
        }
        report(results, rates, args.submissions)
        engine = args.engine or next(
            (name for name, path in ENGINES.items() if path == os.environ.get("SANDBOX_ENGINE")), "docker"
        )
        figures_record(args.figures, engine, "verdict_p50", statistics.median(results["python"]["host"]))
    except SystemExit:
        print(f"worker log (last lines):\n{log_path.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        worker_stop(worker)


def cleanup() -> None:
    from django.db import connections

    connections.close_all()
    try:
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(f"*{QUEUE}*"):
            client.delete(key)
    except Exception as exc:  # noqa: BLE001 - leftover keys are harmless; say so and go on
        print(f"(could not remove the Redis keys of queue {QUEUE}: {exc})", file=sys.stderr)
    for path in DB_PATH.parent.glob(f"{DB_PATH.name}*"):
        path.unlink()
    shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        cleanup()
