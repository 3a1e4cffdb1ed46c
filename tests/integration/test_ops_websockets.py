"""`/ws/ops/` and `/ws/ops/tenants/<id>/`: a snapshot on connect, a fresh one on every periodic push;
only site admins (and, for one tenant, its admins) may connect, and access is checked again while open."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.models import Membership
from judge.asgi import application
from judge.ops.consumers import OpsConsumer
from judge.ops.services import ops_publish
from judge.submissions.models import Submission
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 5


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]


def _watch(path: str, headers, during) -> list[dict]:
    """Connect, run `during` (in a thread, with database access), and collect what the socket sends."""

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert connected
        messages = [await communicator.receive_json_from(timeout=TIMEOUT)]
        await database_sync_to_async(during)()
        while not await communicator.receive_nothing(timeout=0.3):
            messages.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return messages

    return async_to_sync(run)()


def _connect(path: str, headers) -> tuple[bool, int | None]:
    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


def _queued(snapshot: dict, name: str) -> int:
    return next(row["queued"]["used"] for row in snapshot["tenants"] if row["name"] == name)


def test_a_site_admin_gets_a_snapshot_then_a_fresh_one_after_judging(engine, judge_queued):
    problem = problem_with_tests(tests=[("1 2\n", True, "")])
    problem.tenant.name = "Alpha School"
    problem.tenant.save(update_fields=["name"])
    admin = UserFactory(is_superuser=True)
    student = MembershipFactory(tenant=problem.tenant).user
    Submission.objects.create(
        user=student, problem=problem, tenant=problem.tenant, language="python", source="ok"
    )

    def judge_then_push():
        judge_queued()
        ops_publish()

    first, *pushed = _watch("/ws/ops/", _headers(admin), judge_then_push)

    assert first["type"] == "snapshot" and first["site"] is True
    assert _queued(first, "Alpha School") == 1
    assert first["workers"] == []
    snapshots = [m for m in pushed if m["type"] == "snapshot"]
    assert len(snapshots) == 1
    latest = snapshots[0]
    assert _queued(latest, "Alpha School") == 0
    row = next(r for r in latest["tenants"] if r["name"] == "Alpha School")
    assert row["cpu"]["used"] > 0
    assert latest["charts"]["24h"]["verdicts"] == {"AC": 1}


def test_a_tenant_admin_gets_their_tenants_pushes_only():
    ours, theirs = TenantFactory(name="Alpha School"), TenantFactory(name="Beta Club")
    admin = MembershipFactory(tenant=ours, role=Membership.Role.ADMIN).user

    first, *pushed = _watch(f"/ws/ops/tenants/{ours.id}/", _headers(admin), ops_publish)

    assert [row["name"] for row in first["tenants"]] == ["Alpha School"]
    assert first["workers"] is None
    assert [[row["name"] for row in m["tenants"]] for m in pushed] == [["Alpha School"]]
    assert theirs.name not in str(pushed)


@pytest.mark.parametrize("who", ["anonymous", "student", "instructor", "tenant_admin_on_site", "other_admin"])
def test_everyone_else_is_refused(who):
    ours, theirs = TenantFactory(), TenantFactory()
    path = f"/ws/ops/tenants/{ours.id}/"
    user = None
    if who in ("student", "instructor"):
        role = Membership.Role.STUDENT if who == "student" else Membership.Role.INSTRUCTOR
        user = MembershipFactory(tenant=ours, role=role).user
    elif who == "tenant_admin_on_site":
        user = MembershipFactory(tenant=ours, role=Membership.Role.ADMIN).user
        path = "/ws/ops/"
    elif who == "other_admin":
        user = MembershipFactory(tenant=theirs, role=Membership.Role.ADMIN).user
    connected, code = _connect(path, _headers(user))
    assert not connected and code == 4403


def test_a_socket_closes_once_its_user_is_no_longer_an_admin(monkeypatch):
    monkeypatch.setattr(OpsConsumer, "recheck_seconds", 0)
    tenant = TenantFactory()
    membership = MembershipFactory(tenant=tenant, role=Membership.Role.ADMIN)
    headers = _headers(membership.user)

    async def run():
        communicator = WebsocketCommunicator(application, f"/ws/ops/tenants/{tenant.id}/", headers=headers)
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert connected
        await communicator.receive_json_from(timeout=TIMEOUT)  # the first snapshot
        membership.role = Membership.Role.STUDENT
        await database_sync_to_async(membership.save)(update_fields=["role"])
        await database_sync_to_async(ops_publish)()
        output = await communicator.receive_output(timeout=TIMEOUT)
        await communicator.disconnect()
        return output

    assert async_to_sync(run)() == {"type": "websocket.close", "code": 4403}
