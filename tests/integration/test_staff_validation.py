"""Validating a problem: reference solutions judged by the normal pipeline, checked against expectations."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from judge.staff.selectors import Match, problem_validation_report
from judge.submissions.models import Submission, TenantQuota, TenantUsage, Verdict
from problems.models import ReferenceSolution
from tests.factories import MembershipFactory, SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db
Expected = ReferenceSolution.Expected


@pytest.fixture
def problem():
    # The sample first, then two hidden tests; the last one is too big for the "small" program.
    return problem_with_tests(tests=[("3 4\n", True, ""), ("1 2\n", False, ""), ("5000 1\n", False, "")])


@pytest.fixture
def instructor(problem):
    return MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user


def _solution(problem, name: str, source: str, expected: str, language: str = "python") -> ReferenceSolution:
    return ReferenceSolution.objects.create(
        problem=problem, name=name, language=language, source=source, expected=expected
    )


@pytest.fixture
def solutions(problem):
    return [
        _solution(problem, "accepted/sum.py", "ok", Expected.ACCEPTED),
        _solution(problem, "accepted/small.py", "small", Expected.ACCEPTED),  # wrongly labelled: fails test 3
        _solution(problem, "wrong_answer/zero.py", "wrong", Expected.WRONG_ANSWER),
        _solution(problem, "time_limit_exceeded/slow.py", "slow", Expected.TIME_LIMIT_EXCEEDED),
        _solution(problem, "run_time_error/crash.py", "crash", Expected.RUN_TIME_ERROR),
        _solution(problem, "other/broken.py", "syntax", Expected.OTHER),
        _solution(problem, "accepted/sum.kt", "ok", Expected.ACCEPTED, language=""),  # not runnable here
    ]


def _validate_url(problem) -> str:
    return reverse("staff:validate", args=[problem.code])


def _run_url(problem) -> str:
    return reverse("staff:validate_run", args=[problem.code])


def _run_all(client, instructor, problem):
    client.force_login(instructor)
    return client.post(_run_url(problem))


def _rows(report) -> dict[str, object]:
    return {row.solution.name: row for row in report.rows}


# --- access ---


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_only_staff_of_the_tenant_may_see_or_run_validation(client, problem, solutions, who):
    tenant = problem.tenant if who == "student" else MembershipFactory().tenant
    role = Membership.Role.STUDENT if who == "student" else Membership.Role.INSTRUCTOR
    client.force_login(MembershipFactory(tenant=tenant, role=role).user)

    add = reverse("staff:reference_solution_add", args=[problem.code])
    form = {"name": "x.py", "language": "python", "expected": "accepted", "source": "ok"}

    assert client.get(_validate_url(problem)).status_code == 404
    assert client.post(_run_url(problem)).status_code == 404
    assert client.post(add, form).status_code == 404
    assert not Submission.objects.exists()
    assert problem.reference_solutions.count() == len(solutions)


def test_anonymous_is_sent_to_log_in(client, problem):
    response = client.get(_validate_url(problem))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_run_needs_post(client, problem, instructor, solutions):
    client.force_login(instructor)

    assert client.get(_run_url(problem)).status_code == 405


# --- running ---


def test_run_all_queues_one_reference_run_per_runnable_solution(
    client, problem, instructor, solutions, queued_tasks
):
    TenantQuota.objects.create(tenant=problem.tenant, max_queued=0)  # students could not submit now

    response = _run_all(client, instructor, problem)

    assert response.status_code == 302
    runs = Submission.objects.order_by("id")
    assert runs.count() == 6  # the one with no language this judge runs is skipped
    assert {run.kind for run in runs} == {Submission.Kind.REFERENCE}
    assert {run.user_id for run in runs} == {instructor.id}
    assert {run.status for run in runs} == {Submission.Status.QUEUED}
    assert {run.tests_total for run in runs} == {3}
    assert queued_tasks == [run.id for run in runs]
    assert TenantUsage.objects.get(tenant=problem.tenant).submissions == 6
    # Reference runs stay out of the staff member's own submission list.
    assert "accepted/sum.py" not in client.get(reverse("judge:submission_list")).content.decode()


def test_report_compares_verdicts_with_expectations(
    client, problem, instructor, solutions, engine, judge_queued
):
    _run_all(client, instructor, problem)
    judge_queued()

    rows = _rows(problem_validation_report(problem=problem))

    verdicts = {name: (row.run.verdict if row.run else None, row.match) for name, row in rows.items()}
    assert verdicts == {
        "accepted/sum.py": (Verdict.AC, Match.YES),
        "accepted/small.py": (Verdict.WA, Match.NO),
        "wrong_answer/zero.py": (Verdict.WA, Match.YES),
        "time_limit_exceeded/slow.py": (Verdict.TLE, Match.YES),
        "run_time_error/crash.py": (Verdict.RE, Match.YES),
        "other/broken.py": (Verdict.CE, Match.YES),
        "accepted/sum.kt": (None, Match.CANNOT_RUN),
    }


def test_matrix_has_a_cell_per_solution_and_test(
    client, problem, instructor, solutions, engine, judge_queued
):
    _run_all(client, instructor, problem)
    judge_queued()

    report = problem_validation_report(problem=problem)
    rows = _rows(report)

    assert [(c.order, c.is_sample) for c in report.tests] == [(1, True), (2, False), (3, False)]

    def cells(name):
        return [(c.verdict, c.time) if c else None for c in rows[name].cells]

    assert cells("accepted/sum.py") == [(Verdict.AC, 0.05)] * 3
    assert cells("accepted/small.py") == [(Verdict.AC, 0.05), (Verdict.AC, 0.05), (Verdict.WA, 0.05)]
    assert cells("wrong_answer/zero.py") == [(Verdict.WA, 0.05), None, None]  # stops at the first failure
    assert cells("other/broken.py") == [None, None, None]  # never ran


def test_page_shows_live_rows_matrix_and_mismatches(
    client, problem, instructor, solutions, engine, judge_queued
):
    _run_all(client, instructor, problem)
    judge_queued()

    page = client.get(_validate_url(problem)).content.decode()

    for run in Submission.objects.all():
        assert f'data-submission-id="{run.id}"' in page
    assert page.count('class="verdict-cell"') == 7
    assert page.count('class="num time-cell"') == 7
    assert page.count('class="hide-sm deciding-cell"') == 7  # the test that decided, as judge_package says
    assert '<span class="mono">test 3</span>' in page  # small.py's first failing test
    assert "match match-no" in page
    assert "1 solution did not get the expected verdict." in page
    assert page.count('class="cell cell-AC"') == 5  # sum.py 3 + small.py 2
    assert "Suggested time limit: <strong>1 s</strong>" in page  # 0.05 s × 2, up to whole seconds


def test_an_edited_solution_counts_as_not_run(client, problem, instructor, solutions, engine, judge_queued):
    _run_all(client, instructor, problem)
    judge_queued()
    edited = solutions[0]
    edited.source = "ok  # faster"
    edited.save(update_fields=["source"])

    row = _rows(problem_validation_report(problem=problem))[edited.name]

    assert (row.run, row.match) == (None, Match.NOT_RUN)


def test_unfinished_runs_are_pending(client, problem, instructor, solutions):
    _run_all(client, instructor, problem)

    rows = _rows(problem_validation_report(problem=problem))

    assert rows["accepted/sum.py"].match == Match.PENDING
    assert '<span class="badge badge-queued"' in client.get(_validate_url(problem)).content.decode()


# --- time limit suggestion ---


def _finished_run(solution, verdict: str, max_time: float) -> Submission:
    return SubmissionFactory(
        problem=solution.problem,
        kind=Submission.Kind.REFERENCE,
        language=solution.language,
        source=solution.source,
        status=Submission.Status.DONE,
        verdict=verdict,
        max_time=max_time,
    )


def test_suggestion_is_slowest_accepted_run_times_the_multiplier_rounded_up(client, problem, instructor):
    problem.time_multiplier = 3
    problem.save(update_fields=["time_multiplier"])
    fast = _solution(problem, "accepted/fast.py", "ok", Expected.ACCEPTED)
    slow = _solution(problem, "accepted/slow.py", "ok  # slower", Expected.ACCEPTED)
    wrong = _solution(problem, "wrong_answer/quick.py", "wrong", Expected.WRONG_ANSWER)
    _finished_run(fast, Verdict.AC, 0.12)
    _finished_run(slow, Verdict.AC, 0.31)
    _finished_run(wrong, Verdict.AC, 0.9)  # not expected to pass: ignored

    suggestion = problem_validation_report(problem=problem).suggestion

    assert (suggestion.slowest, suggestion.rules.multiplier, suggestion.seconds) == (0.31, 3, 1.0)  # 0.93 → 1
    assert suggestion.solution == "accepted/slow.py"
    client.force_login(instructor)
    assert "Suggested time limit: <strong>1 s</strong>" in client.get(_validate_url(problem)).content.decode()


def test_no_suggestion_without_an_accepted_run(client, problem, instructor):
    failing = _solution(problem, "accepted/bad.py", "wrong", Expected.ACCEPTED)
    _finished_run(failing, Verdict.WA, 0.2)

    assert problem_validation_report(problem=problem).suggestion is None
    client.force_login(instructor)
    assert "to get a suggested time limit" in client.get(_validate_url(problem)).content.decode()


def test_suggestion_is_never_below_one_second(problem):
    quick = _solution(problem, "accepted/quick.py", "ok", Expected.ACCEPTED)
    _finished_run(quick, Verdict.AC, 0.001)

    assert problem_validation_report(problem=problem).suggestion.seconds == 1.0


def test_suggestion_rounds_up_to_whole_seconds(problem):
    slow = _solution(problem, "accepted/slow.py", "ok", Expected.ACCEPTED)
    _finished_run(slow, Verdict.AC, 0.61)  # × 2 = 1.22

    assert problem_validation_report(problem=problem).suggestion.seconds == 2.0


# --- adding a reference solution ---


def test_staff_adds_a_reference_solution(client, problem, instructor):
    client.force_login(instructor)
    url = reverse("staff:reference_solution_add", args=[problem.code])

    response = client.post(
        url, {"name": "accepted/new.py", "language": "python", "expected": "accepted", "source": "ok\n"}
    )

    assert response.status_code == 302
    solution = problem.reference_solutions.get()
    assert (solution.name, solution.language, solution.expected, solution.source) == (
        "accepted/new.py",
        "python",
        Expected.ACCEPTED,
        "ok\n",
    )


def test_a_duplicate_name_is_refused_with_a_reason(client, problem, instructor):
    _solution(problem, "accepted/sum.py", "ok", Expected.ACCEPTED)
    client.force_login(instructor)
    url = reverse("staff:reference_solution_add", args=[problem.code])

    response = client.post(
        url, {"name": "accepted/sum.py", "language": "python", "expected": "accepted", "source": "x"}
    )

    assert response.status_code == 400
    assert "already has a reference solution named" in response.content.decode()
    assert problem.reference_solutions.count() == 1
