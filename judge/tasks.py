"""Celery tasks: thin wrappers that take ids and call services (STYLE rule 9)."""

import logging

from celery import shared_task

from judge.judging.queue import queue_has_waiting, submission_claim_next
from judge.judging.services import submission_judge
from judge.judging.sweeper import submission_sweep_stuck

log = logging.getLogger(__name__)
BLOCKED_RETRY_SECONDS = 2


@shared_task(bind=True, acks_late=True, max_retries=None)
def judge_submission(self, submission_id: int) -> int | None:
    """Judge the fairest queued submission (often, but not always, `submission_id`)."""
    submission = submission_claim_next()
    if submission is None:
        if queue_has_waiting():
            # Every waiting tenant is at its limit of runs at once: keep this message for later.
            raise self.retry(countdown=BLOCKED_RETRY_SECONDS)
        return None
    log.info("judging submission %s (task for %s)", submission.id, submission_id)
    return submission_judge(submission=submission).id


@shared_task
def sweep_stuck_submissions() -> list[int]:
    return submission_sweep_stuck()
