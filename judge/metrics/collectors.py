"""Gauges read from the database and the heartbeats when Prometheus scrapes, so every web process answers
the same whatever it has seen itself: queue depth, how much of each quota is used, live workers."""

import datetime as dt
import logging
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from accounts.models import Tenant
from judge.judging.queue import running_by_tenant
from judge.submissions import dispatch
from judge.submissions.models import Submission, TenantUsage
from judge.submissions.quotas import quota_for

log = logging.getLogger(__name__)


def _queued() -> dict[tuple[int, str], int]:
    rows = (
        Submission.objects.filter(status=Submission.Status.QUEUED)
        .values("tenant_id", "kind")
        .annotate(n=Count("id"))
    )
    return {(row["tenant_id"], row["kind"]): row["n"] for row in rows}


def _cpu_today() -> dict[int, float]:
    day = timezone.now().astimezone(dt.UTC).date()  # the quota's day, as judge.submissions.quotas counts it
    return dict(TenantUsage.objects.filter(day=day).values_list("tenant_id", "cpu_seconds"))


def _ratio(used: float, limit: float) -> float:
    return used / limit if limit else 0.0


class DatabaseCollector(Collector):
    """ojudge_queue_depth{tenant,kind}, ojudge_quota_usage_ratio{tenant,quota} and ojudge_workers_up."""

    def collect(self):
        queued, running = _queued(), running_by_tenant()
        tenant_ids = {tenant_id for tenant_id, _ in queued} | set(running)
        tenant_ids |= set(Tenant.objects.filter(quota__isnull=False).values_list("id", flat=True))
        slugs = dict(Tenant.objects.filter(id__in=tenant_ids).values_list("id", "slug"))
        yield self._depth(queued, slugs)
        yield self._usage(queued, running, slugs)
        workers = self._workers()
        if workers is not None:
            yield workers

    def _depth(self, queued, slugs) -> GaugeMetricFamily:
        depth = GaugeMetricFamily(
            "ojudge_queue_depth", "Submissions waiting to be judged.", labels=["tenant", "kind"]
        )
        for (tenant_id, kind), n in sorted(queued.items()):
            depth.add_metric([slugs.get(tenant_id, str(tenant_id)), kind], n)
        return depth

    def _usage(self, queued, running, slugs) -> GaugeMetricFamily:
        usage = GaugeMetricFamily(
            "ojudge_quota_usage_ratio",
            "Share of a quota in use (1 = at the limit): waiting, judged at once, CPU-seconds today.",
            labels=["tenant", "quota"],
        )
        waiting = defaultdict(int)
        for (tenant_id, _), n in queued.items():
            waiting[tenant_id] += n
        cpu_today = _cpu_today()
        for tenant_id, slug in sorted(slugs.items(), key=lambda item: item[1]):
            quota = quota_for(tenant_id=tenant_id)
            cpu = cpu_today.get(tenant_id, 0.0)
            usage.add_metric([slug, "max_queued"], _ratio(waiting[tenant_id], quota.max_queued))
            usage.add_metric([slug, "max_running"], _ratio(running.get(tenant_id, 0), quota.max_running))
            usage.add_metric([slug, "cpu_seconds_per_day"], _ratio(cpu, quota.cpu_seconds_per_day))
        return usage

    def _workers(self) -> GaugeMetricFamily | None:
        try:
            alive = dispatch.workers_alive()
        except dispatch.SERVICE_ERRORS:
            log.warning("metrics: the worker heartbeats cannot be read", exc_info=True)
            return None
        return GaugeMetricFamily(
            "ojudge_workers_up",
            "Workers beating within the dead-after bound, with a working engine.",
            len(alive),
        )
