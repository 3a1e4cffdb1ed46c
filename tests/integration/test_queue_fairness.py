"""Which queued submission a free worker claims next: fair across tenants, within limits, once only."""

import pytest
from celery.exceptions import Retry

from judge import tasks
from judge.judging import queue
from judge.judging.queue import queue_has_waiting, submission_claim_next
from judge.submissions.models import Submission, TenantQuota
from judge.submissions.selectors import submission_queue_position
from tests.factories import ProblemFactory, SubmissionFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood():
    """Tenant A queued 10 submissions, then tenant B queued 2."""
    a, b = TenantFactory(name="A"), TenantFactory(name="B")
    problem_a, problem_b = ProblemFactory(tenant=a), ProblemFactory(tenant=b)
    return {
        "a": a,
        "b": b,
        "a_ids": [SubmissionFactory(problem=problem_a).id for _ in range(10)],
        "b_ids": [SubmissionFactory(problem=problem_b).id for _ in range(2)],
    }


def _finish(submission: Submission) -> None:
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.DONE)


def test_claim_moves_the_submission_to_compiling(flood):
    claimed = submission_claim_next()

    claimed.refresh_from_db()
    assert claimed.status == Submission.Status.COMPILING
    assert claimed.started_at is not None
    assert claimed.heartbeat_at is not None


def test_parallel_workers_alternate_between_tenants(flood):
    for tenant in (flood["a"], flood["b"]):
        TenantQuota.objects.create(tenant=tenant, max_running=20)

    claimed = [submission_claim_next().id for _ in range(4)]  # four workers, none finished yet

    assert claimed == [flood["a_ids"][0], flood["b_ids"][0], flood["a_ids"][1], flood["b_ids"][1]]


def test_one_worker_does_not_serve_a_flooding_tenant_first(flood):
    """A single worker finishes each submission before claiming the next: B still gets a turn early."""
    order = []
    while (claimed := submission_claim_next()) is not None:
        order.append(claimed.tenant_id)
        _finish(claimed)

    assert len(order) == 12
    assert order.index(flood["b"].id) <= 2, order


def test_every_queued_submission_is_claimed_exactly_once(flood):
    seen = []
    while (claimed := submission_claim_next()) is not None:
        seen.append(claimed.id)
        _finish(claimed)

    assert sorted(seen) == sorted(flood["a_ids"] + flood["b_ids"])
    assert not queue_has_waiting()


def test_a_tenant_at_its_running_limit_is_skipped(flood):
    TenantQuota.objects.create(tenant=flood["a"], max_running=1)
    TenantQuota.objects.create(tenant=flood["b"], max_running=5)

    first = submission_claim_next()
    rest = [submission_claim_next() for _ in range(2)]

    assert first.tenant == flood["a"]
    assert [s.tenant for s in rest] == [flood["b"], flood["b"]]


def test_claim_returns_none_when_every_waiting_tenant_is_at_its_limit(flood):
    TenantQuota.objects.create(tenant=flood["a"], max_running=1)
    TenantQuota.objects.create(tenant=flood["b"], max_running=1)

    claimed = [submission_claim_next(), submission_claim_next()]

    assert {s.tenant for s in claimed} == {flood["a"], flood["b"]}
    assert submission_claim_next() is None
    assert queue_has_waiting()
    assert Submission.objects.filter(status=Submission.Status.QUEUED).count() == 10

    _finish(claimed[0])
    assert submission_claim_next().tenant == claimed[0].tenant


def test_default_running_limit_applies_without_a_quota_row(flood):
    claimed = [submission_claim_next() for _ in range(4)]

    by_tenant = [s.tenant.name for s in claimed]
    assert sorted(by_tenant) == ["A", "A", "B", "B"]
    assert submission_claim_next() is None


def test_running_limit_from_settings(flood, settings):
    settings.JUDGE_DEFAULT_QUOTA = {"max_running": 1}

    claimed = [submission_claim_next(), submission_claim_next()]

    assert {s.tenant for s in claimed} == {flood["a"], flood["b"]}
    assert submission_claim_next() is None


def test_rejudges_wait_behind_live_submissions_of_another_tenant():
    rejudge = SubmissionFactory(priority=1)
    live = SubmissionFactory()

    assert submission_claim_next() == live
    assert submission_claim_next() == rejudge


def test_rejudges_wait_behind_live_submissions_of_the_same_tenant():
    problem = ProblemFactory()
    rejudges = [SubmissionFactory(problem=problem, priority=1) for _ in range(3)]
    live = SubmissionFactory(problem=problem)
    TenantQuota.objects.create(tenant=problem.tenant, max_running=10)

    assert submission_claim_next() == live
    assert [submission_claim_next() for _ in range(3)] == rejudges


def test_queue_position_puts_rejudges_last():
    rejudge = SubmissionFactory(priority=1)
    first, second = SubmissionFactory(), SubmissionFactory()

    assert submission_queue_position(submission=first) == 1
    assert submission_queue_position(submission=second) == 2
    assert submission_queue_position(submission=rejudge) == 3


def test_claim_skips_a_candidate_that_another_worker_took(monkeypatch):
    taken, free = SubmissionFactory(), SubmissionFactory()
    # Another worker claimed `taken` after this one listed the candidates, before its update.
    monkeypatch.setattr(queue, "fair_candidates", lambda **_: iter([taken.id, free.id]))
    Submission.objects.filter(pk=taken.pk).update(status=Submission.Status.RUNNING, started_at=None)

    claimed = submission_claim_next()

    assert claimed == free
    taken.refresh_from_db()
    assert taken.status == Submission.Status.RUNNING
    assert taken.started_at is None


def test_claim_of_a_finished_submission_does_nothing(monkeypatch):
    done = SubmissionFactory(status=Submission.Status.DONE, verdict="AC")
    monkeypatch.setattr(queue, "fair_candidates", lambda **_: iter([done.id]))

    assert submission_claim_next() is None
    done.refresh_from_db()
    assert done.status == Submission.Status.DONE
    assert done.started_at is None


def test_two_claims_never_return_the_same_submission():
    SubmissionFactory(), SubmissionFactory()

    first, second = submission_claim_next(), submission_claim_next()

    assert first != second
    assert submission_claim_next() is None


def test_task_keeps_its_message_while_every_tenant_is_at_its_limit(flood):
    for tenant in (flood["a"], flood["b"]):
        TenantQuota.objects.create(tenant=tenant, max_running=0)

    with pytest.raises(Retry):
        tasks.judge_submission(flood["a_ids"][0])
    assert Submission.objects.filter(status=Submission.Status.QUEUED).count() == 12


def test_task_with_nothing_queued_just_ends():
    assert tasks.judge_submission(12345) is None
