"""What the operators' dashboard shows: each tenant's load against its quotas, the workers and what they
judge, and anomalies worth a human look. Every query is grouped or capped, so a snapshot costs the same
with ten submissions or a million.

Scopes: a site admin sees every tenant (and the workers); a tenant's admin sees one tenant at a time.
"""

import datetime as dt
import signal as signals
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Tenant, User
from accounts.selectors import tenant_ids_for_admin
from judge.judging.queue import ACTIVE, running_by_tenant
from judge.ops import charts
from judge.submissions import dispatch
from judge.submissions.models import Submission, TenantQuota, TenantUsage, TestResult, Verdict
from judge.submissions.quotas import quota_for

WARN_AT, HIGH_AT = 0.75, 0.90  # a bar turns amber, then red, at these shares of its limit
ANOMALY_WINDOW = dt.timedelta(hours=24)
ANOMALY_MIN_SUBMISSIONS = 5  # a user's submissions that hit one kind of limit before they are shown
IE_WINDOW = dt.timedelta(hours=1)
IE_BURST = 3  # internal errors within IE_WINDOW, of one tenant or one worker, that make a burst


@dataclass(frozen=True)
class OpsScope:
    """The tenants one page or socket shows: `tenant` None is the whole site (site admins only)."""

    tenants: list[Tenant]
    tenant: Tenant | None

    @property
    def site(self) -> bool:
        return self.tenant is None

    @property
    def tenant_ids(self) -> set[int] | None:
        return None if self.tenant is None else {self.tenant.id}


def ops_scope_get(*, user: User, tenant_id: int | None = None) -> OpsScope:
    """The dashboard's access function. Http404 for anyone who administers no tenant (or not this one)."""
    allowed = tenant_ids_for_admin(user=user)
    if not allowed or (tenant_id is not None and tenant_id not in allowed):
        raise Http404("No such page")
    tenants = list(Tenant.objects.filter(id__in=allowed).order_by("name"))
    if tenant_id is None and user.is_superuser:
        return OpsScope(tenants=tenants, tenant=None)
    chosen = tenant_id if tenant_id is not None else tenants[0].id
    return OpsScope(tenants=tenants, tenant=next(t for t in tenants if t.id == chosen))


def bar(used: float, limit: int) -> dict:
    """One quota bar: a limit of 0 allows nothing, so it is full."""
    share = used / limit if limit else 1.0
    level = "high" if share >= HIGH_AT else "warn" if share >= WARN_AT else "ok"
    return {"used": used, "limit": limit, "percent": round(min(share, 1.0) * 100, 1), "level": level}


def _counts(queryset, key: str) -> dict:
    return dict(queryset.values_list(key).annotate(n=Count("id")).order_by())


def _in(queryset, tenant_ids: set[int] | None, key: str = "tenant_id"):
    return queryset if tenant_ids is None else queryset.filter(**{f"{key}__in": tenant_ids})


def tenant_load_list(*, tenant_ids: set[int] | None) -> list[dict]:
    """Per tenant: runs now, queued, CPU-seconds today against their limits, and today's quota refusals."""
    tenants = _in(Tenant.objects.order_by("name"), tenant_ids, "id")
    quotas = {q.tenant_id: q for q in _in(TenantQuota.objects.all(), tenant_ids)}
    running = running_by_tenant()
    queued = _counts(_in(Submission.objects.filter(status=Submission.Status.QUEUED), tenant_ids), "tenant_id")
    today = timezone.now().astimezone(dt.UTC).date()
    usage = {u.tenant_id: u for u in _in(TenantUsage.objects.filter(day=today), tenant_ids)}
    rows = []
    for tenant in tenants:
        quota = quotas.get(tenant.id) or quota_for(tenant_id=tenant.id)
        used = usage.get(tenant.id)
        bars = {
            "running": bar(running.get(tenant.id, 0), quota.max_running),
            "queued": bar(queued.get(tenant.id, 0), quota.max_queued),
            "cpu": bar(round(used.cpu_seconds, 1) if used else 0, quota.cpu_seconds_per_day),
        }
        saturation = max(b["used"] / b["limit"] if b["limit"] else 1.0 for b in bars.values())
        rows.append(
            {
                "id": tenant.id,
                "name": tenant.name,
                **bars,
                "rejections": used.rejections if used else 0,
                "saturation": round(saturation, 4),
            }
        )
    return rows


def _staff_list_link(**query) -> str:
    return f"{reverse('staff:submission_list')}?{urlencode(query)}"


def _limit_kind(verdict: str, signal: int | None) -> str | None:
    """What a run that hit a limit looks like it tried; None for an ordinary crash (a plain RE)."""
    if verdict == Verdict.TLE:
        return "hits the time limit (busy loops, fork bombs)"
    if verdict == Verdict.MLE:
        return "hits the memory limit (memory bombs)"
    if verdict == Verdict.OLE:
        return "floods the output"
    if signal == signals.SIGSYS:
        return "makes system calls the sandbox refuses (seccomp)"
    if signal is not None:
        try:
            return f"is killed by {signals.Signals(signal).name}"
        except ValueError:
            return f"is killed by signal {signal}"
    return None


def _limit_hitters(*, tenant_ids: set[int] | None, since: dt.datetime, names: dict[int, str]) -> list[dict]:
    results = TestResult.objects.filter(
        submission__created_at__gte=since,
        submission__kind=Submission.Kind.NORMAL,
        verdict__in=[Verdict.TLE, Verdict.MLE, Verdict.OLE, Verdict.RE],
    )
    rows = (
        _in(results, tenant_ids, "submission__tenant_id")
        .values("submission__tenant_id", "submission__user__username", "verdict", "signal")
        .annotate(runs=Count("id"), submissions=Count("submission_id", distinct=True))
        .order_by()
    )
    found: dict[tuple, dict] = {}
    for row in rows:
        kind = _limit_kind(row["verdict"], row["signal"])
        if kind is None:
            continue
        tenant_id, username = row["submission__tenant_id"], row["submission__user__username"]
        entry = found.setdefault(
            (tenant_id, username, kind),
            {
                "tenant_id": tenant_id,
                "tenant": names.get(tenant_id, ""),
                "who": username,
                "what": f"{kind}",
                "submissions": 0,
                "runs": 0,
                "link": _staff_list_link(user=username, verdict=row["verdict"]),
            },
        )
        entry["submissions"] += row["submissions"]
        entry["runs"] += row["runs"]
    return [entry for entry in found.values() if entry["submissions"] >= ANOMALY_MIN_SUBMISSIONS]


def _ie_bursts(*, tenant_ids: set[int] | None, site: bool, now: dt.datetime, names: dict[int, str]) -> list:
    errors = Submission.objects.filter(
        created_at__gte=now - ANOMALY_WINDOW, judged_at__gte=now - IE_WINDOW, verdict=Verdict.IE
    )
    errors = _in(errors, tenant_ids)
    link = _staff_list_link(verdict=Verdict.IE)
    found = [
        {"tenant_id": tid, "tenant": names.get(tid, ""), "who": names.get(tid, ""), "submissions": n}
        for tid, n in _counts(errors, "tenant_id").items()
        if n >= IE_BURST
    ]
    if site:  # a worker's failures span tenants: only the site's view shows them
        found += [
            {"tenant_id": None, "tenant": "", "who": worker, "submissions": n, "what_worker": True}
            for worker, n in _counts(errors.exclude(worker=""), "worker").items()
            if n >= IE_BURST
        ]
    for entry in found:
        worker = entry.pop("what_worker", False)
        entry["what"] = "fails to run containers: internal errors" if worker else "a burst of internal errors"
        entry |= {"runs": None, "link": link}
    return found


def anomaly_list(*, tenant_ids: set[int] | None, site: bool) -> list[dict]:
    """Who keeps hitting limits (last 24 h, by kind), and bursts of internal errors (last hour): who,
    what, how many, and a link to the submissions; most submissions first."""
    now = timezone.now()
    names = dict(_in(Tenant.objects.all(), tenant_ids, "id").values_list("id", "name"))
    found = _limit_hitters(tenant_ids=tenant_ids, since=now - ANOMALY_WINDOW, names=names)
    found += _ie_bursts(tenant_ids=tenant_ids, site=site, now=now, names=names)
    return sorted(found, key=lambda entry: (-entry["submissions"], entry["who"]))


def worker_list() -> list[dict]:
    """Every worker heard from in the last hour: its host, last heartbeat, engine check, what it judges.
    One silent for longer than JUDGE_WORKER_DEAD_AFTER_SECONDS is shown as silent (red)."""
    now = time.time()
    jobs: dict[str, list[dict]] = {}
    active = Submission.objects.filter(status__in=ACTIVE).exclude(worker="").order_by("id")
    for sid, worker, problem, tenant in active.values_list("id", "worker", "problem__code", "tenant__name"):
        link = reverse("judge:submission_detail", args=[sid])
        jobs.setdefault(worker, []).append({"id": sid, "problem": problem, "tenant": tenant, "link": link})
    rows = []
    for name, beat in sorted(dispatch.worker_heartbeats(silent_too=True).items()):
        age = now - beat["at"]
        silent = age > settings.JUDGE_WORKER_DEAD_AFTER_SECONDS
        languages = beat.get("languages") or {}
        state = "silent" if silent else "engine down" if beat["engine"] else "ok"
        rows.append(
            {
                "name": name,
                "host": name.split("@", 1)[-1],
                "seen_seconds_ago": round(age, 1),
                "state": state,
                "level": "ok" if state == "ok" else "high",
                "engine": beat["engine"] or "reachable",
                "languages": languages.get("available", []),
                "missing": languages.get("missing", []),
                "judging": jobs.get(name, []) if not silent else [],
            }
        )
    return rows


@dataclass
class _Gathered:
    loads: list[dict]
    anomalies: list[dict]
    raw: charts.ChartRaw
    workers: list[dict] = field(default_factory=list)


def _gather(*, tenant_ids: set[int] | None, site: bool) -> _Gathered:
    return _Gathered(
        loads=tenant_load_list(tenant_ids=tenant_ids),
        anomalies=anomaly_list(tenant_ids=tenant_ids, site=site),
        raw=charts.chart_raw(tenant_ids=tenant_ids),
        workers=worker_list() if site else [],
    )


def _snapshot(gathered: _Gathered, *, tenant_ids: set[int] | None, site: bool) -> dict:
    def mine(tenant_id) -> bool:
        return tenant_ids is None or tenant_id in tenant_ids

    loads = [row for row in gathered.loads if mine(row["id"])]
    return {
        "type": "snapshot",
        "at": timezone.now().isoformat(),
        "site": site,
        "tenants": loads,
        "anomalies": [
            a for a in gathered.anomalies if (site or a["tenant_id"] is not None) and mine(a["tenant_id"])
        ],
        "charts": charts.chart_series(
            gathered.raw, tenant_ids=tenant_ids, names={r["id"]: r["name"] for r in loads}
        ),
        "workers": gathered.workers if site else None,
    }


def ops_snapshot(*, scope: OpsScope) -> dict:
    """Everything the dashboard shows for one scope, as the page's script and the socket take it."""
    gathered = _gather(tenant_ids=scope.tenant_ids, site=scope.site)
    return _snapshot(gathered, tenant_ids=scope.tenant_ids, site=scope.site)


def ops_snapshots_all() -> tuple[dict, dict[int, dict]]:
    """The site's snapshot and each tenant's, gathered once (the periodic push)."""
    gathered = _gather(tenant_ids=None, site=True)
    site = _snapshot(gathered, tenant_ids=None, site=True)
    tenants = {row["id"]: _snapshot(gathered, tenant_ids={row["id"]}, site=False) for row in gathered.loads}
    return site, tenants
