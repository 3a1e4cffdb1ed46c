"""Feedback on sample tests: input, expected and actual output side by side with the first difference marked,
and the end of stderr for a crash. Hidden tests never show their data (page, API, websocket)."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from judge.asgi import application
from judge.judging.services import EXCERPT_LIMIT
from judge.submissions.feedback import first_difference
from judge.submissions.models import Submission, TestResult, Verdict
from sandbox import Outcome, RunResult
from tests.factories import SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN_SECRET = "hidden-secret-stderr"


@pytest.fixture
def problem():
    return problem_with_tests(tests=[("3 4\n", True, ""), ("1 2\n", False, "")], stop_on_first_failure=False)


def _judged(problem, source: str, judge_queued) -> Submission:
    submission = SubmissionFactory(problem=problem, source=source, tests_total=problem.tests.count())
    judge_queued()
    submission.refresh_from_db()
    return submission


def _page(submission: Submission) -> str:
    client = Client()
    client.force_login(submission.user)
    return client.get(reverse("judge:submission_detail", args=[submission.id])).content.decode()


def _snapshot(submission: Submission) -> dict:
    client = Client()
    client.force_login(submission.user)
    headers = [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]
    headers.append((b"origin", b"http://127.0.0.1"))

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/submissions/{submission.id}/", headers=headers
        )
        connected, code = await communicator.connect(timeout=5)
        assert connected, code
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    return async_to_sync(run)()


@pytest.mark.parametrize(
    ("expected", "output", "line"),
    [
        ("7\n", "7\n", None),
        ("7\n", "7   \n\n", None),  # trailing spaces and blank lines don't count
        ("1\n2\n3\n", "1\n5\n3\n", 2),
        ("1\n2\n", "1\n", 2),  # output too short
        ("1\n", "1\n2\n", 2),  # output too long
        ("1\n", "", 1),
    ],
)
def test_first_difference(expected, output, line):
    assert first_difference(expected, output) == line


def test_a_wrong_sample_shows_input_expected_and_output_with_the_first_difference(
    engine, problem, judge_queued
):
    submission = _judged(problem, "wrong", judge_queued)

    body = _page(submission)

    assert "first difference: line 1" in body
    assert '<pre class="sample-data">3 4\n</pre>' in body  # the input
    assert '<span class="diff-line diff-first">7</span>' in body  # expected
    assert '<span class="diff-line diff-first">0</span>' in body  # the program's output


def test_an_accepted_sample_marks_no_difference(engine, problem, judge_queued):
    body = _page(_judged(problem, "ok", judge_queued))

    assert "Expected output" in body
    assert "diff-first" not in body


def test_a_crash_on_a_sample_shows_the_end_of_stderr_and_hidden_tests_keep_none(
    engine, problem, judge_queued
):
    submission = _judged(problem, "crash", judge_queued)

    sample, hidden = submission.results.order_by("order")
    assert (sample.verdict, sample.stderr_excerpt) == (Verdict.RE, "Traceback")
    assert (hidden.verdict, hidden.stderr_excerpt, hidden.output_excerpt) == (Verdict.RE, "", "")
    assert '<pre class="console">Traceback</pre>' in _page(submission)


def test_stderr_keeps_only_its_last_2_kib(engine, problem, judge_queued, monkeypatch):
    long_stderr = b"x" * 5000 + b"ZeroDivisionError: division by zero\n"
    monkeypatch.setattr(
        engine, "_execute", lambda request: RunResult(Outcome.RE, exit_code=1, stderr=long_stderr)
    )

    sample = _judged(problem, "ok", judge_queued).results.get(order=1)

    assert len(sample.stderr_excerpt) == EXCERPT_LIMIT == 2048
    assert sample.stderr_excerpt.endswith("ZeroDivisionError: division by zero\n")


@pytest.fixture
def with_hidden_data(problem):
    submission = SubmissionFactory(problem=problem, status=Submission.Status.DONE, verdict=Verdict.RE)
    sample_case, hidden_case = problem.tests.order_by("-is_sample", "order")
    for order, case in ((1, sample_case), (2, hidden_case)):
        TestResult.objects.create(
            submission=submission,
            test_case=case,
            order=order,
            is_sample=case.is_sample,
            verdict=Verdict.WA if case.is_sample else Verdict.RE,
            output_excerpt=f"output-of-test-{order}",
            stderr_excerpt=f"{HIDDEN_SECRET}-{order}" if order == 2 else "sample traceback",
        )
    return submission


def test_hidden_test_data_never_reaches_the_page(with_hidden_data):
    body = _page(with_hidden_data)

    assert "sample traceback" in body and "output-of-test-1" in body
    assert HIDDEN_SECRET not in body
    assert "output-of-test-2" not in body
    assert "1 2\n" not in body and ">3<" not in body  # the hidden test's input and answer


def test_hidden_test_data_never_reaches_the_api(with_hidden_data):
    client = Client()
    client.force_login(with_hidden_data.user)

    text = client.get(reverse("api:submission_detail", args=[with_hidden_data.id])).content.decode()

    assert HIDDEN_SECRET not in text and "output-of-test-2" not in text


def test_hidden_test_data_never_reaches_the_websocket(with_hidden_data):
    sample, hidden = _snapshot(with_hidden_data)["results"]

    assert sample["stderr_excerpt"] == "sample traceback"
    assert sample["sample"] == {
        "input": "3 4\n",
        "expected": ["7"],
        "output": ["output-of-test-1"],
        "diff_line": 1,
    }
    assert (hidden["stderr_excerpt"], hidden["output_excerpt"], hidden["sample"]) == ("", "", None)
    assert HIDDEN_SECRET not in str(hidden)
