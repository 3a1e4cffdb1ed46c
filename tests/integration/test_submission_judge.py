"""The judging pipeline (claim, compile, run, check, score, finish) on a fake engine, not the sandbox."""

import pytest

from judge import tasks
from judge.judging.queue import submission_claim_next
from judge.judging.services import submission_judge
from judge.submissions import events
from judge.submissions.models import Submission, TestResult, Verdict
from judge.submissions.quotas import usage_today
from judge.submissions.services import submission_requeue
from problems.models import Problem
from tests.factories import SubmissionFactory
from tests.integration.fake_engine import CPU_PER_RUN, problem_with_tests

pytestmark = pytest.mark.django_db

SMALL, BIG = "1 2\n", "1000 2000\n"  # the "small" program passes only tests without big numbers


@pytest.fixture
def problem():
    return problem_with_tests(tests=[("3 4\n", True, ""), (SMALL, False, ""), ("5 6\n", False, "")])


def _judged(problem: Problem, source: str, judge_queued) -> Submission:
    submission = SubmissionFactory(problem=problem, source=source, tests_total=problem.tests.count())
    judge_queued()
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize(
    ("source", "verdict", "score"),
    [
        ("ok", Verdict.AC, 1.0),
        ("wrong", Verdict.WA, 0.0),
        ("slow", Verdict.TLE, 0.0),
        ("crash", Verdict.RE, 0.0),
    ],
)
def test_verdicts(engine, problem, judge_queued, source, verdict, score):
    submission = _judged(problem, source, judge_queued)

    assert submission.status == Submission.Status.DONE
    assert submission.verdict == verdict
    assert submission.score == score
    assert submission.max_score == 1.0
    assert submission.judged_at is not None
    assert submission.internal_message == ""


def test_accepted_submission_records_every_test(engine, problem, judge_queued):
    submission = _judged(problem, "ok", judge_queued)

    results = list(submission.results.order_by("order"))
    assert [r.verdict for r in results] == [Verdict.AC] * 3
    assert submission.tests_done == submission.tests_total == 3
    assert submission.max_time == pytest.approx(CPU_PER_RUN)
    assert submission.max_memory == 1 << 20
    assert results[0].output_excerpt == "7\n"
    assert results[1].output_excerpt == ""  # hidden tests keep no output


def test_wrong_answer_keeps_the_checker_message(engine, problem, judge_queued):
    submission = _judged(problem, "wrong", judge_queued)

    result = submission.results.get()
    assert result.verdict == Verdict.WA
    assert "expected '7', got '0'" in result.checker_message


def test_runtime_error_keeps_the_exit_code(engine, problem, judge_queued):
    result = _judged(problem, "crash", judge_queued).results.get()

    assert result.verdict == Verdict.RE
    assert result.exit_code == 1


def test_compile_error_ends_with_ce_and_compiler_output(engine, problem, judge_queued):
    submission = _judged(problem, "syntax", judge_queued)

    assert submission.status == Submission.Status.DONE
    assert submission.verdict == Verdict.CE
    assert "SyntaxError" in submission.compile_output
    assert submission.score == 0
    assert not submission.results.exists()
    assert engine.runs == []


def test_engine_failure_is_an_internal_error_that_can_be_judged_again(
    engine, problem, judge_queued, queued_tasks
):
    engine.broken = "run"
    submission = _judged(problem, "ok", judge_queued)

    assert submission.status == Submission.Status.DONE
    assert submission.verdict == Verdict.IE
    assert "the run box failed" in submission.internal_message

    engine.broken = None
    submission_requeue(submission=submission)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.QUEUED
    assert submission.verdict == ""
    assert submission.internal_message == ""
    assert queued_tasks[-1] == submission.id

    judge_queued()
    submission.refresh_from_db()
    assert submission.verdict == Verdict.AC
    assert submission.internal_message == ""
    assert submission.results.count() == 3
    assert submission.tests_done == 3


def test_engine_failure_while_compiling_is_an_internal_error(engine, problem, judge_queued):
    engine.broken = "compile"

    submission = _judged(problem, "ok", judge_queued)

    assert submission.verdict == Verdict.IE
    assert "compile" in submission.internal_message
    assert submission.compile_output == ""


def test_sandbox_failing_on_a_run_is_an_internal_error(engine, problem, judge_queued):
    submission = _judged(problem, "boom", judge_queued)

    assert submission.verdict == Verdict.IE
    assert submission.score == 0
    assert "the run box failed" in submission.internal_message


def test_internal_message_is_not_in_the_api(engine, problem, judge_queued, client):
    engine.broken = "run"
    submission = _judged(problem, "ok", judge_queued)
    submission.user.save(update_fields=["password"])
    client.force_login(submission.user)

    body = client.get(f"/api/submissions/{submission.id}/").content.decode()

    assert "run box failed" not in body


def test_pass_fail_stops_at_the_first_failure(engine, judge_queued):
    problem = problem_with_tests(tests=[(SMALL, False, ""), (BIG, False, ""), (SMALL, False, "")])

    submission = _judged(problem, "small", judge_queued)

    assert submission.verdict == Verdict.WA
    assert submission.tests_done == 2
    assert list(submission.results.values_list("verdict", flat=True)) == [Verdict.AC, Verdict.WA]
    assert len(engine.runs) == 2


def test_pass_fail_runs_everything_when_asked(engine, judge_queued):
    problem = problem_with_tests(
        tests=[(SMALL, False, ""), (BIG, False, ""), (SMALL, False, "")], stop_on_first_failure=False
    )

    submission = _judged(problem, "small", judge_queued)

    assert submission.verdict == Verdict.WA
    assert submission.score == 0
    assert submission.tests_done == 3
    assert list(submission.results.values_list("verdict", flat=True)) == [Verdict.AC, Verdict.WA, Verdict.AC]


@pytest.fixture
def subtasks():
    return problem_with_tests(
        tests=[
            (SMALL, True, "samples"),
            (SMALL, False, "small"),
            ("7 8\n", False, "small"),
            (BIG, False, "large"),
            ("3000 4000\n", False, "large"),
        ],
        groups={"samples": 0, "small": 30, "large": 70},
        scoring=Problem.Scoring.GROUPS,
        stop_on_first_failure=False,
    )


def test_groups_give_partial_points(engine, subtasks, judge_queued):
    submission = _judged(subtasks, "small", judge_queued)

    assert submission.verdict == Verdict.WA
    assert submission.score == 30
    assert submission.max_score == 100
    # After the first failure in "large" its other test is skipped: it cannot change the score.
    assert list(submission.results.values_list("group_name", "verdict")) == [
        ("samples", Verdict.AC),
        ("small", Verdict.AC),
        ("small", Verdict.AC),
        ("large", Verdict.WA),
    ]


def test_groups_full_score(engine, subtasks, judge_queued):
    submission = _judged(subtasks, "ok", judge_queued)

    assert (submission.verdict, submission.score, submission.max_score) == (Verdict.AC, 100, 100)
    assert submission.tests_done == 5


def test_groups_zero(engine, subtasks, judge_queued):
    submission = _judged(subtasks, "wrong", judge_queued)

    assert (submission.verdict, submission.score) == (Verdict.WA, 0)


def test_samples_run_first_then_hidden_tests_in_order(engine, judge_queued):
    problem = problem_with_tests(
        tests=[("10 1\n", False, ""), ("20 2\n", False, ""), ("30 3\n", True, ""), ("40 4\n", True, "")]
    )

    submission = _judged(problem, "ok", judge_queued)

    assert [run.stdin for run in engine.runs] == [b"30 3\n", b"40 4\n", b"10 1\n", b"20 2\n"]
    results = list(submission.results.order_by("order"))
    assert [(r.order, r.is_sample) for r in results] == [(1, True), (2, True), (3, False), (4, False)]


def test_judging_a_second_time_after_done_changes_nothing(engine, problem, judge_queued):
    submission = _judged(problem, "ok", judge_queued)
    before = Submission.objects.values().get(pk=submission.pk)
    runs = len(engine.requests)

    assert tasks.judge_submission(submission.id) is None  # the broker redelivers the message

    assert Submission.objects.values().get(pk=submission.pk) == before
    assert TestResult.objects.filter(submission=submission).count() == 3
    assert len(engine.requests) == runs


def test_redelivered_task_while_another_worker_judges_does_nothing(engine, problem):
    submission = SubmissionFactory(problem=problem, source="ok")
    claimed = submission_claim_next()  # the first worker holds it
    assert claimed == submission

    assert tasks.judge_submission(submission.id) is None

    submission.refresh_from_db()
    assert submission.status == Submission.Status.COMPILING
    assert not submission.results.exists()
    assert engine.requests == []


def test_task_judges_the_claimed_submission(engine, problem):
    submission = SubmissionFactory(problem=problem, source="ok")

    assert tasks.judge_submission(submission.id) == submission.id

    submission.refresh_from_db()
    assert submission.verdict == Verdict.AC


def test_judging_records_cpu_usage_for_the_tenant(engine, problem, judge_queued):
    before = usage_today(tenant_id=problem.tenant_id)

    _judged(problem, "ok", judge_queued)

    after = usage_today(tenant_id=problem.tenant_id)
    assert after.cpu_seconds == pytest.approx(before.cpu_seconds + 3 * CPU_PER_RUN)
    assert after.runs == before.runs + 3


def test_judge_marks_progress_while_running(engine, problem, monkeypatch):
    seen = []
    monkeypatch.setattr(events, "publish_submission", lambda s, **kw: seen.append((s.status, s.tests_done)))
    # A judged test publishes the submission's new state along with the test's row.
    monkeypatch.setattr(events, "publish_result", lambda s, result: seen.append((s.status, s.tests_done)))
    submission = SubmissionFactory(problem=problem, source="ok")

    submission_judge(submission=submission_claim_next())

    assert seen[0] == (Submission.Status.COMPILING, 0)
    assert (Submission.Status.RUNNING, 0) in seen
    assert [done for status, done in seen if status == Submission.Status.RUNNING] == [0, 1, 2, 3]
    assert seen[-1] == (Submission.Status.DONE, 3)
    submission.refresh_from_db()
    assert submission.heartbeat_at is not None


def test_submission_page_shows_what_each_subtask_earned(client, engine, judge_queued):
    problem = problem_with_tests(
        tests=[("1 2\n", False, "easy"), ("1000 2000\n", False, "hard")],
        groups={"easy": 30, "hard": 70},
        scoring=Problem.Scoring.GROUPS,
        stop_on_first_failure=False,
    )
    submission = _judged(problem, "small", judge_queued)
    client.force_login(submission.user)

    groups = client.get(f"/submissions/{submission.id}/").context["group_scores"]

    assert [(g["name"], g["earned"], g["points"], g["state"]) for g in groups] == [
        ("easy", 30, 30, "passed"),
        ("hard", 0, 70, "failed"),
    ]
