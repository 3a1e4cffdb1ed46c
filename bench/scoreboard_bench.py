"""A contest at scale: the scoreboard page and what each verdict costs, for 500 teams by default.

    .venv/bin/python bench/scoreboard_bench.py [--teams 500] [--problems 12] [--submissions 12000]

Builds the contest in a throwaway SQLite database (judged submissions spread over four hours of five, the
board frozen for the last two), with Django's cache in Redis database $OJ_BENCH_REDIS_DB (default 15), as
in production.
Prints the page's server time (database queries included; the first, cold view computes and caches the
board) and its size, then per verdict: the time to update the cached boards (live and frozen) and build
the messages, and the bytes each board group gets. Figures only: speed targets live here, never in tests.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = Path(f"/tmp/ojbench-board-{os.getpid()}.sqlite3")


def _bench_redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{int(os.environ.get('OJ_BENCH_REDIS_DB', '15'))}"))


os.environ.update(
    DJANGO_SETTINGS_MODULE="judge.settings",
    DATABASE_URL=f"sqlite:///{DB_PATH}",
    REDIS_URL=_bench_redis_url(),
    LOG_LEVEL="WARNING",
    ALLOWED_HOSTS="testserver",
)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Tenant, User  # noqa: E402
from judge.contests import events  # noqa: E402
from judge.contests.models import Contest, ContestProblem  # noqa: E402
from judge.submissions.models import Submission, Verdict  # noqa: E402
from problems.models import Problem  # noqa: E402

VERDICTS = [Verdict.AC, Verdict.WA, Verdict.WA, Verdict.TLE, Verdict.RE, Verdict.CE]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def contest_build(teams: int, problems: int, submissions: int) -> tuple[Contest, User, list[User]]:
    call_command("migrate", verbosity=0, interactive=False)
    tenant = Tenant.objects.create(name="Regional", slug="regional")
    staff = User.objects.create_user(username="judge", password=None)
    Membership.objects.create(user=staff, tenant=tenant, role=Membership.Role.INSTRUCTOR)
    users = User.objects.bulk_create(User(username=f"team{n:04d}", password="!") for n in range(teams))
    Membership.objects.bulk_create(Membership(user=u, tenant=tenant) for u in users)
    rows = Problem.objects.bulk_create(
        Problem(tenant=tenant, code=f"p{n:02d}", title=f"Problem {n}", statement="...")
        for n in range(problems)
    )
    now = timezone.now()
    contest = Contest.objects.create(
        tenant=tenant,
        title="Regional",
        slug="regional",
        start_at=now - dt.timedelta(hours=4),
        end_at=now + dt.timedelta(hours=1),
        freeze_minutes=120,
    )
    ContestProblem.objects.bulk_create(
        ContestProblem(contest=contest, problem=p, label=chr(65 + n), order=n) for n, p in enumerate(rows)
    )
    rng = random.Random(7)
    made = [
        Submission(
            user=rng.choice(users),
            problem=rng.choice(rows),
            tenant=tenant,
            contest=contest,
            language="python",
            source="print(1)",
            status=Submission.Status.DONE,
            verdict=rng.choice(VERDICTS),
        )
        for _ in range(submissions)
    ]
    made = Submission.objects.bulk_create(made, batch_size=2000)
    for n, submission in enumerate(made):  # spread over the four hours so far (auto_now_add set "now")
        submission.created_at = submission.judged_at = contest.start_at + dt.timedelta(
            seconds=(n * 4 * 3600) // submissions
        )
    Submission.objects.bulk_update(made, ["created_at", "judged_at"], batch_size=1000)
    return contest, staff, users


def page_figures(contest: Contest, viewer: User, rounds: int = 20) -> tuple[float, list[float], int]:
    client = Client()
    client.force_login(viewer)
    url = f"/contests/{contest.slug}/scoreboard/"
    cache.delete_many([f"contest-board:{contest.id}:live", f"contest-board:{contest.id}:frozen"])
    start = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    warm = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        warm.append(time.perf_counter() - start)
    return cold, warm, len(response.content)


def verdict_figures(contest: Contest, users: list[User], count: int) -> tuple[list[float], list[int]]:
    sent: list[int] = []

    def record(group: str, message: dict) -> None:
        sent.append(len(json.dumps(message)))

    events.group_send_safe = record  # measure what would go through the channel layer
    problem_ids = list(contest.contest_problems.values_list("problem_id", flat=True))
    rng, times = random.Random(11), []
    for _ in range(count):
        submission = Submission.objects.create(
            user=rng.choice(users),
            problem_id=rng.choice(problem_ids),
            tenant=contest.tenant,
            contest=contest,
            language="python",
            source="print(1)",
        )
        Submission.objects.filter(pk=submission.pk).update(
            status=Submission.Status.DONE, verdict=rng.choice(VERDICTS), judged_at=timezone.now()
        )
        start = time.perf_counter()
        events._publish_rows(contest.id, submission.user_id)  # what the worker runs after the verdict commits
        times.append(time.perf_counter() - start)
    return times, sent


def page_after_verdicts(contest: Contest, viewer: User, users: list[User], rounds: int = 10) -> list[float]:
    """The first view after each verdict joins the table again from its rows."""
    client = Client()
    client.force_login(viewer)
    times = []
    for _ in range(rounds):
        verdict_figures(contest, users, 1)
        start = time.perf_counter()
        client.get(f"/contests/{contest.slug}/scoreboard/")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--problems", type=int, default=12)
    parser.add_argument("--submissions", type=int, default=12_000)
    parser.add_argument("--verdicts", type=int, default=50)
    args = parser.parse_args()
    try:
        cache.clear()
        contest, staff, users = contest_build(args.teams, args.problems, args.submissions)
        print(f"contest: {args.teams} teams, {args.problems} problems, {args.submissions} judged submissions")
        for who, viewer in (("staff (live board)", staff), ("participant (frozen board)", users[0])):
            cold, warm, size = page_figures(contest, viewer)
            print(
                f"scoreboard page, {who}: {statistics.median(warm) * 1000:.1f} ms median, "
                f"{max(warm) * 1000:.1f} ms max, {cold * 1000:.0f} ms cold (computes the board), "
                f"{size / 1024:.0f} KiB of HTML"
            )
        times, sent = verdict_figures(contest, users, args.verdicts)
        print(
            f"per verdict: {statistics.median(times) * 1000:.1f} ms median, {p95(times) * 1000:.1f} ms p95 "
            f"(both boards updated in the cache), {len(sent) / args.verdicts:.1f} messages of "
            f"{statistics.median(sent) if sent else 0:.0f} bytes median, {max(sent, default=0)} max, "
            "each sent once per board group"
        )
        after = page_after_verdicts(contest, staff, users)
        print(f"scoreboard page, first view after a verdict: {statistics.median(after) * 1000:.1f} ms median")
    finally:
        cache.clear()
        DB_PATH.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
