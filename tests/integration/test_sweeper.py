"""Submissions whose worker died mid-judging are requeued; everything else is left alone."""

import datetime as dt

import pytest
from django.utils import timezone

from judge import tasks
from judge.judging.queue import submission_claim_next
from judge.judging.services import submission_judge
from judge.judging.sweeper import submission_sweep_stuck
from judge.submissions.models import Submission, TestResult, Verdict
from tests.factories import ProblemFactory, SubmissionFactory, TestCaseFactory
from tests.integration.fake_engine import fake_engine_install, problem_with_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stuck_after(settings):
    settings.JUDGE_STUCK_AFTER_SECONDS = 180


def _ago(seconds: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def _running(*, heartbeat: int | None, started: int = 600, status=Submission.Status.RUNNING, **fields):
    problem = ProblemFactory()
    test = TestCaseFactory(problem=problem)
    submission = SubmissionFactory(
        problem=problem,
        status=status,
        started_at=_ago(started),
        heartbeat_at=None if heartbeat is None else _ago(heartbeat),
        tests_done=1,
        compile_output="warning: unused",
        **fields,
    )
    TestResult.objects.create(submission=submission, test_case=test, order=1, verdict=Verdict.AC)
    return submission


def test_silent_running_submission_is_requeued(queued_tasks):
    stuck = _running(heartbeat=181, priority=1)

    assert submission_sweep_stuck() == [stuck.id]

    stuck.refresh_from_db()
    assert stuck.status == Submission.Status.QUEUED
    assert not stuck.results.exists()
    assert stuck.tests_done == 0
    assert stuck.tests_total == 1
    assert stuck.compile_output == ""
    assert stuck.started_at is None
    assert stuck.heartbeat_at is None
    assert stuck.priority == 1  # a stuck rejudge stays a rejudge
    assert queued_tasks == [stuck.id]


def test_compiling_submission_without_heartbeat_is_requeued(queued_tasks):
    stuck = _running(heartbeat=None, started=400, status=Submission.Status.COMPILING)

    assert submission_sweep_stuck() == [stuck.id]

    stuck.refresh_from_db()
    assert stuck.status == Submission.Status.QUEUED
    assert queued_tasks == [stuck.id]


def test_fresh_running_submission_is_left_alone(queued_tasks):
    fresh = _running(heartbeat=30, started=3000)
    before = Submission.objects.values().get(pk=fresh.pk)

    assert submission_sweep_stuck() == []

    assert Submission.objects.values().get(pk=fresh.pk) == before
    assert fresh.results.count() == 1
    assert queued_tasks == []


def test_done_and_queued_submissions_are_untouched(queued_tasks):
    done = _running(heartbeat=9999, status=Submission.Status.DONE, verdict=Verdict.AC, score=1)
    waiting = SubmissionFactory(created_at=_ago(9999))
    snapshot = {s.pk: Submission.objects.values().get(pk=s.pk) for s in (done, waiting)}

    assert submission_sweep_stuck() == []

    assert {pk: Submission.objects.values().get(pk=pk) for pk in snapshot} == snapshot
    assert done.results.count() == 1
    assert queued_tasks == []


def test_the_cutoff_comes_from_settings(settings, queued_tasks):
    settings.JUDGE_STUCK_AFTER_SECONDS = 20
    stuck = _running(heartbeat=30)

    assert submission_sweep_stuck() == [stuck.id]


def test_only_the_stuck_ones_are_swept(queued_tasks):
    stuck = [
        _running(heartbeat=200),
        _running(heartbeat=None, started=500, status=Submission.Status.COMPILING),
    ]
    _running(heartbeat=10)
    _running(heartbeat=10, status=Submission.Status.COMPILING)

    assert sorted(submission_sweep_stuck()) == sorted(s.id for s in stuck)
    assert sorted(queued_tasks) == sorted(s.id for s in stuck)
    assert Submission.objects.filter(status=Submission.Status.QUEUED).count() == 2


def test_beat_task_sweeps(queued_tasks):
    stuck = _running(heartbeat=1000)

    assert tasks.sweep_stuck_submissions() == [stuck.id]
    assert queued_tasks == [stuck.id]


def test_sweeping_twice_requeues_once(queued_tasks):
    stuck = _running(heartbeat=1000)

    submission_sweep_stuck()
    assert submission_sweep_stuck() == []

    assert queued_tasks == [stuck.id]


@pytest.mark.django_db(transaction=True)  # autocommit, as on a worker: each save stands on its own
def test_a_slow_worker_that_was_swept_cannot_overwrite_the_new_judging(monkeypatch, queued_tasks):
    """The sweeper gave up on worker 1 (no heartbeat) and worker 2 judged again; then worker 1 wakes up."""
    fake_engine_install(monkeypatch)
    problem = problem_with_tests(tests=[("1 2\n", True, ""), ("3 4\n", False, "")])
    submission = SubmissionFactory(problem=problem, source="ok")
    stale = submission_claim_next()  # worker 1
    Submission.objects.filter(pk=submission.pk).update(heartbeat_at=_ago(1000))
    assert submission_sweep_stuck() == [submission.id]
    submission_judge(submission=submission_claim_next())  # worker 2
    judged = Submission.objects.values().get(pk=submission.pk)
    assert judged["verdict"] == Verdict.AC

    try:
        submission_judge(submission=stale)
    except Exception:  # noqa: BLE001 - failing loudly is fine; corrupting the result is not
        pass

    assert Submission.objects.values().get(pk=submission.pk) == judged
    assert submission.results.count() == 2
