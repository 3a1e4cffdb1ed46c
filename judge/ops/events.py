"""The dashboard's live snapshots: the site's to `ops-site`, each tenant's to `ops-tenant-<id>`."""

from judge.sockets.events import group_send_safe


def ops_site_group() -> str:
    return "ops-site"


def ops_tenant_group(tenant_id: int) -> str:
    return f"ops-tenant-{tenant_id}"


def publish_snapshot(group: str, snapshot: dict) -> None:
    group_send_safe(group, {"type": "ops.snapshot", "snapshot": snapshot})
