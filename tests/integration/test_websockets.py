"""Live updates over websockets through the real ASGI app: origin check, session auth, routing, consumers."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.models import Membership
from judge.asgi import application
from judge.submissions.models import Submission, TestResult, Verdict
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 5


@pytest.fixture
def problem():
    return problem_with_tests(
        tests=[("3 4\n", True, ""), ("1 2\n", False, ""), ("5 6\n", False, "")], stop_on_first_failure=False
    )


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]


def _judge_all(judge_queued) -> list[Submission]:
    return judge_queued()


async def _open(path: str, headers) -> tuple[WebsocketCommunicator, bool, int | None]:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def _until_done(communicator: WebsocketCommunicator) -> list[dict]:
    messages = []
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        messages.append(message)
        if message["type"] == "update" and message["submission"]["status"] == Submission.Status.DONE:
            return messages


def _snapshot_of(user, submission_id: int) -> dict:
    headers = _headers(user)

    async def run():
        communicator, connected, code = await _open(f"/ws/submissions/{submission_id}/", headers)
        assert connected, code
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.disconnect()
        return message

    return async_to_sync(run)()


def _refusal(path: str, headers) -> tuple[bool, int | None]:
    async def run():
        communicator, connected, code = await _open(path, headers)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


def test_author_first_gets_a_snapshot(problem):
    submission = SubmissionFactory(problem=problem, tests_total=3)

    message = _snapshot_of(submission.user, submission.id)

    assert message["type"] == "snapshot"
    assert message["submission"]["id"] == submission.id
    assert message["submission"]["status"] == "queued"
    assert message["submission"]["queue_position"] == 1
    assert message["submission"]["tests_total"] == 3
    assert message["results"] == []


def test_snapshot_of_a_judged_submission_has_results_with_hidden_details_blanked(problem):
    submission = SubmissionFactory(
        problem=problem, status=Submission.Status.DONE, verdict=Verdict.WA, compile_output="note: ok"
    )
    for order, is_sample in ((1, True), (2, False)):
        TestResult.objects.create(
            submission=submission,
            order=order,
            is_sample=is_sample,
            verdict=Verdict.WA,
            checker_message=f"secret message {order}",
            output_excerpt=f"secret output {order}",
        )

    message = _snapshot_of(submission.user, submission.id)

    assert message["submission"]["verdict"] == "WA"
    assert message["submission"]["compile_output"] == "note: ok"
    sample, hidden = message["results"]
    assert (sample["order"], sample["checker_message"], sample["output_excerpt"]) == (
        1,
        "secret message 1",
        "secret output 1",
    )
    assert (hidden["order"], hidden["verdict"], hidden["checker_message"], hidden["output_excerpt"]) == (
        2,
        "WA",
        "",
        "",
    )


def test_another_student_is_refused(problem):
    submission = SubmissionFactory(problem=problem)
    classmate = MembershipFactory(tenant=problem.tenant).user

    assert _refusal(f"/ws/submissions/{submission.id}/", _headers(classmate)) == (False, 4403)


def test_anonymous_is_refused(problem):
    submission = SubmissionFactory(problem=problem)

    assert _refusal(f"/ws/submissions/{submission.id}/", _headers()) == (False, 4403)
    assert _refusal("/ws/my-submissions/", _headers()) == (False, 4403)


def test_unknown_submission_is_refused():
    assert _refusal("/ws/submissions/999999/", _headers(UserFactory())) == (False, 4403)


def test_foreign_origin_is_refused(problem):
    submission = SubmissionFactory(problem=problem)
    headers = [
        h if h[0] != b"origin" else (b"origin", b"http://evil.example") for h in _headers(submission.user)
    ]

    connected, _ = _refusal(f"/ws/submissions/{submission.id}/", headers)

    assert not connected


def test_instructor_of_the_tenant_may_watch(problem):
    submission = SubmissionFactory(problem=problem)
    instructor = MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user
    outsider = MembershipFactory(role=Membership.Role.INSTRUCTOR).user

    assert _snapshot_of(instructor, submission.id)["submission"]["id"] == submission.id
    assert _refusal(f"/ws/submissions/{submission.id}/", _headers(outsider)) == (False, 4403)


def test_judging_streams_updates_and_tests_in_order(engine, problem, judge_queued):
    submission = SubmissionFactory(problem=problem, source="ok", tests_total=3)
    headers = _headers(submission.user)

    async def run():
        communicator, connected, _ = await _open(f"/ws/submissions/{submission.id}/", headers)
        assert connected
        assert (await communicator.receive_json_from(timeout=TIMEOUT))["type"] == "snapshot"
        await database_sync_to_async(_judge_all)(judge_queued)
        messages = await _until_done(communicator)
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
        return messages

    messages = async_to_sync(run)()

    kinds = [m["type"] for m in messages if m["type"] != "queue"]
    statuses = [m["submission"]["status"] for m in messages if m["type"] == "update"]
    assert kinds[0] == "update"
    assert statuses[0] == "compiling"
    assert statuses.index("running") < statuses.index("done")
    first_running = next(
        i for i, m in enumerate(messages) if m.get("submission", {}).get("status") == "running"
    )
    assert first_running < [m["type"] for m in messages].index("test")
    assert kinds.count("test") == 3
    tests = [m["result"] for m in messages if m["type"] == "test"]
    assert [t["order"] for t in tests] == [1, 2, 3]
    assert all(t["verdict"] == "AC" for t in tests)
    done = [m["submission"]["tests_done"] for m in messages if m["type"] == "update"]
    assert done == sorted(done)
    final = messages[-1]["submission"]
    assert (final["status"], final["verdict"], final["tests_done"], final["score"]) == ("done", "AC", 3, 1.0)


def test_hidden_test_events_carry_no_messages_or_output(engine, problem, judge_queued):
    submission = SubmissionFactory(problem=problem, source="wrong")
    headers = _headers(submission.user)

    async def run():
        communicator, connected, _ = await _open(f"/ws/submissions/{submission.id}/", headers)
        assert connected
        await communicator.receive_json_from(timeout=TIMEOUT)
        await database_sync_to_async(_judge_all)(judge_queued)
        messages = await _until_done(communicator)
        await communicator.disconnect()
        return messages

    tests = [m["result"] for m in async_to_sync(run)() if m["type"] == "test"]

    assert [(t["is_sample"], t["verdict"]) for t in tests] == [(True, "WA"), (False, "WA"), (False, "WA")]
    assert tests[0]["checker_message"]
    assert tests[0]["output_excerpt"] == "0\n"
    for hidden in tests[1:]:
        assert hidden["checker_message"] == ""
        assert hidden["output_excerpt"] == ""
    assert TestResult.objects.filter(is_sample=False).exclude(checker_message="").count() == 2


def test_my_submissions_socket_gets_only_my_updates(engine, problem, judge_queued):
    mine = SubmissionFactory(problem=problem, source="ok")
    theirs = SubmissionFactory(problem=problem, source="ok")
    headers = _headers(mine.user)

    async def run():
        communicator, connected, _ = await _open("/ws/my-submissions/", headers)
        assert connected
        await database_sync_to_async(_judge_all)(judge_queued)
        messages = []
        while not await communicator.receive_nothing(timeout=0.3):
            messages.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return messages

    messages = async_to_sync(run)()

    updates = [m for m in messages if m["type"] == "update"]
    assert updates
    assert {m["submission"]["id"] for m in updates} == {mine.id}
    assert {m["submission_id"] for m in messages if m["type"] == "queue"} <= {mine.id}
    assert updates[-1]["submission"]["status"] == "done"
    theirs.refresh_from_db()
    assert theirs.status == Submission.Status.DONE  # judged too, yet nothing about it was sent here


def test_sending_to_the_socket_gets_an_error_reply(problem):
    submission = SubmissionFactory(problem=problem)
    headers = _headers(submission.user)

    async def run(path):
        communicator, connected, _ = await _open(path, headers)
        assert connected
        if "my-submissions" not in path:
            await communicator.receive_json_from(timeout=TIMEOUT)
        replies = []
        for payload in ({"type": "subscribe", "id": 1}, [1, 2]):
            await communicator.send_json_to(payload)
            replies.append(await communicator.receive_json_from(timeout=TIMEOUT))
        await communicator.disconnect()
        return replies

    for path in (f"/ws/submissions/{submission.id}/", "/ws/my-submissions/"):
        replies = async_to_sync(run)(path)
        assert [r["type"] for r in replies] == ["error", "error"]


@pytest.mark.parametrize(
    "frame", [{"text_data": "hello?"}, {"bytes_data": b"\x00\x01"}], ids=["text", "bytes"]
)
def test_sending_something_that_is_not_json_gets_an_error_reply(problem, frame):
    submission = SubmissionFactory(problem=problem)
    headers = _headers(submission.user)

    async def run():
        communicator, connected, _ = await _open(f"/ws/submissions/{submission.id}/", headers)
        assert connected
        await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.send_to(**frame)
        reply = await communicator.receive_output(timeout=1)
        await communicator.disconnect()
        return reply

    reply = async_to_sync(run)()

    assert reply["type"] == "websocket.send"
    assert '"error"' in reply["text"]
