"""The database is the record of pending work: send messages again for queued rows the broker lost.

A Redis restart without persistence, a send that failed after commit, or a message burnt by a crash
leaves a row QUEUED with no message. Sending a surplus message is safe: claims are atomic, and a
message that finds nothing to claim ends (judge.tasks.judge_submission).
"""

import datetime as dt
import json
import logging
import time

from django.conf import settings
from django.utils import timezone

from judge.celery import app
from judge.submissions import dispatch
from judge.submissions.models import Submission

log = logging.getLogger(__name__)
JUDGING_QUEUE = "judging"
# kombu's Redis transport: delivered, unacknowledged messages, and the time each was taken
UNACKED_KEY, UNACKED_INDEX_KEY = "unacked", "unacked_index"


def broker_messages_held() -> int | None:
    """Judging messages the broker holds (Redis): waiting in the queue's list, plus those a worker took
    recently and has not acknowledged yet (running, or held until a retry's countdown). A message taken
    longer ago than the reconcile's bound is a dead worker's: it counts as lost. None: cannot tell."""
    since = time.time() - settings.JUDGE_RECONCILE_AFTER_SECONDS
    try:
        with app.connection_for_write() as connection:
            client = connection.default_channel.client
            return client.llen(JUDGING_QUEUE) + _taken_recently(client, since)
    except Exception:  # noqa: BLE001 - another transport, or the broker is down: count nothing
        return None


def _taken_recently(client, since: float) -> int:
    tags = client.zrangebyscore(UNACKED_INDEX_KEY, since, "+inf")
    held = client.hmget(UNACKED_KEY, tags) if tags else []
    # Each is [message, exchange, routing key]; housekeeping (this reconcile among them) does not count.
    return sum(1 for raw in held if raw is not None and json.loads(raw)[2] == JUDGING_QUEUE)


def submission_reconcile_queued(*, older_than: int | None = None, limit: int | None = None) -> list[int]:
    """Send a judging message for queued rows waiting longer than `older_than` seconds that the broker
    does not seem to hold (fewer messages waiting than rows); returns their ids."""
    seconds = settings.JUDGE_RECONCILE_AFTER_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    queued = Submission.objects.filter(status=Submission.Status.QUEUED)
    missing = queued.count() - (broker_messages_held() or 0)
    if missing <= 0:
        return []
    stale = queued.filter(created_at__lt=cutoff)  # a requeued row is as old as its first submit
    batch = min(missing, limit or settings.JUDGE_RECONCILE_BATCH)
    ids = list(stale.order_by("priority", "id").values_list("id", flat=True)[:batch])
    sent = [submission_id for submission_id in ids if dispatch.judging_send(submission_id=submission_id)]
    if sent:
        log.warning("re-sent %d queued submissions the broker did not hold: %s", len(sent), sent[:20])
    return sent
