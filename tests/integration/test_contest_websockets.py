"""Contest sockets through the real ASGI app: who may connect, which board each viewer gets, questions."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from judge.asgi import application
from judge.contests import boards
from judge.contests.clarifications import clarification_answer, clarification_ask
from judge.contests.models import Clarification
from judge.contests.selectors import contest_scoreboard
from judge.contests.services import contest_submission_create
from judge.submissions.models import Submission
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 5


@pytest.fixture
def world():
    return world_make()


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]


def _merged(board: dict, message: dict) -> dict:
    """A viewer's board after one message, as scoreboard.js applies it: a whole board, or changed rows."""
    if message["type"] == "board":
        return message["board"]
    assert message["type"] == "rows"
    rows = {row["user_id"]: row for row in board["rows"]}
    rows.update({row["user_id"]: row for row in message["rows"]})
    for user_id in message["removed"]:
        rows.pop(user_id)
    html = board["html"] + "".join(row["html"] for row in message["rows"])
    return {**board, "frozen": message["frozen"], "rows": list(rows.values()), "html": html}


def _board(path_user_pairs: dict, action) -> dict:
    """Connect every viewer, check the snapshot, run `action` (sync), then return each viewer's board with
    every message after the snapshot applied."""

    headers = {name: _headers(user) for name, (_, user) in path_user_pairs.items()}

    async def run():
        sockets = {}
        for name, (path, _) in path_user_pairs.items():
            communicator = WebsocketCommunicator(application, path, headers=headers[name])
            connected, code = await communicator.connect(timeout=TIMEOUT)
            assert connected, (name, code)
            sockets[name] = communicator
        snapshots = {name: await s.receive_json_from(timeout=TIMEOUT) for name, s in sockets.items()}
        await database_sync_to_async(action)()
        last = {}
        for name, communicator in sockets.items():
            last[name] = snapshots[name]["board"]
            while not await communicator.receive_nothing(timeout=0.3):
                last[name] = _merged(last[name], await communicator.receive_json_from())
            await communicator.disconnect()
        return snapshots, last

    return async_to_sync(run)()


def _refused(path: str, user=None) -> tuple[bool, int | None]:
    headers = _headers(user)

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


def _cell(board: dict, user, label="A") -> dict:
    row = next(r for r in board["rows"] if r["user_id"] == user.id)
    return row["cells"][label]


def test_outsiders_and_anonymous_are_refused(world):
    contest = contest_make(world)
    path = f"/ws/contests/{contest.slug}/scoreboard/"

    assert _refused(path) == (False, 4403)
    assert _refused(path, UserFactory()) == (False, 4403)
    assert _refused(f"/ws/contests/{contest.slug}/", UserFactory()) == (False, 4403)
    assert _refused("/ws/contests/no-such-contest/scoreboard/", world.ann) == (False, 4403)


def test_participants_get_the_frozen_board_and_staff_the_live_one(world, engine, judge_queued):
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)
    path = f"/ws/contests/{contest.slug}/scoreboard/"

    def submit_and_judge():
        contest_submission_create(
            user=world.ann, contest=contest, problem_code="contest-a", language="python", source="ok"
        )
        judge_queued()

    snapshots, last = _board({"bob": (path, world.bob), "staff": (path, world.staff)}, submit_and_judge)

    assert snapshots["bob"]["type"] == "board" and snapshots["bob"]["board"]["rows"] == []
    participant, staff = last["bob"], last["staff"]
    assert participant["frozen"] is True and staff["frozen"] is False
    assert _cell(participant, world.ann)["state"] == "pending"
    assert _cell(staff, world.ann)["state"] == "solved"
    assert "cell-solved" not in participant["html"]  # nothing the freeze hides rides along
    assert "board-cell cell-solved cell-first" in staff["html"]


def test_without_a_freeze_participants_see_verdicts_live(world, engine, judge_queued):
    contest = contest_make(world)
    path = f"/ws/contests/{contest.slug}/scoreboard/"

    def submit_and_judge():
        contest_submission_create(
            user=world.bob, contest=contest, problem_code="contest-a", language="python", source="wrong"
        )
        judge_queued()

    _, last = _board({"ann": (path, world.ann)}, submit_and_judge)

    assert _cell(last["ann"], world.bob) == {
        "state": "failed",
        "tries": 1,
        "pending": 0,
        "minute": None,
        "score": None,
        "first": False,
    }


def test_clarifications_reach_staff_then_the_asker_or_everyone(world):
    contest = contest_make(world)
    path = f"/ws/contests/{contest.slug}/"

    def ask():
        clarification_ask(user=world.ann, contest=contest, label="A", question="Can n be 0?")

    def answer_privately():
        clarification_answer(
            user=world.staff, clarification=Clarification.objects.get(), answer="No.", public=False
        )

    def answer_everyone():
        clarification_answer(
            user=world.staff, clarification=Clarification.objects.get(), answer="No!", public=True
        )

    viewers = {"staff": (path, world.staff), "ann": (path, world.ann), "bob": (path, world.bob)}
    asked = _messages(viewers, ask)
    private = _messages(viewers, answer_privately)
    public = _messages(viewers, answer_everyone)

    assert [m["event"] for m in asked["staff"]] == ["asked"]
    assert asked["staff"][0]["clarification"]["author"] == "ann"
    assert asked["ann"] == asked["bob"] == []
    assert [m["clarification"]["answer"] for m in private["ann"]] == ["No."]
    assert private["bob"] == []
    assert [m["clarification"]["answer"] for m in public["bob"]] == ["No!"]
    assert "author" not in public["bob"][0]["clarification"]
    assert public["bob"][0]["clarification"]["question"] == "Can n be 0?"


def _messages(viewers: dict, action) -> dict[str, list[dict]]:
    headers = {name: _headers(user) for name, (_, user) in viewers.items()}

    async def run():
        sockets = {}
        for name, (path, _) in viewers.items():
            communicator = WebsocketCommunicator(application, path, headers=headers[name])
            connected, code = await communicator.connect(timeout=TIMEOUT)
            assert connected, (name, code)
            sockets[name] = communicator
        await database_sync_to_async(action)()
        received = {}
        for name, communicator in sockets.items():
            received[name] = []
            while not await communicator.receive_nothing(timeout=0.3):
                received[name].append(await communicator.receive_json_from())
            await communicator.disconnect()
        return received

    return async_to_sync(run)()


def test_sending_to_a_contest_socket_gets_an_error_reply(world):
    contest = contest_make(world)
    headers = _headers(world.ann)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/contests/{contest.slug}/scoreboard/", headers=headers
        )
        assert (await communicator.connect(timeout=TIMEOUT))[0]
        await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.send_json_to({"type": "unfreeze"})
        reply = await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.disconnect()
        return reply

    assert async_to_sync(run)()["type"] == "error"


def test_a_verdict_sends_only_its_row_small_whatever_the_size_of_the_board(world, engine, judge_queued):
    contest = contest_make(world)
    for n in range(40):  # a board of 40 teams before ann's verdict
        user = MembershipFactory(tenant=world.tenant, user__username=f"team{n:02d}").user
        SubmissionFactory(
            user=user,
            problem=world.problems[n % 2],
            contest=contest,
            tenant=world.tenant,
            status=Submission.Status.DONE,
            verdict="AC" if n % 3 else "WA",
        )
    path = f"/ws/contests/{contest.slug}/scoreboard/"
    sent: list[dict] = []

    def submit_and_judge():
        contest_submission_create(
            user=world.ann, contest=contest, problem_code="contest-b", language="python", source="ok"
        )
        judge_queued()

    headers = _headers(world.bob)

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        assert (await communicator.connect(timeout=TIMEOUT))[0]
        snapshot = await communicator.receive_json_from(timeout=TIMEOUT)
        await database_sync_to_async(submit_and_judge)()
        while not await communicator.receive_nothing(timeout=0.3):
            sent.append(await communicator.receive_output())
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(run)()

    messages = [json.loads(m["text"]) for m in sent]
    assert len(snapshot["board"]["rows"]) == 40
    assert [m["type"] for m in messages] == ["rows", "rows"]  # made (pending), then judged
    assert all(len(m["text"]) < 2500 for m in sent), [len(m["text"]) for m in sent]
    assert [[r["user_id"] for r in m["rows"]] for m in messages] == [[world.ann.id], [world.ann.id]]
    boards.board_forget(contest_id=contest.id)
    fresh = boards.board_payload(boards.board_get(contest=contest, live=False))  # computed from scratch
    assert messages[-1]["rows"][0] == next(r for r in fresh["rows"] if r["user_id"] == world.ann.id)
    assert _cell(messages[-1], world.ann, "B")["state"] == "solved"
    board = contest_scoreboard(contest=contest, live=False)
    assert messages[-1]["totals"] == [[t.label, t.solved, t.attempted] for t in board.totals]
