"""Refuse at once what nobody would judge (no live worker, a full queue, Redis down): 503 with Retry-After,
on the page and in the API, and nothing saved. /healthz tells a load balancer the same."""

import pytest
from django.urls import reverse

from judge.submissions import dispatch
from judge.submissions.models import Submission
from tests.factories import MembershipFactory, SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db
SOURCE = "print(sum(map(int, input().split())))"


@pytest.fixture(autouse=True)
def _require_worker(settings):
    settings.JUDGE_REQUIRE_LIVE_WORKER = True
    settings.JUDGE_MAX_QUEUE_DEPTH = 0


@pytest.fixture
def problem(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    return problem_with_tests(tests=[("1 2", True, "")], tenant=membership.tenant, code="sum")


def _api(client, problem):
    return client.post(
        "/api/submissions/",
        {"problem": problem.code, "language": "python", "source": SOURCE},
        content_type="application/json",
    )


def _page(client, problem):
    return client.post(reverse("judge:submit", args=[problem.code]), {"language": "python", "source": SOURCE})


def test_with_no_live_worker_the_api_answers_503_at_once(client, problem, queued_tasks):
    response = _api(client, problem)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "No judge is running" in response.json()["detail"]
    assert not Submission.objects.exists() and queued_tasks == []


def test_with_no_live_worker_the_page_says_so_with_503(client, problem):
    response = _page(client, problem)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "No judge is running right now" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_worker_with_a_recent_heartbeat_takes_submissions(client, problem, queued_tasks):
    dispatch.heartbeat_record(hostname="celery@box1")

    assert _api(client, problem).status_code == 201
    assert queued_tasks == [Submission.objects.get().id]


def test_a_worker_whose_engine_is_down_does_not_count(client, problem):
    dispatch.heartbeat_record(hostname="celery@box1", engine_problem="cannot reach the Docker engine")

    assert _api(client, problem).status_code == 503


def test_a_silent_worker_is_dead(client, problem, settings, monkeypatch):
    dispatch.heartbeat_record(hostname="celery@box1")
    settings.JUDGE_WORKER_DEAD_AFTER_SECONDS = -1  # its beat is older than the bound

    assert _api(client, problem).status_code == 503


def test_a_queue_deeper_than_the_bound_is_refused(client, problem, settings):
    dispatch.heartbeat_record(hostname="celery@box1")
    settings.JUDGE_MAX_QUEUE_DEPTH = 1
    SubmissionFactory()

    response = _api(client, problem)

    assert response.status_code == 503
    assert "overloaded" in response.json()["detail"]
    assert Submission.objects.count() == 1


@pytest.fixture
def redis_down(settings):
    # Nothing listens on port 9: the rate limiter and the heartbeats cannot read the cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }


def test_redis_down_is_a_json_503_for_the_api_not_a_500(client, problem, redis_down):
    response = _api(client, problem)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert "cannot be reached" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_redis_down_is_a_clear_503_page_for_browsers(client, problem, redis_down):
    response = _page(client, problem)

    assert response.status_code == 503
    assert "cannot be reached right now" in response.content.decode()
    assert not Submission.objects.exists()


def test_healthz_is_200_with_a_live_worker_and_503_without(client):
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.json()["judging"].startswith("down")

    dispatch.heartbeat_record(hostname="celery@box1")
    up = client.get("/healthz")

    assert up.status_code == 200
    body = up.json()
    assert (body["web"], body["database"], body["redis"], body["judging"]) == ("ok", "ok", "ok", "ok")
    assert body["workers"]["celery@box1"]["engine"] == "ok"


def test_healthz_reports_an_engine_outage_and_redis_down(client, settings):
    dispatch.heartbeat_record(hostname="celery@box1", engine_problem="cannot reach the Docker engine")
    assert (
        client.get("/healthz").json()["workers"]["celery@box1"]["engine"] == "cannot reach the Docker engine"
    )
    assert client.get("/healthz").status_code == 503

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    body = client.get("/healthz").json()
    assert body["redis"].startswith("down")
