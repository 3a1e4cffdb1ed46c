"""Celery tasks: thin wrappers that take ids and call services (STYLE rule 9).

A message is acknowledged only once its work is done or handed on (acks_late, reject_on_worker_lost):
a database or broker blip before the claim retries the task with back-off instead of burning the
message, and an engine outage gives the submission back and retries later.
"""

import logging

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from judge.hosts.tryouts import tryout_enqueue, tryout_jobs_unanswered
from judge.judging import workers
from judge.judging.queue import queue_has_waiting, submission_claim_next
from judge.judging.reconcile import submission_reconcile_queued
from judge.judging.services import judging_engine, submission_judge
from judge.judging.sweeper import submission_sweep_stuck
from judge.judging.tryout import tryout_run as tryout_run_service
from judge.ops.services import ops_publish as ops_publish_service
from judge.similarity.services import similarity_check_run
from judge.submissions.models import Submission

log = logging.getLogger(__name__)
BLOCKED_RETRY_SECONDS = 2
CONNECTION_ERRORS = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRYING = dict(
    bind=True,
    acks_late=True,
    max_retries=None,
    autoretry_for=CONNECTION_ERRORS,
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
)


@shared_task(**RETRYING)
def judge_submission(self, submission_id: int) -> int | None:
    """Judge the fairest queued submission (often, but not always, `submission_id`). With judge hosts
    (JUDGE_EXECUTION=hosts) they claim the work themselves; this worker only keeps house."""
    if settings.JUDGE_EXECUTION == "hosts":
        return None
    if problem := workers.engine_down_problem():
        log.info("engine down (%s): submission %s waits", problem, submission_id)
        raise self.retry(countdown=workers.engine_retry_countdown(self.request.retries))
    submission = submission_claim_next(worker=self.request.hostname or "")
    if submission is None:
        if queue_has_waiting():
            # Every waiting tenant is at its limit of runs at once: keep this message for later.
            raise self.retry(countdown=BLOCKED_RETRY_SECONDS)
        return None
    log.info("judging submission %s (task for %s)", submission.id, submission_id)
    judged = submission_judge(submission=submission)
    if judged.status == Submission.Status.QUEUED and workers.engine_down_problem():
        raise self.retry(countdown=workers.engine_retry_countdown(self.request.retries))
    return judged.id


@shared_task(autoretry_for=CONNECTION_ERRORS, retry_backoff=True, max_retries=5)
def sweep_stuck_submissions() -> list[int]:
    if settings.JUDGE_EXECUTION == "hosts":
        tryout_jobs_unanswered()  # Run-box runs whose host went silent get "not available"
    return submission_sweep_stuck()


@shared_task(autoretry_for=CONNECTION_ERRORS, retry_backoff=True, max_retries=5)
def reconcile_queued_submissions(older_than: int | None = None) -> list[int]:
    return submission_reconcile_queued(older_than=older_than)


@shared_task
def sweep_containers() -> int:
    return judging_engine().sweep()


@shared_task(acks_late=True, autoretry_for=CONNECTION_ERRORS, retry_backoff=True, max_retries=3)
def tryout_run(token: str) -> None:
    """A run from a problem page's Run box, not judged (judge/judging/tryout.py); with judge hosts, one
    of them claims it (judge/hosts/tryouts.py)."""
    if settings.JUDGE_EXECUTION == "hosts":
        tryout_enqueue(token=token)
    else:
        tryout_run_service(token=token)


@shared_task
def ops_publish() -> None:
    """The operators' dashboard: a load sample now and then, and a fresh snapshot to open pages."""
    ops_publish_service()


@shared_task(acks_late=True, autoretry_for=CONNECTION_ERRORS, retry_backoff=True, max_retries=3)
def similarity_check(check_id: int) -> None:
    """A similarity check of a problem's or a contest's final submissions (judge/similarity/)."""
    similarity_check_run(check_id=check_id)
