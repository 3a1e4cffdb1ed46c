"""What judging records per test, and that it never writes without its claim (fake engine: the pipeline)."""

import datetime as dt

import pytest

from judge.judging.queue import submission_claim_next
from judge.judging.services import submission_judge
from judge.submissions.models import Submission, Verdict
from problems.models import Problem
from tests.factories import SubmissionFactory
from tests.integration.fake_engine import CPU_PER_RUN, problem_with_tests

pytestmark = pytest.mark.django_db

SMALL, BIG = "1 2\n", "1000 2000\n"  # the "small" program passes only tests without big numbers


def _judged(problem: Problem, source: str) -> Submission:
    submission = SubmissionFactory(problem=problem, source=source, tests_total=problem.tests.count())
    submission_judge(submission=submission_claim_next())
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize(
    ("source", "exit_code", "signal"), [("ok", 0, None), ("crash", 1, None), ("slow", None, 9)]
)
def test_each_result_records_what_the_run_measured(engine, source, exit_code, signal):
    problem = problem_with_tests(tests=[(SMALL, False, "")])

    result = _judged(problem, source).results.get()

    assert (result.test_case_id, result.group_name) == (problem.tests.get().id, "")
    assert (result.exit_code, result.signal) == (exit_code, signal)
    if source == "ok":
        assert (result.time, result.wall_time, result.memory) == (CPU_PER_RUN, 0.06, 1 << 20)


def test_a_failed_group_skips_only_its_own_tests(engine):
    problem = problem_with_tests(
        tests=[(BIG, False, "a"), (SMALL, False, "a"), (SMALL, False, "b")],
        groups={"a": 40, "b": 60},
        scoring=Problem.Scoring.GROUPS,
        stop_on_first_failure=False,
    )

    submission = _judged(problem, "small")

    assert (submission.verdict, submission.score) == (Verdict.WA, 60)
    assert list(submission.results.values_list("group_name", "verdict")) == [
        ("a", Verdict.WA),
        ("b", Verdict.AC),
    ]


def test_a_problem_without_tests_has_no_maximum_time_or_memory(engine):
    SubmissionFactory(problem=problem_with_tests(tests=[]), source="ok")
    claimed = submission_claim_next()
    long_ago = claimed.heartbeat_at - dt.timedelta(hours=1)
    Submission.objects.filter(pk=claimed.pk).update(heartbeat_at=long_ago)

    submission_judge(submission=claimed)

    claimed.refresh_from_db()
    assert claimed.status == Submission.Status.DONE
    assert (claimed.max_time, claimed.max_memory) == (None, None)
    assert claimed.heartbeat_at > long_ago  # the compile step beats too, not only each test


def test_ungrouped_tests_of_a_scored_problem_all_run(engine):
    problem = problem_with_tests(
        tests=[(BIG, False, ""), (SMALL, False, ""), (SMALL, False, "g")],
        groups={"g": 10},
        scoring=Problem.Scoring.GROUPS,
        stop_on_first_failure=False,
    )

    submission = _judged(problem, "small")

    assert list(submission.results.values_list("verdict", flat=True)) == [Verdict.WA, Verdict.AC, Verdict.AC]
    assert submission.score == 10


def test_judging_the_same_claim_again_after_done_writes_nothing(engine):
    problem = problem_with_tests(tests=[(SMALL, False, "")])
    SubmissionFactory(problem=problem, source="ok", tests_total=1)
    claimed = submission_claim_next()
    submission_judge(submission=claimed)
    before = Submission.objects.values().get(pk=claimed.pk)

    submission_judge(submission=claimed)  # same claim, but the submission is no longer being judged

    assert Submission.objects.values().get(pk=claimed.pk) == before
    assert claimed.results.count() == 1


def test_a_stale_claim_writes_nothing(engine, caplog):
    problem = problem_with_tests(tests=[(SMALL, False, "")])
    SubmissionFactory(problem=problem, source="ok", tests_total=1)
    stale = submission_claim_next()
    Submission.objects.filter(pk=stale.pk).update(claim="taken-over-by-another-worker")

    submission_judge(submission=stale)

    after = Submission.objects.get(pk=stale.pk)
    assert (after.status, after.verdict, after.tests_done) == (Submission.Status.COMPILING, "", 0)
    assert not after.results.exists()
    lost = f"submission {stale.pk} is no longer ours; leaving it to the judging that owns it now"
    assert lost in caplog.messages
