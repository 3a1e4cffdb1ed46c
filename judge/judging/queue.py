"""Fair claiming: which queued submission a free worker judges next.

Every queued submission has one task message, but a task judges whichever submission is fairest, not
necessarily its own: live work before rejudges, then the tenant with the fewest submissions being judged,
then the tenant served longest ago (round robin), then the oldest. So one tenant flooding the queue
cannot starve another, and no submission is lost: there are always at least as many messages as queued
submissions.
"""

import datetime as dt
import secrets
from collections.abc import Collection, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from judge.submissions import events
from judge.submissions.models import Submission
from judge.submissions.quotas import quota_for, quota_lock

ACTIVE = (Submission.Status.COMPILING, Submission.Status.RUNNING)
POSITIONS_PUBLISHED = 50


def _alive_active():
    # A row silent for longer than the sweeper's bound is a dead worker's (a zombie): it runs nothing,
    # so it does not hold one of its tenant's running slots while it waits to be swept.
    cutoff = timezone.now() - dt.timedelta(seconds=settings.JUDGE_STUCK_AFTER_SECONDS)
    return Submission.objects.filter(status__in=ACTIVE).exclude(heartbeat_at__lt=cutoff)


def running_by_tenant() -> dict[int, int]:
    """{tenant id: submissions being judged now by a live worker} (the metrics read it too)."""
    rows = _alive_active().values("tenant_id").annotate(n=Count("id"))
    return {row["tenant_id"]: row["n"] for row in rows}


def _queued(languages: Collection[str] | None):
    queued = Submission.objects.filter(status=Submission.Status.QUEUED)
    return queued if languages is None else queued.filter(language__in=languages)


def _queued_tenants(languages: Collection[str] | None) -> list[dict]:
    return list(_queued(languages).values("tenant_id").annotate(priority=Min("priority"), oldest=Min("id")))


def _last_served(tenant_ids: list[int]) -> dict[int, dt.datetime]:
    rows = (
        Submission.objects.filter(tenant_id__in=tenant_ids)
        .values("tenant_id")
        .annotate(last=Max("started_at"))
    )
    return {row["tenant_id"]: row["last"] for row in rows if row["last"] is not None}


def fair_candidates(*, languages: Collection[str] | None = None) -> Iterator[int]:
    """Submission ids in the order they should be tried; tenants at their running limit are skipped
    (and checked again under the tenant's lock when claiming). `languages`: only submissions in these
    (what a judge host can run)."""
    running = running_by_tenant()
    tenants = [
        row
        for row in _queued_tenants(languages)
        if running.get(row["tenant_id"], 0) < quota_for(tenant_id=row["tenant_id"]).max_running
    ]
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    served = _last_served([row["tenant_id"] for row in tenants])
    tenants.sort(
        key=lambda row: (
            row["priority"],
            running.get(row["tenant_id"], 0),
            served.get(row["tenant_id"], never),
            row["oldest"],
        )
    )
    for row in tenants:
        queued = _queued(languages).filter(tenant_id=row["tenant_id"])
        yield from queued.order_by("priority", "id").values_list("id", flat=True)[:5]


def submission_claim_next(*, worker: str = "", languages: Collection[str] | None = None) -> Submission | None:
    """Atomically move the fairest queued submission to COMPILING; None when nothing may run now.
    `worker` (the Celery worker's name) is kept on the submission: the dashboard shows what each judges."""
    for candidate in fair_candidates(languages=languages):
        if (claimed := _claim_within_limit(submission_id=candidate, worker=worker)) is not None:
            queue_positions_publish()
            return claimed
    return None


def _claim_within_limit(*, submission_id: int, worker: str) -> Submission | None:
    # Two workers may both have seen the tenant below its limit: count again under the tenant's lock.
    tenant_id = Submission.objects.filter(pk=submission_id).values_list("tenant_id", flat=True).first()
    if tenant_id is None:
        return None
    with transaction.atomic():
        limit = quota_lock(tenant_id=tenant_id).max_running
        if _running_of(tenant_id) >= limit:
            return None
        return submission_claim(submission_id=submission_id, worker=worker)


def _running_of(tenant_id: int) -> int:
    return _alive_active().filter(tenant_id=tenant_id).count()


def submission_claim(*, submission_id: int, worker: str = "") -> Submission | None:
    """Claim one particular queued submission (synchronous judging: package checks, tests); None if taken."""
    now = timezone.now()
    claimed = Submission.objects.filter(pk=submission_id, status=Submission.Status.QUEUED).update(
        status=Submission.Status.COMPILING,
        started_at=now,
        heartbeat_at=now,
        claim=secrets.token_hex(16),
        worker=worker[:200],
    )
    if not claimed:
        return None
    return Submission.objects.select_related("problem", "problem__tenant").get(pk=submission_id)


def queue_has_waiting() -> bool:
    return Submission.objects.filter(status=Submission.Status.QUEUED).exists()


def queue_positions_publish() -> None:
    waiting = Submission.objects.filter(status=Submission.Status.QUEUED).order_by("priority", "id")
    rows = waiting.values_list("id", "user_id")[:POSITIONS_PUBLISHED]
    events.publish_queue_positions({sid: (uid, place) for place, (sid, uid) in enumerate(rows, start=1)})
