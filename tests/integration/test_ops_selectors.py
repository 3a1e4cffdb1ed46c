"""The operators' dashboard's numbers on fixture data: quota bars, today's refusals, charts, anomalies,
workers, the minute samples; a tenant's view never holds another tenant's data."""

import datetime as dt
import signal

import pytest
from django.utils import timezone

from accounts.models import Membership
from judge.judging import workers
from judge.ops import charts
from judge.ops.models import OpsSample
from judge.ops.selectors import (
    ANOMALY_MIN_SUBMISSIONS,
    anomaly_list,
    bar,
    ops_scope_get,
    ops_snapshot,
    ops_snapshots_all,
    tenant_load_list,
    worker_list,
)
from judge.ops.services import ops_sample_record
from judge.submissions import dispatch
from judge.submissions.errors import QuotaExceeded
from judge.submissions.models import Submission, TenantQuota, TestResult, Verdict
from judge.submissions.quotas import usage_record, usage_today
from judge.submissions.services import submission_create
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, TenantFactory, UserFactory
from tests.integration.fake_engine import FakeEngine

pytestmark = pytest.mark.django_db


def _at(submission: Submission, *, created: dt.datetime, judged: dt.datetime | None = None, **fields):
    Submission.objects.filter(pk=submission.pk).update(created_at=created, judged_at=judged, **fields)


def _done(problem, verdict: str, *, created: dt.datetime, latency: float, user=None, **fields) -> Submission:
    submission = SubmissionFactory(problem=problem, **({"user": user} if user else {}))
    judged = created + dt.timedelta(seconds=latency)
    _at(submission, created=created, judged=judged, status=Submission.Status.DONE, verdict=verdict, **fields)
    return submission


def _result(submission: Submission, verdict: str, *, order: int = 1, sig: int | None = None) -> None:
    TestResult.objects.create(submission=submission, order=order, verdict=verdict, signal=sig)


@pytest.fixture
def two_schools():
    ours, theirs = TenantFactory(name="Alpha School"), TenantFactory(name="Beta Club")
    return ProblemFactory(tenant=ours), ProblemFactory(tenant=theirs)


def test_bar_levels_turn_amber_at_75_and_red_at_90_percent():
    assert bar(74, 100)["level"] == "ok"
    assert bar(75, 100)["level"] == "warn"
    assert bar(89.9, 100)["level"] == "warn"
    assert bar(90, 100)["level"] == "high"
    assert bar(150, 100) | {} == {"used": 150, "limit": 100, "percent": 100.0, "level": "high"}
    assert bar(0, 0)["level"] == "high"  # a zero limit allows nothing: it is full


def test_percentile_is_nearest_rank():
    assert charts.percentile([], 0.5) is None
    assert charts.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert charts.percentile([float(n) for n in range(1, 101)], 0.95) == 95.0


def test_tenant_load_counts_runs_queue_cpu_and_refusals_against_limits(two_schools):
    problem, other = two_schools
    tenant = problem.tenant
    TenantQuota.objects.create(tenant=tenant, max_running=4, max_queued=10, cpu_seconds_per_day=100)
    for _ in range(3):
        SubmissionFactory(problem=problem, status=Submission.Status.RUNNING, heartbeat_at=timezone.now())
    for _ in range(9):
        SubmissionFactory(problem=problem)  # queued
    SubmissionFactory(problem=other)  # another tenant's
    usage_record(tenant_id=tenant.id, cpu_seconds=80.25, rejections=2)

    (row,) = tenant_load_list(tenant_ids={tenant.id})

    assert row["name"] == "Alpha School"
    assert row["running"] == {"used": 3, "limit": 4, "percent": 75.0, "level": "warn"}
    assert row["queued"] == {"used": 9, "limit": 10, "percent": 90.0, "level": "high"}
    assert row["cpu"] == {"used": 80.2, "limit": 100, "percent": 80.2, "level": "warn"}
    assert row["rejections"] == 2
    assert row["saturation"] == 0.9


def test_a_tenant_without_a_quota_row_shows_the_default_limits(two_schools):
    problem, _ = two_schools
    (row,) = tenant_load_list(tenant_ids={problem.tenant_id})
    assert (row["running"]["limit"], row["queued"]["limit"], row["cpu"]["limit"]) == (2, 200, 20000)


def test_a_quota_refusal_is_counted_once_and_nothing_else_is_saved(two_schools):
    problem, _ = two_schools
    TenantQuota.objects.create(tenant=problem.tenant, max_queued=1)
    member = MembershipFactory(tenant=problem.tenant).user
    SubmissionFactory(problem=problem)  # the queue is full now

    with pytest.raises(QuotaExceeded) as refused:
        submission_create(user=member, problem=problem, language="python", source="print(1)")

    assert refused.value.status == 429
    assert Submission.objects.filter(user=member).count() == 0
    usage = usage_today(tenant_id=problem.tenant_id)
    assert (usage.rejections, usage.submissions) == (1, 0)


def test_a_refusal_of_the_user_waiting_cap_is_not_a_quota_refusal(two_schools, settings):
    problem, _ = two_schools
    settings.JUDGE_MAX_QUEUED_PER_USER = 1
    member = MembershipFactory(tenant=problem.tenant).user
    SubmissionFactory(problem=problem, user=member)
    with pytest.raises(Exception, match="waiting"):
        submission_create(user=member, problem=problem, language="python", source="print(1)")
    assert usage_today(tenant_id=problem.tenant_id).rejections == 0


def test_charts_count_submissions_verdicts_latency_and_rates_per_hour(two_schools):
    problem, other = two_schools
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    recent = hour + dt.timedelta(minutes=1)
    for latency in (1, 2, 3, 4):
        _done(problem, Verdict.AC, created=recent, latency=latency)
    _done(problem, Verdict.TLE, created=recent, latency=10)
    _done(problem, Verdict.IE, created=recent - dt.timedelta(hours=30), latency=5)  # in 7 d, not 24 h
    _done(problem, Verdict.AC, created=recent - dt.timedelta(days=8), latency=1)  # too old for either
    SubmissionFactory(problem=problem, created_at=recent)  # still queued: counted, not judged
    _done(other, Verdict.WA, created=recent, latency=1)

    series = ops_snapshot(scope=_scope_of(problem.tenant))["charts"]

    day, week = series["24h"], series["7d"]
    assert len(day["x"]) == 24 and len(week["x"]) == 168
    assert day["x"][-1] == int(hour.timestamp())
    (line,) = day["submissions"]
    assert line["label"] == "Alpha School" and line["values"][-1] == 6 and sum(line["values"]) == 6
    assert sum(week["submissions"][0]["values"]) == 7
    assert day["verdicts"] == {"AC": 4, "TLE": 1}
    assert week["verdicts"] == {"AC": 4, "TLE": 1, "IE": 1}
    p50, p95 = day["latency"]
    assert (p50["values"][-1], p95["values"][-1]) == (3.0, 10.0)
    assert p50["values"][0] is None  # an hour with nothing judged has no latency
    rates = {line["label"]: line["values"][-1] for line in day["rates"]}
    assert rates == {"TLE": 20.0, "MLE": 0.0, "IE": 0.0}


def _scope_of(tenant):
    admin = MembershipFactory(tenant=tenant, role=Membership.Role.ADMIN).user
    return ops_scope_get(user=admin)


def test_rejudged_submissions_do_not_count_in_latency(two_schools):
    problem, _ = two_schools
    recent = timezone.now() - dt.timedelta(minutes=5)
    _done(problem, Verdict.AC, created=recent, latency=2)
    _done(problem, Verdict.AC, created=recent, latency=3000, rejudged_at=timezone.now())
    p50, p95 = ops_snapshot(scope=_scope_of(problem.tenant))["charts"]["24h"]["latency"]
    assert [v for v in p95["values"] if v is not None] == [2.0]


def test_queue_depth_and_saturation_come_from_the_minute_samples(two_schools):
    problem, other = two_schools
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    OpsSample.objects.create(at=hour, queued=7, saturation=0.5)
    OpsSample.objects.create(at=hour, tenant=problem.tenant, queued=5, saturation=0.5)
    OpsSample.objects.create(at=hour, tenant=other.tenant, queued=2, saturation=0.95)
    OpsSample.objects.create(at=hour - dt.timedelta(hours=2), queued=0)  # the sampler ran; nobody waited

    site, tenants = ops_snapshots_all()

    assert site["charts"]["24h"]["queue"][0]["values"][-3:] == [0, None, 7]
    ours = tenants[problem.tenant_id]["charts"]["24h"]
    assert ours["queue"][0]["values"][-3:] == [0, None, 5]
    assert [line["label"] for line in ours["saturation"]] == ["Alpha School"]
    assert ours["saturation"][0]["values"][-1] == 50.0
    site_saturation = {line["label"]: line["values"][-1] for line in site["charts"]["24h"]["saturation"]}
    assert site_saturation == {"Alpha School": 50.0, "Beta Club": 95.0}


def test_samples_are_taken_once_a_minute_for_busy_tenants_and_pruned_after_8_days(two_schools):
    problem, other = two_schools
    SubmissionFactory(problem=problem)
    now = timezone.now()
    old = OpsSample.objects.create(at=now - dt.timedelta(days=9))
    loads = tenant_load_list(tenant_ids=None)

    assert ops_sample_record(loads=loads, now=now) is True
    assert ops_sample_record(loads=loads, now=now + dt.timedelta(seconds=30)) is False

    samples = OpsSample.objects.filter(at=now)
    assert {(s.tenant_id, s.queued) for s in samples} == {(None, 1), (problem.tenant_id, 1)}
    assert not OpsSample.objects.filter(pk=old.pk).exists()


def _limit_hits(problem, user, verdict: str, count: int, sig: int | None = None) -> list[Submission]:
    made = []
    for _ in range(count):
        submission = _done(
            problem, verdict, created=timezone.now() - dt.timedelta(hours=1), latency=1, user=user
        )
        _result(submission, verdict, sig=sig)
        _result(submission, verdict, order=2, sig=sig)
        made.append(submission)
    return made


def test_anomalies_name_who_keeps_hitting_which_limit(two_schools):
    problem, other = two_schools
    bomber, flooder, unlucky = UserFactory(username="bomber"), UserFactory(username="flooder"), UserFactory()
    _limit_hits(problem, bomber, Verdict.MLE, ANOMALY_MIN_SUBMISSIONS, sig=signal.SIGKILL)
    _limit_hits(problem, flooder, Verdict.OLE, ANOMALY_MIN_SUBMISSIONS + 1)
    _limit_hits(problem, unlucky, Verdict.TLE, ANOMALY_MIN_SUBMISSIONS - 1)  # not yet a pattern
    _limit_hits(problem, unlucky, Verdict.RE, ANOMALY_MIN_SUBMISSIONS)  # plain crashes: not shown
    _limit_hits(other, UserFactory(username="elsewhere"), Verdict.TLE, ANOMALY_MIN_SUBMISSIONS)

    found = anomaly_list(tenant_ids={problem.tenant_id}, site=False)

    assert [(a["who"], a["what"], a["submissions"], a["runs"]) for a in found] == [
        ("flooder", "floods the output", 6, 12),
        ("bomber", "hits the memory limit (memory bombs)", 5, 10),
    ]
    assert found[0]["link"] == "/staff/submissions/?user=flooder&verdict=OLE"
    assert found[0]["tenant"] == "Alpha School"


def test_anomalies_show_seccomp_kills_and_bursts_of_internal_errors_by_tenant_and_worker(two_schools):
    problem, other = two_schools
    _limit_hits(
        problem, UserFactory(username="syscaller"), Verdict.RE, ANOMALY_MIN_SUBMISSIONS, signal.SIGSYS
    )
    for _ in range(3):
        _done(
            problem,
            Verdict.IE,
            created=timezone.now() - dt.timedelta(minutes=20),
            latency=60,
            worker="celery@box1",
        )
    _done(
        other, Verdict.IE, created=timezone.now() - dt.timedelta(minutes=20), latency=60, worker="celery@box1"
    )

    site = {(a["who"], a["what"], a["submissions"]) for a in anomaly_list(tenant_ids=None, site=True)}
    assert site == {
        ("syscaller", "makes system calls the sandbox refuses (seccomp)", 5),
        ("Alpha School", "a burst of internal errors", 3),
        ("celery@box1", "fails to run containers: internal errors", 4),
    }
    theirs = anomaly_list(tenant_ids={other.tenant_id}, site=False)
    assert theirs == []  # one internal error is no burst, and workers are the site's business


def test_workers_show_heartbeat_engine_check_languages_and_what_they_judge(two_schools, monkeypatch):
    problem, _ = two_schools
    languages = {"available": ["c", "python"], "missing": ["rust"]}
    dispatch.heartbeat_record(hostname="celery@box1", languages=languages)
    dispatch.heartbeat_record(hostname="celery@box2", engine_problem="cannot reach the Docker engine")
    busy = SubmissionFactory(problem=problem, status=Submission.Status.RUNNING, worker="celery@box1")
    SubmissionFactory(problem=problem, status=Submission.Status.DONE, worker="celery@box1")

    one, two = worker_list()

    assert (one["name"], one["host"], one["state"], one["level"]) == ("celery@box1", "box1", "ok", "ok")
    assert one["engine"] == "reachable" and one["languages"] == ["c", "python"] and one["missing"] == ["rust"]
    assert [job["id"] for job in one["judging"]] == [busy.id]
    assert one["judging"][0]["link"] == f"/submissions/{busy.id}/"
    assert (two["state"], two["level"], two["engine"]) == (
        "engine down",
        "high",
        "cannot reach the Docker engine",
    )


def test_a_worker_that_stopped_answering_is_shown_silent_in_red(monkeypatch, settings):
    dispatch.heartbeat_record(hostname="celery@gone")
    later = dispatch.time.time() + settings.JUDGE_WORKER_DEAD_AFTER_SECONDS + 5
    monkeypatch.setattr("judge.ops.selectors.time.time", lambda: later)
    (gone,) = worker_list()
    assert (gone["state"], gone["level"]) == ("silent", "high")
    assert dispatch.worker_heartbeats() == {}  # fail-fast and /healthz still count it as gone


def test_a_tenant_admin_sees_only_their_own_tenant(two_schools):
    problem, other = two_schools
    SubmissionFactory(problem=other)
    _limit_hits(other, UserFactory(username="elsewhere"), Verdict.TLE, ANOMALY_MIN_SUBMISSIONS)
    dispatch.heartbeat_record(hostname="celery@box1")

    snapshot = ops_snapshot(scope=_scope_of(problem.tenant))

    assert [row["name"] for row in snapshot["tenants"]] == ["Alpha School"]
    assert snapshot["anomalies"] == [] and snapshot["workers"] is None
    assert snapshot["charts"]["7d"]["submissions"] == []
    assert "Beta Club" not in str(snapshot) and "elsewhere" not in str(snapshot)


def test_the_periodic_push_gives_each_tenant_only_its_own_rows(two_schools):
    problem, other = two_schools
    site, tenants = ops_snapshots_all()
    assert {row["name"] for row in site["tenants"]} == {"Alpha School", "Beta Club"}
    assert [row["name"] for row in tenants[other.tenant_id]["tenants"]] == ["Beta Club"]
    assert tenants[other.tenant_id]["workers"] is None


class _DownEngine(FakeEngine):
    def unreachable(self) -> str:
        return "cannot reach the Docker engine"


def test_the_heartbeat_carries_the_engine_check_and_which_languages_have_images(monkeypatch):
    monkeypatch.setattr(workers.sandbox, "language_versions", lambda **kw: {"python": "3.11.2", "c": ""})
    workers._Heartbeat("celery@box1", FakeEngine()).once()
    workers._Heartbeat("celery@box2", _DownEngine()).once()

    beats = dispatch.worker_heartbeats()

    assert beats["celery@box1"]["engine"] == ""
    assert beats["celery@box1"]["languages"]["available"] == ["python"]
    assert "c" in beats["celery@box1"]["languages"]["missing"]
    assert beats["celery@box2"]["engine"] == "cannot reach the Docker engine"
    assert beats["celery@box2"]["languages"]["available"] == []
