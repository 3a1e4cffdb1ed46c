"""The operators' dashboard in a real browser: a site admin watches a submission get judged and the page
follow it, without a reload. The history charts draw from a day of earlier submissions."""

import datetime as dt
import random

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Tenant
from judge.ops.models import OpsSample
from judge.ops.selectors import ANOMALY_MIN_SUBMISSIONS
from judge.submissions.models import Submission, TenantQuota, TestResult, Verdict
from judge.submissions.quotas import usage_record
from problems.models import Problem
from tests.browser.conftest import login
from tests.browser.test_live_verdict import SOLUTION, _submit
from tests.factories import ProblemFactory, SubmissionFactory, TenantFactory, UserFactory

VERDICTS = [Verdict.AC] * 6 + [Verdict.WA] * 2 + [Verdict.TLE, Verdict.RE, Verdict.CE]


def _earlier_day() -> None:
    """A day of judged submissions and load samples, so that every chart has something to draw."""
    rng = random.Random(12)
    problem = Problem.objects.get(code="aplusb")
    students = [UserFactory() for _ in range(6)]
    now = timezone.now()
    for hour in range(1, 24):
        for _ in range(rng.randint(1, 6)):
            created = now - dt.timedelta(hours=hour, minutes=rng.randint(0, 59))
            submission = SubmissionFactory(problem=problem, user=rng.choice(students))
            judged = created + dt.timedelta(seconds=rng.uniform(0.5, 4 + hour % 5))
            Submission.objects.filter(pk=submission.pk).update(
                created_at=created,
                judged_at=judged,
                status=Submission.Status.DONE,
                verdict=rng.choice(VERDICTS),
            )
        at = now - dt.timedelta(hours=hour)
        OpsSample.objects.create(at=at, queued=rng.randint(0, 9), saturation=rng.uniform(0.1, 0.8))
        OpsSample.objects.create(
            at=at, tenant=problem.tenant, queued=rng.randint(0, 9), saturation=rng.uniform(0.1, 0.95)
        )


def _a_club_near_its_limits() -> Tenant:
    """A club that used 93 % of its CPU-seconds, was refused 4 times, and has a student hitting the
    memory limit again and again."""
    club = TenantFactory(name="Robotics Club")
    TenantQuota.objects.create(tenant=club, max_running=2, max_queued=50, cpu_seconds_per_day=1000)
    usage_record(tenant_id=club.id, cpu_seconds=930, rejections=4)
    problem, bomber = ProblemFactory(tenant=club), UserFactory(username="bomber")
    for _ in range(ANOMALY_MIN_SUBMISSIONS + 1):
        submission = SubmissionFactory(problem=problem, user=bomber)
        Submission.objects.filter(pk=submission.pk).update(
            status=Submission.Status.DONE, verdict=Verdict.MLE, judged_at=timezone.now()
        )
        TestResult.objects.create(submission=submission, order=1, verdict=Verdict.MLE, signal=9)
    return club


def test_an_admin_watches_the_dashboard_follow_a_judging_without_reloading(judge_site, chromium, tmp_path):
    _earlier_day()
    club = _a_club_near_its_limits()
    demo = Tenant.objects.get(name="Demo School")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    dashboard, submitter = context.new_page(), context.new_page()
    login(dashboard, judge_site, "admin", "admin-pass-123")
    dashboard.click("header a[href='/ops/']")
    expect(dashboard.locator("h1")).to_have_text("Operations")
    expect(dashboard.locator("#ops-live")).to_have_attribute("data-state", "live", timeout=15_000)
    expect(dashboard.locator(".chart .uplot")).to_have_count(5)
    club_row = dashboard.locator(f'tr[data-tenant-id="{club.id}"]')
    expect(club_row.locator('[data-bar="cpu"] .bar-high')).to_be_visible()
    expect(club_row.locator(".rejections-cell")).to_have_text("4")
    expect(dashboard.locator("#ops-anomalies")).to_contain_text("bomber")
    expect(dashboard.locator("#ops-anomalies")).to_contain_text("hits the memory limit")
    total = int(dashboard.locator("#ops-total").inner_text())
    cpu = dashboard.locator(f'tr[data-tenant-id="{demo.id}"] [data-bar="cpu"] .bar-text')
    cpu_before = cpu.inner_text()
    dashboard.evaluate("window.__noReload = true")

    _submit(submitter, judge_site, SOLUTION)
    expect(submitter.locator("#verdict .badge-AC")).to_be_visible(timeout=90_000)

    expect(dashboard.locator("#ops-total")).to_have_text(str(total + 1), timeout=15_000)
    expect(cpu).not_to_have_text(cpu_before, timeout=15_000)
    expect(dashboard.locator("#ops-verdicts [data-verdict=AC]")).to_be_visible()
    expect(dashboard.locator("#ops-workers tr.worker-ok")).to_have_count(1, timeout=15_000)
    expect(dashboard.locator("#ops-workers tr.worker-ok")).to_contain_text("ready")
    assert dashboard.evaluate("window.__noReload") is True

    dashboard.click("[data-window='7d']")
    expect(dashboard.locator("[data-window='7d']")).to_have_attribute("aria-pressed", "true")
    dashboard.click("[data-window='24h']")
    dashboard.screenshot(path=str(tmp_path / "ops.png"), full_page=True)
    context.close()
