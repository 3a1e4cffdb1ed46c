"""The staff pages' socket: every submission of one tenant."""

from accounts.selectors import user_is_staff_of
from judge.sockets.consumers import SendOnlyConsumer
from judge.submissions import events


class StaffTenantConsumer(SendOnlyConsumer):
    """`/ws/staff/tenants/<id>/`: updates to every submission of one tenant, for its staff (staff pages)."""

    def authorize(self) -> bool:
        tenant_id = int(self.scope["url_route"]["kwargs"]["tenant_id"])
        return user_is_staff_of(user=self.scope["user"], tenant_id=tenant_id)

    def opened(self) -> None:
        self.join(events.tenant_staff_group(int(self.scope["url_route"]["kwargs"]["tenant_id"])))
        self.accept()
