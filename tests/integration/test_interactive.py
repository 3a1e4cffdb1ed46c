"""Interactive problems end to end: program and interactor in two boxes, piped through the host.
After each test the host is checked as after the hostile corpus (tests/integration/host_checks.py)."""

from pathlib import Path

import pytest

from judge.judging.services import judging_engine
from judge.submissions.models import Submission, Verdict
from judge.submissions.services import submission_create
from problems.models import Problem
from problems.services.testdata import test_case_add as make_test
from tests.factories import MembershipFactory, ProblemFactory
from tests.integration.host_checks import host_checked

pytestmark = [pytest.mark.docker, pytest.mark.django_db]
PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "interactive"


@pytest.fixture(autouse=True)
def host_checks(tmp_path, monkeypatch):
    # A program or interactor left running (a hung pipe, an orphan) must fail the test that left it.
    with host_checked(judging_engine(), tmp_path, monkeypatch):
        yield


def _problem(interactor: str = "interactor.py") -> Problem:
    problem = ProblemFactory(
        interactive=True,
        checker=Problem.Checker.CUSTOM,
        checker_language="python",
        checker_source=(PROGRAMS / interactor).read_text(),
        time_limit=1.0,
    )
    for secret in (b"1\n", b"777777\n", b"1000000\n"):
        make_test(problem=problem, input_data=secret, answer_data=b"", is_sample=False, group=None)
    return problem


def _judge(problem: Problem, program: str, language: str, judge_queued) -> Submission:
    user = MembershipFactory(tenant=problem.tenant).user
    submission = submission_create(
        user=user, problem=problem, language=language, source=(PROGRAMS / program).read_text()
    )
    judge_queued()
    submission.refresh_from_db()
    return submission


def test_binary_search_is_accepted_with_the_interactors_message(judge_queued):
    submission = _judge(_problem(), "good.cpp", "cpp", judge_queued)
    assert submission.verdict == Verdict.AC, submission.internal_message
    messages = list(submission.results.values_list("checker_message", flat=True))
    assert all(m.startswith("found in ") for m in messages)


def test_interactor_rejecting_first_gives_wrong_answer(judge_queued):
    submission = _judge(_problem(), "bad.py", "python", judge_queued)
    assert submission.verdict == Verdict.WA
    first_failure = submission.results.exclude(verdict=Verdict.AC).first()
    assert first_failure.checker_message == "too many guesses"


def test_program_that_never_talks_gets_time_limit_exceeded(judge_queued):
    assert _judge(_problem(), "hang.py", "python", judge_queued).verdict == Verdict.TLE


def test_crashed_interactor_is_an_internal_error_not_the_students_fault(judge_queued):
    submission = _judge(_problem("crash_interactor.py"), "good.cpp", "cpp", judge_queued)
    assert submission.verdict == Verdict.IE
    assert "interactor failed" in submission.internal_message
