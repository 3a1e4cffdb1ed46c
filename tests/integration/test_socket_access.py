"""Sockets do not outlive access: logging out closes them, and losing access closes them at the next event."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from accounts.models import Membership
from judge.asgi import application
from judge.sockets import consumers
from judge.submissions import events
from tests.factories import MembershipFactory, SubmissionFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 5


@pytest.fixture(autouse=True)
def _recheck_every_event(monkeypatch):
    monkeypatch.setattr(consumers.SendOnlyConsumer, "recheck_seconds", 0.0)


def _login(user) -> tuple[Client, list]:
    client = Client()
    client.force_login(user)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    return client, [cookie, ORIGIN]


def _event(group: str) -> dict:
    return {"type": "submission.update", "submission": {"id": 0, "status": "done"}}


def _watch_then(path: str, headers, change, group: str) -> dict:
    """Open `path`, apply `change` (sync), send one event to `group`; what the socket does then."""

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        assert connected, code
        while not await communicator.receive_nothing(timeout=0.2):
            await communicator.receive_output(timeout=TIMEOUT)  # the snapshot, if any
        await change()
        await get_channel_layer().group_send(group, _event(group))
        output = await communicator.receive_output(timeout=TIMEOUT)
        await communicator.disconnect()
        return output

    return async_to_sync(run)()


def _sync(fn):
    return database_sync_to_async(fn)


def test_a_socket_keeps_relaying_while_access_holds():
    user = UserFactory()
    _, headers = _login(user)

    async def nothing():
        return None

    output = _watch_then("/ws/my-submissions/", headers, nothing, events.user_group(user.id))

    assert output["type"] == "websocket.send"


def test_logging_out_closes_the_socket():
    user = UserFactory()
    client, headers = _login(user)

    output = _watch_then(
        "/ws/my-submissions/",
        headers,
        _sync(lambda: client.post("/accounts/logout/")),
        events.user_group(user.id),
    )

    assert output == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}


def test_an_expired_session_closes_the_socket_at_the_next_event():
    user = UserFactory()
    client, headers = _login(user)
    key = client.cookies["sessionid"].value

    output = _watch_then(
        "/ws/my-submissions/", headers, _sync(lambda: SessionStore(key).delete()), events.user_group(user.id)
    )

    assert output == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}


def test_staff_who_lose_their_role_stop_hearing_the_tenant():
    tenant = TenantFactory()
    staff = MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user
    _, headers = _login(staff)

    def demote():
        Membership.objects.filter(user=staff, tenant=tenant).update(role=Membership.Role.STUDENT)

    output = _watch_then(
        f"/ws/staff/tenants/{tenant.id}/", headers, _sync(demote), events.tenant_staff_group(tenant.id)
    )

    assert output == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}


def test_a_submission_socket_closes_when_its_viewer_loses_staff_access():
    tenant = TenantFactory()
    staff = MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user
    submission = SubmissionFactory(problem__tenant=tenant)
    _, headers = _login(staff)

    def remove():
        Membership.objects.filter(user=staff, tenant=tenant).delete()

    output = _watch_then(
        f"/ws/submissions/{submission.id}/", headers, _sync(remove), events.submission_group(submission.id)
    )

    assert output == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}
