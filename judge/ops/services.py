"""Writes of the operators' dashboard: a tenant's quotas, the minute samples, the periodic push."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.audit import staff_action_note
from accounts.models import User
from judge.ops import events
from judge.ops.models import OpsSample
from judge.ops.selectors import ops_snapshots_all
from judge.submissions.models import TenantQuota
from judge.submissions.quotas import quota_lock

SAMPLES_KEPT = dt.timedelta(days=8)


@transaction.atomic
def tenant_quota_update(*, user: User, tenant_id: int, **limits: int) -> TenantQuota:
    """Set a tenant's limits (site admins only). Out of bounds (the model's validators): ValidationError,
    and nothing changes."""
    if not user.is_superuser:
        raise PermissionDenied("Only site administrators change quotas.")
    quota = quota_lock(tenant_id=tenant_id)
    before = {name: getattr(quota, name) for name in TenantQuota.LIMIT_FIELDS}
    for name in TenantQuota.LIMIT_FIELDS:
        setattr(quota, name, limits[name])
    quota.full_clean()
    quota.save(update_fields=list(TenantQuota.LIMIT_FIELDS))
    changed = {f"{name} was": was for name, was in before.items() if was != limits[name]}
    staff_action_note(
        action="quota_update",
        tenant_id=tenant_id,
        target=f"quota of tenant {tenant_id}",
        actor=user,
        **changed,
        **{name: limits[name] for name in TenantQuota.LIMIT_FIELDS},
    )
    return quota


def ops_sample_record(*, loads: list[dict], now: dt.datetime | None = None) -> bool:
    """Keep one sample of every busy tenant's load (and the site's queue) about once a minute, for the
    queue depth and saturation charts; samples older than SAMPLES_KEPT go. False when one is still fresh."""
    now = now or timezone.now()
    fresh = now - dt.timedelta(seconds=settings.JUDGE_OPS_SAMPLE_SECONDS)
    if OpsSample.objects.filter(tenant__isnull=True, at__gt=fresh).exists():
        return False
    busy = [row for row in loads if row["queued"]["used"] or row["running"]["used"] or row["saturation"]]
    rows = [
        OpsSample(
            at=now,
            tenant_id=row["id"],
            queued=row["queued"]["used"],
            running=row["running"]["used"],
            saturation=row["saturation"],
        )
        for row in busy
    ]
    site = OpsSample(
        at=now,
        queued=sum(row["queued"]["used"] for row in loads),
        running=sum(row["running"]["used"] for row in loads),
        saturation=max((row["saturation"] for row in loads), default=0),
    )
    OpsSample.objects.bulk_create([site, *rows])
    OpsSample.objects.filter(at__lt=now - SAMPLES_KEPT).delete()
    return True


def ops_publish() -> None:
    """The periodic push (beat, every JUDGE_OPS_PUSH_SECONDS): sample, then send every open dashboard
    a fresh snapshot of its scope."""
    site, tenants = ops_snapshots_all()
    if ops_sample_record(loads=site["tenants"]):
        site, tenants = ops_snapshots_all()  # the charts include the sample just taken
    events.publish_snapshot(events.ops_site_group(), site)
    for tenant_id, snapshot in tenants.items():
        events.publish_snapshot(events.ops_tenant_group(tenant_id), snapshot)
