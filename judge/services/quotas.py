"""Per-tenant limits on judging, and the usage they are measured against."""

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import Tenant
from judge.errors import SubmissionRejected
from judge.models import Submission, TenantQuota, TenantUsage

DEFAULTS = {"max_running": 2, "max_queued": 200, "cpu_seconds_per_day": 20000}


def quota_for(*, tenant_id: int) -> TenantQuota:
    quota = TenantQuota.objects.filter(tenant_id=tenant_id).first()
    if quota is not None:
        return quota
    defaults = {**DEFAULTS, **getattr(settings, "JUDGE_DEFAULT_QUOTA", {})}
    return TenantQuota(tenant_id=tenant_id, **defaults)


def _seconds_to_midnight_utc() -> int:
    now = timezone.now().astimezone(dt.UTC)
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((tomorrow - now).total_seconds()) + 1


def quota_check_submit(*, tenant: Tenant) -> None:
    """Raises SubmissionRejected (HTTP 429) when the tenant may not queue one more submission."""
    quota = quota_for(tenant_id=tenant.id)
    queued = Submission.objects.filter(tenant=tenant, status=Submission.Status.QUEUED).count()
    if queued >= quota.max_queued:
        raise SubmissionRejected(
            f"{tenant.name} already has {queued} submissions waiting (limit {quota.max_queued}); "
            "try again when some are judged.",
            status=429,
            retry_after=30,
        )
    used = usage_today(tenant_id=tenant.id).cpu_seconds
    if used >= quota.cpu_seconds_per_day:
        reset = _seconds_to_midnight_utc()
        raise SubmissionRejected(
            f"{tenant.name} used its {quota.cpu_seconds_per_day} judging CPU-seconds for today; "
            f"the quota resets at 00:00 UTC (in {reset // 3600} h {reset % 3600 // 60} min).",
            status=429,
            retry_after=reset,
        )


def usage_today(*, tenant_id: int) -> TenantUsage:
    day = timezone.now().astimezone(dt.UTC).date()
    usage, _ = TenantUsage.objects.get_or_create(tenant_id=tenant_id, day=day)
    return usage


def usage_record(*, tenant_id: int, submissions: int = 0, cpu_seconds: float = 0.0, runs: int = 0) -> None:
    usage = usage_today(tenant_id=tenant_id)
    TenantUsage.objects.filter(pk=usage.pk).update(
        submissions=F("submissions") + submissions,
        cpu_seconds=F("cpu_seconds") + cpu_seconds,
        runs=F("runs") + runs,
    )
