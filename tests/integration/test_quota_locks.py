"""A tenant's limits hold under concurrent submits and claims (PostgreSQL, threads, a widened window)."""

from tests.integration.test_postgres import _manage, postgres_url  # noqa: F401 - the fixture

RACE = """
import threading, time
from unittest import mock
from django.db import connection
from accounts.models import Tenant, User
from judge.judging import queue
from judge.submissions import quotas
from judge.submissions.models import Submission, TenantQuota
from judge.submissions.services import submission_create
from problems.models import Problem

from django.conf import settings
settings.JUDGE_REQUIRE_LIVE_WORKER = False  # no worker here: this is about the limits
problem = Problem.objects.get(code="aplusb")
TenantQuota.objects.update_or_create(tenant=problem.tenant, defaults={"max_queued": 5, "max_running": 1})
users = [User.objects.create(username=f"racer{i}", is_superuser=True) for i in range(12)]
real_usage, real_served = quotas.usage_today, queue._last_served

def slow_usage(**kw):  # between counting the queue and inserting: where two submits overlap
    time.sleep(0.3)
    return real_usage(**kw)

def slow_served(ids):  # between counting the running and claiming
    time.sleep(0.3)
    return real_served(ids)

def each(fn):
    def go(arg):
        try:
            fn(arg)
        except Exception as exc:
            print("refused", type(exc).__name__)
        finally:
            connection.close()
    threads = [threading.Thread(target=go, args=(arg,)) for arg in users]
    [t.start() for t in threads]
    [t.join() for t in threads]

no_send = mock.patch("judge.submissions.dispatch.judging_request")
with no_send, mock.patch.object(quotas, "usage_today", slow_usage):
    each(lambda user: submission_create(user=user, problem=problem, language="python", source="print(1)"))
print("queued", Submission.objects.filter(status="queued", tenant=problem.tenant).count())
no_publish = mock.patch.object(queue, "queue_positions_publish")
with no_publish, mock.patch.object(queue, "_last_served", slow_served):
    each(lambda user: queue.submission_claim_next())
print("running", Submission.objects.filter(status="compiling", tenant=problem.tenant).count())
"""


def test_concurrent_submits_and_claims_stay_within_the_tenants_limits(postgres_url, tmp_path):  # noqa: F811
    _manage(postgres_url, tmp_path, "migrate", "--noinput", "-v0")
    _manage(postgres_url, tmp_path, "load_samples")
    out = _manage(postgres_url, tmp_path, "shell", "-c", RACE)
    assert "queued 5\n" in out, out
    assert "running 1\n" in out, out
