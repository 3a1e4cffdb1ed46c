"""Asking a worker to judge a submission, and whether anyone will: messages, worker heartbeats, fail-fast.

The task is named, not imported: the task module imports the judging services, which import the
writes that queue work, so importing it here would make a cycle. The database, not the broker, is the
record of pending work: a message lost here (broker down at commit) is sent again by the reconcile.
The heartbeats live here too, not in judge/judging/, because submitting reads them and imports go one way.
"""

import logging
import time

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from judge.celery import app
from judge.submissions.errors import SubmissionRejected
from judge.submissions.models import Submission

log = logging.getLogger(__name__)

JUDGE_TASK = "judge.tasks.judge_submission"
HEARTBEATS_KEY = "judge:workers"
HOST_WORKER_PREFIX = "host:"  # a judge host's name as a worker (judge/hosts/)
HEARTBEATS_KEPT_SECONDS = 3600
# The broker or the cache cannot be reached: the submit views answer 503 instead of a 500.
SERVICE_ERRORS = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)


def judging_request(*, submission_id: int) -> None:
    transaction.on_commit(lambda: judging_send(submission_id=submission_id))


def judging_send(*, submission_id: int) -> bool:
    """Send one judging message now; False (logged) when the broker is down: the reconcile resends it."""
    try:
        app.send_task(JUDGE_TASK, args=[submission_id])  # retries briefly: CELERY_TASK_PUBLISH_RETRY_POLICY
    except Exception:  # noqa: BLE001 - the row is saved and queued; any send failure is the reconcile's
        log.exception("could not send submission %s to the broker; the reconcile will", submission_id)
        return False
    return True


def heartbeat_record(*, hostname: str, engine_problem: str = "", languages: dict | None = None) -> None:
    """A worker's sign of life (judge/judging/workers.py writes it every few seconds): when, whether its
    engine answers, which languages have their image ({"available": [...], "missing": [...]})."""
    beats = cache.get(HEARTBEATS_KEY) or {}
    # Kept for an hour after the last beat, so the operators' dashboard can show a worker that went silent.
    horizon = time.time() - max(HEARTBEATS_KEPT_SECONDS, 10 * settings.JUDGE_WORKER_HEARTBEAT_SECONDS)
    beats = {name: beat for name, beat in beats.items() if beat["at"] > horizon}
    beats[hostname] = {"at": time.time(), "engine": engine_problem, "languages": languages or {}}
    cache.set(HEARTBEATS_KEY, beats, timeout=None)


def worker_heartbeats(*, silent_too: bool = False) -> dict[str, dict]:
    """Workers seen within JUDGE_WORKER_DEAD_AFTER_SECONDS (with `silent_too`, within the last hour):
    {hostname: {"at": epoch, "engine": problem, "languages": {...}}}."""
    cutoff = 0 if silent_too else time.time() - settings.JUDGE_WORKER_DEAD_AFTER_SECONDS
    return {name: beat for name, beat in (cache.get(HEARTBEATS_KEY) or {}).items() if beat["at"] >= cutoff}


def workers_alive() -> list[str]:
    """Live workers whose engine works (with JUDGE_EXECUTION=hosts, only judge hosts judge: "host:<name>").
    Tests without workers monkeypatch this (or turn the check off)."""
    judging = [name for name, beat in worker_heartbeats().items() if not beat["engine"]]
    if settings.JUDGE_EXECUTION == "hosts":
        return [name for name in judging if name.startswith(HOST_WORKER_PREFIX)]
    return judging


def judging_capacity_check() -> None:
    """Raise SubmissionRejected (503) when nobody would judge a new submission soon: refuse at once."""
    depth_limit = settings.JUDGE_MAX_QUEUE_DEPTH
    if depth_limit and Submission.objects.filter(status=Submission.Status.QUEUED).count() >= depth_limit:
        raise SubmissionRejected(
            "The judge is overloaded right now: too many submissions are waiting. Try again in a minute.",
            status=503,
            retry_after=60,
        )
    if settings.JUDGE_REQUIRE_LIVE_WORKER and not workers_alive():
        raise SubmissionRejected(
            "No judge is running right now, so your submission was not saved. Try again in a minute.",
            status=503,
            retry_after=30,
        )
