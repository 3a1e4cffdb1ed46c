"""The dashboard's sockets: `/ws/ops/` (the whole site, site admins) and `/ws/ops/tenants/<id>/` (one
tenant, for its admins and site admins). Each sends a snapshot first, then the periodic push relays."""

from django.http import Http404

from judge.ops import events
from judge.ops.selectors import ops_scope_get, ops_snapshot
from judge.sockets.consumers import SendOnlyConsumer


class OpsConsumer(SendOnlyConsumer):
    def _tenant_id(self) -> int | None:
        tenant_id = self.scope["url_route"]["kwargs"].get("tenant_id")
        return None if tenant_id is None else int(tenant_id)

    def authorize(self) -> bool:
        try:
            self.ops_scope = ops_scope_get(user=self.scope["user"], tenant_id=self._tenant_id())
        except Http404:
            return False
        # /ws/ops/ is the site's view; a tenant admin asking for it gets their own tenant's page instead.
        return self.ops_scope.site == (self._tenant_id() is None)

    def opened(self) -> None:
        tenant = self.ops_scope.tenant
        self.join(events.ops_site_group() if tenant is None else events.ops_tenant_group(tenant.id))
        self.accept()
        self.send_json(ops_snapshot(scope=self.ops_scope))

    def ops_snapshot(self, event):
        self.send_json(event["snapshot"])
