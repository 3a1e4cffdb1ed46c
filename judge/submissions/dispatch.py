"""Asking a worker to judge a submission: a message to the judging task, sent once the transaction commits.

The task is named, not imported: the task module imports the judging services, which import the
writes that queue work, so importing it here would make a cycle.
"""

from django.db import transaction

from judge.celery import app

JUDGE_TASK = "judge.tasks.judge_submission"


def judging_request(*, submission_id: int) -> None:
    transaction.on_commit(lambda: app.send_task(JUDGE_TASK, args=[submission_id]))
