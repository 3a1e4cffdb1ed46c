"""Per-user submit rate and per-tenant quotas: a refused submission says why and when, and saves nothing."""

import datetime as dt
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from judge.submissions.models import Submission, TenantQuota, TenantUsage
from judge.submissions.quotas import usage_record, usage_today
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, TenantFactory

pytestmark = pytest.mark.django_db

API = reverse("api:submission_list")
SOURCE = "print(1)\n"
FROZEN = 1_700_000_000  # a fixed clock for the rate limiter, so no test straddles its minute boundary


@pytest.fixture(autouse=True)
def _fresh_state(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: FROZEN))
    cache.clear()  # the rate limiter's counters live in the (process-wide) locmem cache


@pytest.fixture
def problem():
    return ProblemFactory(code="sum", tenant=TenantFactory(name="Delta College"))


@pytest.fixture
def student(client, problem):
    # A member of the problem's tenant: only members' submissions are charged to it (test_quota_charging.py).
    user = MembershipFactory(tenant=problem.tenant).user
    client.force_login(user)
    return user


def _api(client, code="sum"):
    return client.post(
        API, {"problem": code, "language": "python", "source": SOURCE}, content_type="application/json"
    )


def _page(client, code="sum"):
    return client.post(reverse("judge:submit", args=[code]), {"language": "python", "source": SOURCE})


def test_api_third_submit_in_a_minute_is_429_with_retry_after(
    client, student, problem, settings, queued_tasks
):
    settings.JUDGE_SUBMIT_RATE = "2/m"

    assert _api(client).status_code == 201
    assert _api(client).status_code == 201
    response = _api(client)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "2/m" in response.json()["detail"]
    assert Submission.objects.count() == 2
    assert len(queued_tasks) == 2


def test_page_third_submit_in_a_minute_shows_a_form_error(client, student, problem, settings, queued_tasks):
    settings.JUDGE_SUBMIT_RATE = "2/m"

    assert _page(client).status_code == 302
    assert _page(client).status_code == 302
    response = _page(client)

    assert response.status_code == 429
    errors = response.context["submit_form"].non_field_errors()
    assert any("2/m" in error for error in errors)
    assert "Too many submissions" in response.content.decode()
    assert Submission.objects.count() == 2
    assert len(queued_tasks) == 2


def test_page_and_api_share_one_rate(client, student, problem, settings):
    settings.JUDGE_SUBMIT_RATE = "2/m"

    _page(client)
    _api(client)

    assert _api(client).status_code == 429
    assert _page(client).status_code == 429
    assert Submission.objects.count() == 2


def test_rate_is_per_user(client, student, problem, settings):
    settings.JUDGE_SUBMIT_RATE = "1/m"
    _api(client)
    assert _api(client).status_code == 429

    other = MembershipFactory().user
    other.save(update_fields=["password"])
    client.force_login(other)

    assert _api(client).status_code == 201


def test_rate_window_passes(client, student, problem, settings, monkeypatch):
    settings.JUDGE_SUBMIT_RATE = "1/m"
    _api(client)
    assert _api(client).status_code == 429

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: FROZEN + 61))

    assert _api(client).status_code == 201


def test_tenant_max_queued_is_429_naming_tenant_and_limit(client, student, problem, queued_tasks):
    TenantQuota.objects.create(tenant=problem.tenant, max_queued=2)
    SubmissionFactory.create_batch(2, problem=problem)

    response = _api(client)

    assert response.status_code == 429
    detail = response.json()["detail"]
    assert "Delta College" in detail
    assert "limit 2" in detail
    assert int(response["Retry-After"]) > 0
    assert Submission.objects.count() == 2
    assert queued_tasks == []


def test_tenant_max_queued_counts_only_waiting_submissions(client, student, problem):
    TenantQuota.objects.create(tenant=problem.tenant, max_queued=2)
    SubmissionFactory(problem=problem)
    SubmissionFactory(problem=problem, status=Submission.Status.DONE)
    SubmissionFactory(problem=ProblemFactory())  # another tenant's

    assert _api(client).status_code == 201
    assert _api(client).status_code == 429


def test_tenant_max_queued_shows_on_the_page(client, student, problem):
    TenantQuota.objects.create(tenant=problem.tenant, max_queued=1)
    SubmissionFactory(problem=problem)

    response = _page(client)

    assert response.status_code == 429
    assert any("Delta College" in error for error in response.context["submit_form"].non_field_errors())
    assert Submission.objects.count() == 1


def test_cpu_quota_used_up_is_429_with_the_reset_time(client, student, problem, queued_tasks):
    TenantQuota.objects.create(tenant=problem.tenant, cpu_seconds_per_day=100)
    usage_record(tenant_id=problem.tenant_id, cpu_seconds=100.5)

    response = _api(client)

    assert response.status_code == 429
    detail = response.json()["detail"]
    assert "Delta College" in detail
    assert "100" in detail
    assert "00:00 UTC" in detail
    now = timezone.now().astimezone(dt.UTC)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert abs(int(response["Retry-After"]) - (midnight - now).total_seconds()) < 5
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_cpu_used_yesterday_does_not_count_today(client, student, problem):
    TenantQuota.objects.create(tenant=problem.tenant, cpu_seconds_per_day=100)
    yesterday = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)
    TenantUsage.objects.create(tenant=problem.tenant, day=yesterday, cpu_seconds=500)

    assert _api(client).status_code == 201


def test_default_quota_comes_from_settings(client, student, problem, settings):
    settings.JUDGE_DEFAULT_QUOTA = {"max_queued": 1}
    SubmissionFactory(problem=problem)

    assert _api(client).status_code == 429


def test_usage_counts_submissions_of_the_problems_tenant(client, student, problem, settings):
    settings.JUDGE_SUBMIT_RATE = "100/m"
    own_tenant = MembershipFactory(user=student).tenant  # another tenant the student is in

    for _ in range(3):
        assert _api(client).status_code == 201
    _page(client)

    usage = TenantUsage.objects.get(tenant=problem.tenant)
    assert usage.day == timezone.now().astimezone(dt.UTC).date()
    assert usage.submissions == 4
    assert not TenantUsage.objects.filter(tenant=own_tenant, submissions__gt=0).exists()


def test_refused_submissions_are_not_counted(client, student, problem, settings):
    settings.JUDGE_SUBMIT_RATE = "1/m"

    _api(client)
    _api(client)

    assert usage_today(tenant_id=problem.tenant_id).submissions == 1
