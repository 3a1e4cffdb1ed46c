"""Contest lockdown: a running contest's participants reach only its pages, their own submissions and its
clarifications, on pages, the API and sockets; staff, outsiders and everyone after the end are free."""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Membership
from judge.asgi import application
from judge.contests.lockdown import contest_lockdown_for_user
from judge.contests.models import ContestParticipant
from judge.sockets import consumers
from judge.submissions import events
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db
ORIGIN = (b"origin", b"http://127.0.0.1")


@pytest.fixture
def world():
    return world_make()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_participant_of_a_running_contest_reaches_only_the_contest(world):
    contest = contest_make(world)
    practice = ProblemFactory(tenant=world.tenant, code="practice-one")
    client = _client(world.ann)

    assert client.get("/").url == "/contests/spring-cup/"  # logging in lands on the contest
    for path in (
        "/problems/",
        f"/problems/{practice.code}/",
        "/contests/",
        "/staff/submissions/",
        "/accounts/profile/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert b"Contest Spring Cup is running" in response.content
        assert b'href="/contests/spring-cup/"' in response.content
    for path in (
        "/contests/spring-cup/",
        "/contests/spring-cup/problems/A/",
        "/contests/spring-cup/clarifications/",
    ):
        assert client.get(path).status_code == 200, path
    assert contest_lockdown_for_user(user=world.ann).contest == contest


def test_own_submissions_stay_open_and_others_do_not(world):
    contest = contest_make(world)
    mine = SubmissionFactory(user=world.ann, problem=world.problems[0], contest=contest)
    theirs = SubmissionFactory(user=world.bob, problem=world.problems[0], contest=contest)
    client = _client(world.ann)

    assert client.get(f"/submissions/{mine.id}/").status_code == 200
    assert client.get("/submissions/").status_code == 200  # "My submissions": their own only
    assert client.get(f"/submissions/{theirs.id}/").status_code == 403


def test_staff_outsiders_and_everyone_after_the_end_are_not_locked(world):
    contest_make(world)
    outsider = MembershipFactory(user__username="zed").user  # a student of another school
    for user in (world.staff, outsider):
        assert _client(user).get("/problems/").status_code == 200
        assert contest_lockdown_for_user(user=user) is None
    assert contest_lockdown_for_user(user=world.ann, now=timezone.now() + dt.timedelta(hours=2)) is None


def test_after_the_end_everything_opens_again(world):
    contest_make(world, started_minutes_ago=130, minutes=120)
    assert _client(world.ann).get("/problems/").status_code == 200


def test_invite_only_locks_only_the_invited(world):
    contest = contest_make(world, access="invited")
    ContestParticipant.objects.create(contest=contest, user=world.bob)
    assert _client(world.ann).get("/problems/").status_code == 200
    assert _client(world.bob).get("/problems/").status_code == 403


def test_personal_windows_lock_only_while_the_window_runs(world):
    contest = contest_make(world, timing="window", window_minutes=30)
    assert contest_lockdown_for_user(user=world.ann) is None  # not started: free to browse
    row = ContestParticipant.objects.create(contest=contest, user=world.ann, started_at=timezone.now())
    assert contest_lockdown_for_user(user=world.ann).ends_at == row.started_at + dt.timedelta(minutes=30)
    row.started_at = timezone.now() - dt.timedelta(minutes=31)
    row.save(update_fields=["started_at"])
    assert contest_lockdown_for_user(user=world.ann) is None


def test_the_decision_is_one_query(world):
    contest_make(world)
    contest_make(world, slug="other-cup", title="Other Cup")
    with CaptureQueriesContext(connection) as queries:
        lockdown = contest_lockdown_for_user(user=world.ann)
    assert len(queries) == 1
    assert lockdown.slugs == {"spring-cup", "other-cup"}


def test_an_instructor_elsewhere_is_locked_out_of_their_own_staff_pages(world):
    contest_make(world)
    club = MembershipFactory(user=world.ann, role=Membership.Role.INSTRUCTOR).tenant
    assert club.id != world.tenant.id
    assert _client(world.ann).get("/staff/").status_code == 403


def test_the_api_answers_in_json_for_session_and_token_users(world):
    contest_make(world)
    token = Token.objects.create(user=world.ann).key
    response = Client().get("/api/problems/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    assert response.json()["contest"] == "spring-cup"
    assert "Contest Spring Cup is running" in response.json()["detail"]
    assert _client(world.ann).get("/api/problems/").status_code == 403
    assert _client(world.ann).get("/api/languages/").status_code == 200
    assert _client(UserFactory()).get("/api/problems/").status_code == 200


def _socket_connects(user, path: str) -> bool:
    client = _client(user)
    headers = [
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
        (b"origin", b"http://127.0.0.1"),
    ]

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        await communicator.disconnect()
        return connected

    return async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_sockets_of_other_pages_refuse_a_locked_participant():
    world = world_make()
    contest_make(world)
    contest_make(world, slug="later-cup", title="Later Cup", started_minutes_ago=-60)
    assert _socket_connects(world.ann, "/ws/contests/spring-cup/")
    assert not _socket_connects(world.ann, "/ws/contests/later-cup/")
    assert _socket_connects(world.staff, "/ws/contests/later-cup/")


@pytest.mark.django_db(transaction=True)
def test_an_open_socket_closes_when_the_contest_starts(monkeypatch):
    monkeypatch.setattr(consumers.SendOnlyConsumer, "recheck_seconds", 0.0)
    world = world_make()
    contest = contest_make(world, started_minutes_ago=-30)  # not yet
    club = MembershipFactory(user=world.ann, role=Membership.Role.INSTRUCTOR).tenant
    client = _client(world.ann)
    headers = [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]

    def start():
        contest.start_at = timezone.now() - dt.timedelta(minutes=1)
        contest.save(update_fields=["start_at"])

    async def run():
        communicator = WebsocketCommunicator(application, f"/ws/staff/tenants/{club.id}/", headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        await sync_to_async(start)()
        event = {"type": "submission.update", "submission": {"id": 0, "status": "done"}}
        await get_channel_layer().group_send(events.tenant_staff_group(club.id), event)
        output = await communicator.receive_output(timeout=5)
        await communicator.disconnect()
        return output

    assert async_to_sync(run)() == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}
