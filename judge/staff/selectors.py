"""Reads for the staff pages: problem validation reports, rejudge history and the tenant submission list."""

from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from judge.staff.reference_report import (
    ReferenceReport,
    SolutionResult,
    TimeLimitLine,
    problem_time_rules,
    reference_report_build,
    time_limit_derived,
)
from judge.submissions.models import EXPECTED_VERDICTS, Submission, TestResult
from judge.submissions.selectors import (
    submission_get_for_user,
    submission_is_staff_viewer,
    submission_list_for_staff,
)
from problems.models import Problem, ReferenceSolution
from problems.selectors import problem_list_editable
from sandbox import LANGUAGES

PENDING = "pending"  # verdict filter: not judged yet


class Match(models.TextChoices):
    YES = "yes", "As expected"
    NO = "no", "Unexpected"
    PENDING = "pending", "Judging"
    NOT_RUN = "not_run", "Not run yet"
    CANNOT_RUN = "cannot_run", "Cannot run here"


@dataclass(frozen=True)
class TestColumn:
    order: int
    name: str
    is_sample: bool


@dataclass(frozen=True)
class ReferenceRow:
    solution: ReferenceSolution
    run: Submission | None
    cells: list[TestResult | None]
    result: SolutionResult  # the deciding test and the margin notes, as judge_package reports them

    @property
    def match(self) -> Match:
        return reference_match(solution=self.solution, run=self.run)

    @property
    def expected_verdicts(self) -> str:
        return " ".join(sorted(EXPECTED_VERDICTS[self.solution.expected]))


@dataclass(frozen=True)
class ValidationReport:
    tests: list[TestColumn]
    rows: list[ReferenceRow]
    suggestion: TimeLimitLine | None  # derived from the accepted runs, as judge_package derives it
    check: ReferenceReport  # the report judge_package prints, of the latest runs

    @property
    def runnable(self) -> int:
        return sum(1 for row in self.rows if reference_is_runnable(solution=row.solution))

    @property
    def mismatches(self) -> int:
        return sum(1 for row in self.rows if row.match == Match.NO)

    @property
    def pending(self) -> int:
        return sum(1 for row in self.rows if row.match == Match.PENDING)


def reference_is_runnable(*, solution: ReferenceSolution) -> bool:
    return solution.language in LANGUAGES


def reference_match(*, solution: ReferenceSolution, run: Submission | None) -> Match:
    if not reference_is_runnable(solution=solution):
        return Match.CANNOT_RUN
    if run is None:
        return Match.NOT_RUN
    if not run.is_finished:
        return Match.PENDING
    return Match.YES if run.verdict in EXPECTED_VERDICTS[solution.expected] else Match.NO


def reference_solution_list(*, problem: Problem) -> QuerySet[ReferenceSolution]:
    return problem.reference_solutions.order_by("name", "id")


def reference_solution_get(*, problem: Problem, solution_id: int) -> ReferenceSolution:
    """A reference solution of this problem (reach the problem through problem_get_for_editor), else 404."""
    solution = problem.reference_solutions.filter(pk=solution_id).first()
    if solution is None:
        raise Http404("No such reference solution")
    return solution


def reference_run_latest(*, solution: ReferenceSolution) -> Submission | None:
    """The newest reference run of exactly this code: an edited solution has not been run yet."""
    runs = Submission.objects.filter(
        problem_id=solution.problem_id,
        kind=Submission.Kind.REFERENCE,
        language=solution.language,
        source=solution.source,
        entry=solution.entry,
    )
    if not solution.files:
        return runs.filter(files={}).defer("source").order_by("-id").first()
    # JSON equality is not the same in every database: compare the other files here (few runs match).
    return next((run for run in runs.order_by("-id")[:20] if run.files == solution.files), None)


def _test_columns(*, problem: Problem, results: list[TestResult]) -> list[TestColumn]:
    # The judge runs tests in this order and numbers results by it (judging.services.tests_ordered).
    tests = problem.tests.order_by("-is_sample", "order", "id")
    columns = [
        TestColumn(order=i, name=test.name or f"test {i}", is_sample=test.is_sample)
        for i, test in enumerate(tests, start=1)
    ]
    extra = max((r.order for r in results), default=0)  # results of tests deleted since
    columns += [
        TestColumn(order=i, name=f"test {i}", is_sample=False) for i in range(len(columns) + 1, extra + 1)
    ]
    return columns


def _results_by_run(*, runs: list[Submission]) -> list[TestResult]:
    fields = ("submission_id", "order", "verdict", "time", "memory", "is_sample")
    return list(TestResult.objects.filter(submission__in=runs).only(*fields))


def time_limit_suggest(*, problem: Problem, rows: list[ReferenceRow]) -> TimeLimitLine | None:
    """The limit judge_package would derive from the latest accepted reference runs."""
    timed = [
        (row.solution.name, row.run)
        for row in rows
        if row.solution.expected == ReferenceSolution.Expected.ACCEPTED and row.match == Match.YES
    ]
    return time_limit_derived(timed=timed, rules=problem_time_rules(problem=problem))


def problem_validation_report(*, problem: Problem) -> ValidationReport:
    """Reference solutions with their latest runs, a test × solution matrix and a time limit suggestion."""
    solutions = list(reference_solution_list(problem=problem))
    runs = {s.id: reference_run_latest(solution=s) for s in solutions if reference_is_runnable(solution=s)}
    results = _results_by_run(runs=[run for run in runs.values() if run is not None])
    columns = _test_columns(problem=problem, results=results)
    by_cell = {(r.submission_id, r.order): r for r in results}
    rules = problem_time_rules(problem=problem)
    line = TimeLimitLine(seconds=problem.time_limit, how="set", rules=rules)
    check = reference_report_build(
        problem=problem, solutions=solutions, runs=runs, rules=rules, time_limit=line
    )
    rows = []
    for solution, result in zip(solutions, check.solutions, strict=True):
        run = runs.get(solution.id)
        cells = [by_cell.get((run.id, c.order)) if run else None for c in columns]
        rows.append(ReferenceRow(solution=solution, run=run, cells=cells, result=result))
    return ValidationReport(
        tests=columns, rows=rows, suggestion=time_limit_suggest(problem=problem, rows=rows), check=check
    )


def submission_list_to_rejudge(*, problem: Problem) -> QuerySet[Submission]:
    """Students' submissions of a problem; only the finished ones are judged again."""
    return Submission.objects.filter(problem=problem, kind=Submission.Kind.NORMAL)


def rejudge_counts(*, submissions: QuerySet[Submission]) -> dict[str, int]:
    """What a rejudge would do: judge the finished ones again, leave the unfinished alone."""
    done = Q(status=Submission.Status.DONE)
    return submissions.aggregate(finished=Count("id", filter=done), unfinished=Count("id", filter=~done))


_CHANGED = Q(status=Submission.Status.DONE) & (
    ~Q(verdict=F("previous_verdict")) | ~Q(score=F("previous_score"))
)


def submission_list_rejudged(
    *, user: User, problem_code: str = "", changed_only: bool = False
) -> QuerySet[Submission]:
    """Rejudged submissions of the user's tenants, most recent rejudge first, each marked `changed`."""
    rejudged = submission_list_for_staff(user=user).filter(
        kind=Submission.Kind.NORMAL, rejudged_at__isnull=False
    )
    if problem_code:
        rejudged = rejudged.filter(problem__code=problem_code)
    if changed_only:
        rejudged = rejudged.filter(_CHANGED)
    changed = ExpressionWrapper(_CHANGED, output_field=BooleanField())
    return rejudged.annotate(changed=changed).defer("source").order_by("-rejudged_at", "-id")


def rejudge_summary(*, submissions: QuerySet[Submission]) -> dict[str, int]:
    return submissions.aggregate(
        total=Count("id"),
        changed=Count("id", filter=_CHANGED),
        pending=Count("id", filter=~Q(status=Submission.Status.DONE)),
    )


def problem_list_rejudged(*, user: User) -> QuerySet[Problem]:
    """The user's problems that have rejudged submissions, for the filter on the rejudges page."""
    with_rejudges = Submission.objects.filter(rejudged_at__isnull=False).values("problem_id")
    return problem_list_editable(user=user).filter(id__in=with_rejudges).order_by("code")


def submission_list_for_staff_filtered(
    *, user: User, problem_code: str = "", username: str = "", verdict: str = "", kind: str = ""
) -> QuerySet[Submission]:
    """Submissions of the user's tenants; kind "" means students' submissions, "all" means every kind."""
    submissions = submission_list_for_staff(user=user).defer("source")
    if kind != "all":
        submissions = submissions.filter(kind=kind or Submission.Kind.NORMAL)
    if problem_code:
        submissions = submissions.filter(problem__code=problem_code)
    if username:
        submissions = submissions.filter(user__username__iexact=username)
    if verdict == PENDING:
        submissions = submissions.exclude(status=Submission.Status.DONE)
    elif verdict:
        submissions = submissions.filter(status=Submission.Status.DONE, verdict=verdict)
    return submissions.order_by("-created_at", "-id")


def submission_get_for_staff(*, user: User, submission_id: int) -> Submission:
    """A submission of one of the user's tenants; the author alone (a student) gets a 404 here."""
    submission = submission_get_for_user(user=user, submission_id=submission_id)
    if not submission_is_staff_viewer(user=user, submission=submission):
        raise Http404("No such submission")
    return submission
