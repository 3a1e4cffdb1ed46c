"""The dashboard's charts, hour by hour over the last 7 days (the 24 h view is the last 24 hours of it):
submissions by tenant, verdict mix, judge latency (submit to verdict) p50/p95, queue depth, TLE / MLE /
IE rates and quota saturation. Counts are grouped in the database; latencies come from at most
LATENCY_ROWS of the newest submissions; queue depth and saturation from the minute samples (OpsSample).
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.functions import TruncHour
from django.utils import timezone

from judge.ops.models import OpsSample
from judge.submissions.models import Submission, Verdict

HOURS = 7 * 24
WINDOWS = {"24h": 24, "7d": HOURS}
LATENCY_ROWS = 20_000
TOP_TENANTS = 8  # lines per chart; the rest are summed as "Others"
RATE_VERDICTS = (Verdict.TLE, Verdict.MLE, Verdict.IE)


@dataclass
class ChartRaw:
    start: dt.datetime  # the first hour shown
    counts: dict  # tenant id -> hour index -> verdict ("" not judged yet) -> count
    latencies: dict  # tenant id -> hour index -> [seconds]
    samples: dict  # tenant id (None: the site) -> hour index -> (peak queued, peak saturation)


def _hour_index(start: dt.datetime, moment: dt.datetime) -> int:
    return int((moment - start).total_seconds() // 3600)


def chart_raw(*, tenant_ids: set[int] | None) -> ChartRaw:
    now = timezone.now().astimezone(dt.UTC)
    start = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=HOURS - 1)
    mine = {} if tenant_ids is None else {"tenant_id__in": tenant_ids}
    recent = Submission.objects.filter(kind=Submission.Kind.NORMAL, created_at__gte=start, **mine)
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    hourly = recent.annotate(hour=TruncHour("created_at", tzinfo=dt.UTC)).values(
        "hour", "tenant_id", "verdict"
    )
    for row in hourly.annotate(n=Count("id")).order_by():
        counts[row["tenant_id"]][_hour_index(start, row["hour"])][row["verdict"]] += row["n"]
    latencies: dict = defaultdict(lambda: defaultdict(list))
    judged = recent.filter(status=Submission.Status.DONE, judged_at__isnull=False, rejudged_at__isnull=True)
    rows = judged.order_by("-created_at").values_list("tenant_id", "created_at", "judged_at")[:LATENCY_ROWS]
    for tenant_id, created, verdict_at in rows:
        latencies[tenant_id][_hour_index(start, created)].append((verdict_at - created).total_seconds())
    return ChartRaw(start=start, counts=counts, latencies=latencies, samples=_samples(start, tenant_ids))


def _samples(start: dt.datetime, tenant_ids: set[int] | None) -> dict:
    rows = OpsSample.objects.filter(at__gte=start)
    if tenant_ids is not None:
        rows = rows.filter(tenant_id__in=[*tenant_ids]) | rows.filter(tenant__isnull=True)
    grouped = rows.annotate(hour=TruncHour("at", tzinfo=dt.UTC)).values("hour", "tenant_id")
    samples: dict = defaultdict(dict)
    for row in grouped.annotate(queued=Max("queued"), saturation=Max("saturation")).order_by():
        samples[row["tenant_id"]][_hour_index(start, row["hour"])] = (row["queued"], row["saturation"])
    return samples


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _top(per_tenant: dict[int, list], names: dict[int, str], combine=sum) -> list[dict]:
    """One line per tenant, the biggest TOP_TENANTS first; the rest combined (summed, or their peak) as
    "Others"."""
    ranked = sorted(per_tenant, key=lambda tid: (-sum(v or 0 for v in per_tenant[tid]), names.get(tid, "")))
    lines = [{"label": names.get(tid, f"#{tid}"), "values": per_tenant[tid]} for tid in ranked[:TOP_TENANTS]]
    rest = ranked[TOP_TENANTS:]
    if rest:
        combined = [combine(per_tenant[tid][h] or 0 for tid in rest) for h in range(HOURS)]
        lines.append({"label": "Others", "values": combined})
    return lines


def _per_hour(raw: ChartRaw, tenants: list[int]) -> tuple[list[dict], list[list[float]]]:
    """Verdict counts and latencies of the scope's tenants, hour by hour."""
    verdicts: list[dict] = [defaultdict(int) for _ in range(HOURS)]
    latencies: list[list[float]] = [[] for _ in range(HOURS)]
    for tid in tenants:
        for hour, by_verdict in raw.counts.get(tid, {}).items():
            for verdict, n in by_verdict.items():
                verdicts[hour][verdict] += n
        for hour, values in raw.latencies.get(tid, {}).items():
            latencies[hour].extend(values)
    return verdicts, latencies


def _rate(counts: dict, verdict: str) -> float | None:
    judged = sum(n for v, n in counts.items() if v)
    return round(100 * counts.get(verdict, 0) / judged, 1) if judged else None


def _queue(raw: ChartRaw, tenant_ids: set[int] | None) -> list[int | None]:
    """Peak queue per hour: the site's samples, or the tenant's (0 in an hour the sampler ran and the
    tenant had nothing waiting); None where nothing was sampled."""
    site = raw.samples.get(None, {})
    if tenant_ids is None:
        return [site[h][0] if h in site else None for h in range(HOURS)]
    mine = [raw.samples.get(tid, {}) for tid in tenant_ids]
    return [sum(s[h][0] for s in mine if h in s) if h in site else None for h in range(HOURS)]


def _window(series: dict, hours: int, verdicts: list[dict]) -> dict:
    cut = slice(HOURS - hours, HOURS)
    mix: dict[str, int] = defaultdict(int)
    for counts in verdicts[cut]:
        for verdict, n in counts.items():
            if verdict:
                mix[verdict] += n
    sliced = {
        key: [{**line, "values": line["values"][cut]} for line in lines] for key, lines in series.items()
    }
    return {**sliced, "verdicts": {v: mix[v] for v in Verdict.values if mix.get(v)}}


def chart_series(raw: ChartRaw, *, tenant_ids: set[int] | None, names: dict[int, str]) -> dict:
    """The scope's chart data for each window: x (hour starts, epoch seconds) and named lines."""
    tenants = sorted(names) if tenant_ids is None else sorted(tenant_ids)
    verdicts, latencies = _per_hour(raw, tenants)
    per_tenant = {
        tid: [sum(raw.counts[tid][h].values()) if h in raw.counts[tid] else 0 for h in range(HOURS)]
        for tid in tenants
        if tid in raw.counts
    }
    saturation = {
        tid: [round(100 * raw.samples[tid][h][1], 1) if h in raw.samples[tid] else None for h in range(HOURS)]
        for tid in tenants
        if tid in raw.samples
    }
    series = {
        "submissions": _top(per_tenant, names),
        "latency": [
            {"label": "p50", "values": [percentile(values, 0.5) for values in latencies]},
            {"label": "p95", "values": [percentile(values, 0.95) for values in latencies]},
        ],
        "queue": [{"label": "Queued", "values": _queue(raw, tenant_ids)}],
        "rates": [{"label": v, "values": [_rate(c, v) for c in verdicts]} for v in RATE_VERDICTS],
        "saturation": _top(saturation, names, combine=max),
    }
    x = [int((raw.start + dt.timedelta(hours=h)).timestamp()) for h in range(HOURS)]
    return {
        name: {"x": x[HOURS - hours :], **_window(series, hours, verdicts)} for name, hours in WINDOWS.items()
    }
