from django.conf import settings
from django.utils import timezone

import sandbox
from judge.hosts.models import JudgeHost


def host_list() -> list[dict]:
    """Every judge host as the operators' dashboard lists it (site administrators only)."""
    now = timezone.now()
    rows = []
    for host in JudgeHost.objects.all():
        seen = (now - host.last_heartbeat).total_seconds() if host.last_heartbeat else None
        alive = seen is not None and seen <= settings.JUDGE_WORKER_DEAD_AFTER_SECONDS
        rows.append(
            {
                "host": host,
                "seen_seconds_ago": None if seen is None else int(seen),
                "state": "revoked" if host.revoked else ("ok" if alive else "silent"),
                "key_id": sandbox.host_key_id(host.public_key) if host.public_key else "",
                "languages": sorted(f"{key} {version}" for key, version in host.languages.items() if version),
            }
        )
    return rows
