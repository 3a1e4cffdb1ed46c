"""Per-tenant limits on judging, the usage they are measured against, and who pays for a submission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import PUBLIC_POOL_SLUG, Tenant, User
from accounts.selectors import tenant_ids_for_member
from accounts.services import tenant_public_pool_get
from judge.metrics import hooks as metrics
from judge.submissions.errors import QuotaExceeded, SubmissionRejected
from judge.submissions.models import Submission, TenantQuota, TenantUsage
from problems.models import Problem

if TYPE_CHECKING:  # contests build on submissions, never the other way round
    from judge.contests.models import Contest

DEFAULTS = {"max_running": 2, "max_queued": 200, "cpu_seconds_per_day": 20000}


def _defaults() -> dict:
    return {**DEFAULTS, **getattr(settings, "JUDGE_DEFAULT_QUOTA", {})}


def quota_for(*, tenant_id: int) -> TenantQuota:
    quota = TenantQuota.objects.filter(tenant_id=tenant_id).first()
    if quota is not None:
        return quota
    return TenantQuota(tenant_id=tenant_id, **_defaults())


def quota_lock(*, tenant_id: int) -> TenantQuota:
    """The tenant's quota row, made if missing and locked until the transaction ends: checks of a limit
    and the write it allows (a submit, a claim) then happen one at a time per tenant. On SQLite the
    IMMEDIATE transaction mode already serialises writers; select_for_update is for PostgreSQL."""
    TenantQuota.objects.get_or_create(tenant_id=tenant_id, defaults=_defaults())
    return TenantQuota.objects.select_for_update().get(tenant_id=tenant_id)


def _seconds_to_midnight_utc() -> int:
    now = timezone.now().astimezone(dt.UTC)
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((tomorrow - now).total_seconds()) + 1


def quota_tenant_for_submission(*, user: User, problem: Problem, contest: Contest | None) -> Tenant:
    """Who pays: a contest's tenant; the problem's tenant for its members (and site admins); otherwise the
    public pool, so strangers practising a public problem cannot fill its school's queue."""
    if contest is not None:
        return contest.tenant
    if user.is_superuser or problem.tenant_id in tenant_ids_for_member(user=user):
        return problem.tenant
    pool = tenant_public_pool_get()
    TenantQuota.objects.get_or_create(tenant=pool, defaults=settings.JUDGE_PUBLIC_QUOTA)
    return pool


def _check_user_waiting(*, user: User, tenant: Tenant) -> None:
    limit = settings.JUDGE_MAX_QUEUED_PER_USER
    # Rejudges (priority > 0) are the staff's doing and never count against the author.
    waiting = Submission.objects.filter(
        user=user, status=Submission.Status.QUEUED, kind=Submission.Kind.NORMAL, priority=0
    ).count()
    if waiting >= limit:
        metrics.quota_rejected(tenant=tenant.slug, quota="max_queued_per_user")
        raise SubmissionRejected(
            f"You already have {waiting} submissions waiting to be judged (limit {limit}); "
            "submit again when one of them is judged.",
            status=429,
            retry_after=30,
        )


def _payer_name(tenant: Tenant) -> str:
    if tenant.slug == PUBLIC_POOL_SLUG:
        return f"{tenant.name} (shared by everyone outside the problem's course, school or club)"
    return tenant.name


def quota_check_submit(*, tenant: Tenant, user: User) -> None:
    """Raises SubmissionRejected (HTTP 429) when the user or the tenant may not queue one more submission.
    Call inside the transaction that saves the submission: the user's row stays locked until it commits,
    so two submits of one user at once cannot both pass the per-user cap."""
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    _check_user_waiting(user=user, tenant=tenant)
    quota = quota_lock(tenant_id=tenant.id)
    queued = Submission.objects.filter(tenant=tenant, status=Submission.Status.QUEUED).count()
    if queued >= quota.max_queued:
        metrics.quota_rejected(tenant=tenant.slug, quota="max_queued")
        raise QuotaExceeded(
            f"{_payer_name(tenant)} already has {queued} submissions waiting (limit {quota.max_queued}); "
            "try again when some are judged.",
            tenant_id=tenant.id,
            retry_after=30,
        )
    used = usage_today(tenant_id=tenant.id).cpu_seconds
    if used >= quota.cpu_seconds_per_day:
        reset = _seconds_to_midnight_utc()
        metrics.quota_rejected(tenant=tenant.slug, quota="cpu_seconds_per_day")
        raise QuotaExceeded(
            f"{_payer_name(tenant)} used its {quota.cpu_seconds_per_day} judging CPU-seconds for today; "
            f"the quota resets at 00:00 UTC (in {reset // 3600} h {reset % 3600 // 60} min).",
            tenant_id=tenant.id,
            retry_after=reset,
        )


@contextmanager
def quota_rejections_counted() -> Iterator[None]:
    """Wrap the transaction that calls quota_check_submit: a refusal undoes that transaction, so it is
    counted (TenantUsage.rejections) after, outside it. Nothing else may hold a transaction open around."""
    try:
        yield
    except QuotaExceeded as exc:
        usage_record(tenant_id=exc.tenant_id, rejections=1)
        raise


def usage_today(*, tenant_id: int) -> TenantUsage:
    day = timezone.now().astimezone(dt.UTC).date()
    usage, _ = TenantUsage.objects.get_or_create(tenant_id=tenant_id, day=day)
    return usage


def usage_record(
    *, tenant_id: int, submissions: int = 0, cpu_seconds: float = 0.0, runs: int = 0, rejections: int = 0
) -> None:
    usage = usage_today(tenant_id=tenant_id)
    TenantUsage.objects.filter(pk=usage.pk).update(
        submissions=F("submissions") + submissions,
        cpu_seconds=F("cpu_seconds") + cpu_seconds,
        runs=F("runs") + runs,
        rejections=F("rejections") + rejections,
    )
