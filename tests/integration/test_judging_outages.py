"""Faults that are no verdict: an unreachable engine gives the submission back; an IE is retried once;
a database blip retries the task; the database, not the broker, says what is queued (the reconcile)."""

import datetime as dt

import pytest
from celery.exceptions import Retry
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from judge import tasks
from judge.judging import reconcile, workers
from judge.judging.queue import submission_claim_next
from judge.judging.services import RETRIED_MARK, submission_judge
from judge.submissions import dispatch
from judge.submissions.models import Submission, Verdict
from tests.factories import MembershipFactory, SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db


def _claim_and_judge() -> Submission:
    submission = submission_claim_next()
    assert submission is not None
    return submission_judge(submission=submission)


@pytest.fixture
def queued(engine):
    return SubmissionFactory(
        problem=problem_with_tests(tests=[("1 2", True, ""), ("3 4", False, "")]),
        source="ok",
        language="python",
    )


def test_an_unreachable_engine_gives_the_submission_back_not_an_ie(engine, queued, queued_tasks):
    engine.broken = "run"
    engine.unreachable = lambda: "cannot reach the Docker engine"

    judged = _claim_and_judge()

    judged.refresh_from_db()
    assert judged.status == Submission.Status.QUEUED
    assert (judged.verdict, judged.claim, judged.tests_done, judged.started_at) == ("", "", 0, None)
    assert not judged.results.exists()
    assert workers.engine_down_problem() == "cannot reach the Docker engine"
    assert queued_tasks == []  # the task keeps its own message and retries it later

    engine.broken = None
    engine.unreachable = lambda: ""
    cache.clear()  # what the worker's heartbeat does once the engine answers again
    assert _claim_and_judge().verdict == Verdict.AC


def test_the_task_backs_off_without_claiming_while_the_engine_is_down(engine, queued, monkeypatch):
    workers.engine_down_note("cannot reach the Docker engine")
    retried = []
    monkeypatch.setattr(tasks.judge_submission, "retry", lambda **kw: retried.append(kw) or Retry())

    with pytest.raises(Retry):
        tasks.judge_submission.run(queued.id)

    assert retried and retried[0]["countdown"] >= 1
    queued.refresh_from_db()
    assert queued.status == Submission.Status.QUEUED and queued.claim == ""


def test_the_task_retries_after_giving_a_submission_back(engine, queued, monkeypatch):
    engine.broken = "compile"
    engine.unreachable = lambda: "cannot reach the Docker engine"
    monkeypatch.setattr(tasks.judge_submission, "retry", lambda **kw: Retry())

    with pytest.raises(Retry):
        tasks.judge_submission.run(queued.id)

    queued.refresh_from_db()
    assert queued.status == Submission.Status.QUEUED


def test_an_internal_error_is_retried_once_before_it_is_final(engine, queued, queued_tasks):
    engine.broken = "run"  # the engine answers its check: this is the judge's own fault

    first = _claim_and_judge()
    first.refresh_from_db()
    assert first.status == Submission.Status.QUEUED
    assert first.internal_message.startswith(RETRIED_MARK)
    assert queued_tasks == [first.id]

    second = _claim_and_judge()
    second.refresh_from_db()
    assert (second.status, second.verdict) == (Submission.Status.DONE, Verdict.IE)
    assert second.internal_message == "test 1: fake engine: the run box failed"


def test_a_database_error_before_the_claim_retries_the_task(monkeypatch):
    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "submission_claim_next", down)
    retried = []
    monkeypatch.setattr(tasks.judge_submission, "retry", lambda **kw: retried.append(kw) or Retry())

    with pytest.raises(Retry):
        tasks.judge_submission(1)

    assert isinstance(retried[0]["exc"], OperationalError)
    assert tasks.judge_submission.acks_late and tasks.judge_submission.reject_on_worker_lost is not False


def _aged(submission: Submission, seconds: int) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=seconds)
    )
    return submission


@pytest.fixture
def sent(monkeypatch):
    names: list[tuple[str, list]] = []
    monkeypatch.setattr(dispatch.app, "send_task", lambda name, args: names.append((name, args)))
    return names


def test_reconcile_resends_queued_rows_the_broker_lost(monkeypatch, sent, settings):
    settings.JUDGE_RECONCILE_AFTER_SECONDS = 60
    lost = _aged(SubmissionFactory(), 120)
    SubmissionFactory()  # just submitted: its message is surely on its way
    _aged(SubmissionFactory(status=Submission.Status.DONE, verdict=Verdict.AC), 120)
    monkeypatch.setattr(reconcile, "broker_messages_held", lambda: 0)  # Redis restarted empty

    assert tasks.reconcile_queued_submissions() == [lost.id]
    assert sent == [(dispatch.JUDGE_TASK, [lost.id])]


def test_reconcile_sends_nothing_while_the_broker_holds_a_message_per_row(monkeypatch, sent):
    _aged(SubmissionFactory(), 600)
    monkeypatch.setattr(reconcile, "broker_messages_held", lambda: 1)

    assert reconcile.submission_reconcile_queued() == []
    assert sent == []


def test_a_starting_worker_drains_every_queued_row(monkeypatch, sent):
    fresh = SubmissionFactory()
    monkeypatch.setattr(reconcile, "broker_messages_held", lambda: None)

    assert reconcile.submission_reconcile_queued(older_than=0) == [fresh.id]


def test_a_failed_send_after_commit_is_logged_and_left_to_the_reconcile(monkeypatch, caplog):
    def broker_down(name, args):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(dispatch.app, "send_task", broker_down)

    assert dispatch.judging_send(submission_id=7) is False
    assert "reconcile" in caplog.text


def test_staff_requeue_a_queued_row_keeping_its_place(client, queued_tasks):
    membership = MembershipFactory(role=Membership.Role.INSTRUCTOR)
    client.force_login(membership.user)
    waiting = SubmissionFactory(
        problem=problem_with_tests(tests=[("1 2", True, "")], tenant=membership.tenant)
    )

    page = client.get(reverse("judge:submission_detail", args=[waiting.id])).content.decode()
    assert ">Requeue</button>" in page
    response = client.post(reverse("staff:submission_rejudge", args=[waiting.id]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.priority) == (Submission.Status.QUEUED, 0)
    assert queued_tasks == [waiting.id]
