"""/healthz for load balancers: is the web up, can it reach the database and Redis, is a worker judging."""

import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from judge.submissions import dispatch


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure is "down", said in words
        return f"down: {exc}"
    return "ok"


def _workers() -> tuple[str, dict]:
    try:
        beats = dispatch.worker_heartbeats()
    except Exception as exc:  # noqa: BLE001
        return f"down: {exc}", {}
    now = time.time()
    return "ok", {
        name: {"seen_seconds_ago": round(now - beat["at"], 1), "engine": beat["engine"] or "ok"}
        for name, beat in beats.items()
    }


@never_cache
@require_GET
def healthz(request):
    """200 when the database, Redis and at least one worker with a working engine are all fine; else 503."""
    redis, workers = _workers()
    alive = [name for name, beat in workers.items() if beat["engine"] == "ok"]
    checks = {
        "web": "ok",
        "database": _database(),
        "redis": redis,
        "workers": workers,
        "judging": "ok" if alive else "down: no live worker with a working engine",
    }
    healthy = all(checks[key] == "ok" for key in ("database", "redis", "judging"))
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
