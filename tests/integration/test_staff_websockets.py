"""`/ws/staff/tenants/<id>/`: staff of a tenant watch every submission of it; nobody else may connect."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.models import Membership
from judge.asgi import application
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 5


@pytest.fixture
def problem():
    return problem_with_tests(tests=[("3 4\n", True, ""), ("1 2\n", False, "")])


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]


def _path(tenant_id: int) -> str:
    return f"/ws/staff/tenants/{tenant_id}/"


def _connect(path: str, headers) -> tuple[bool, int | None]:
    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


def _messages_while_judging(path: str, headers, judge_queued) -> list[dict]:
    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert connected
        await database_sync_to_async(judge_queued)()
        messages = []
        while not await communicator.receive_nothing(timeout=0.3):
            messages.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return messages

    return async_to_sync(run)()


def test_staff_get_updates_of_every_submission_of_their_tenant_only(problem, engine, judge_queued):
    instructor = MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user
    students = [MembershipFactory(tenant=problem.tenant).user for _ in range(2)]
    ours = [SubmissionFactory(problem=problem, user=student, source="ok") for student in students]
    theirs = SubmissionFactory(problem=problem_with_tests(tests=[("1 1\n", True, "")]), source="ok")

    messages = _messages_while_judging(_path(problem.tenant_id), _headers(instructor), judge_queued)

    assert {m["type"] for m in messages} == {"update"}
    assert {m["submission"]["id"] for m in messages} == {s.id for s in ours}
    finals = [m["submission"] for m in messages if m["submission"]["status"] == "done"]
    assert sorted((s["id"], s["verdict"]) for s in finals) == [(s.id, "AC") for s in ours]
    assert theirs.id not in {m["submission"]["id"] for m in messages}


@pytest.mark.parametrize("who", ["student", "other_instructor", "anonymous"])
def test_everyone_but_staff_of_the_tenant_is_refused(problem, who):
    if who == "student":
        headers = _headers(MembershipFactory(tenant=problem.tenant).user)
    elif who == "other_instructor":
        headers = _headers(MembershipFactory(role=Membership.Role.INSTRUCTOR).user)
    else:
        headers = _headers()

    assert _connect(_path(problem.tenant_id), headers) == (False, 4403)


def test_site_admin_may_watch_any_tenant(problem):
    admin = UserFactory(is_superuser=True)

    assert _connect(_path(problem.tenant_id), _headers(admin)) == (True, None)
