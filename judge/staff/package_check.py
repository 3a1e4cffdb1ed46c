"""Check a problem package: import it into a scratch problem and judge every reference solution.

Like problemtools' verifyproblem, but through this judge's own pipeline (claim, sandbox, checkers),
so a package that passes here behaves the same for students.
"""

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import Tenant, User
from judge.judging.queue import submission_claim
from judge.judging.services import submission_judge
from judge.staff.reference_report import (
    ReferenceReport,
    TimeLimitLine,
    reference_report_build,
    result_line,
    solution_result,
    time_limit_derived,
)
from judge.staff.services import reference_run_create
from judge.submissions.models import Submission, Verdict
from problems.models import Problem, ReferenceSolution
from problems.services.packages import ImportReport, problem_discard, problem_import_package
from problems.timing import TimeRules, tle_limit
from sandbox import LANGUAGES

CHECK_TENANT = CHECK_USER = "package-check"
# Seconds: the accepted solutions are timed under this when the package gives no limit. Slower than
# 60 s / 5 would give a limit past the model's range anyway; a 1 s solution is far below it.
GENEROUS_TIME_LIMIT = 20.0


@dataclass
class PackageCheck:
    report: ImportReport
    time_limit: TimeLimitLine | None = None
    runs: dict[int, Submission] = field(default_factory=dict)  # solution id: its run at the final limit
    margin_runs: dict[int, Submission] = field(default_factory=dict)  # TLE solutions at limit × margin
    result: ReferenceReport | None = None  # built before the scratch problem goes

    @property
    def failed(self) -> int:
        return self.result.summary()["failed"] if self.result else 0

    def summary(self) -> str:
        return self.result.summary_line() if self.result else ""


def package_check(
    *, path: str | os.PathLike | bytes, keep: bool = False, echo: Callable[[str], None] = lambda line: None
) -> PackageCheck:
    """Import into a scratch problem, judge each reference solution synchronously, report each as it ends.

    Without a time limit in the package, the accepted solutions are first timed under a generous one and
    the limit derived from them (problems/timing.py); every solution is then judged at the final limit,
    and each time_limit_exceeded one once more at limit × safety margin. The scratch problem (tenant and
    user "package-check") is deleted at the end unless `keep`. Raises PackageError for a malformed package.
    """
    tenant, user = _check_owner()
    code = f"pkgcheck-{secrets.token_hex(6)}"
    report = problem_import_package(tenant=tenant, path_or_bytes=path, code=code)
    for line in report.lines():
        echo(line)
    check = PackageCheck(report=report)
    try:
        _check_run(check=check, user=user, echo=echo)
    finally:
        if not keep:
            problem_discard(problem=report.problem)
    return check


def _check_owner() -> tuple[Tenant, User]:
    tenant, _ = Tenant.objects.get_or_create(slug=CHECK_TENANT, defaults={"name": "Package checks"})
    user = User.objects.filter(username=CHECK_USER).first()
    if user is None:
        user = User(username=CHECK_USER)
        user.set_unusable_password()
        user.save()
    return tenant, user


def _solutions(*, problem: Problem) -> list[ReferenceSolution]:
    return list(problem.reference_solutions.order_by("name", "id"))


def _check_run(*, check: PackageCheck, user: User, echo: Callable[[str], None]) -> None:
    problem, rules = check.report.problem, check.report.time_rules
    solutions = _solutions(problem=problem)
    width = max((len(f"submissions/{solution.name}") for solution in solutions), default=0)
    runnable = [solution for solution in solutions if solution.language in LANGUAGES]
    kept: dict[int, Submission] = {}
    if check.report.time_limit_given:
        check.time_limit = TimeLimitLine(
            seconds=problem.time_limit, how="given", rules=rules, source=check.report.time_limit_source
        )
    else:
        check.time_limit, kept = _time_limit_find(problem=problem, solutions=runnable, rules=rules, user=user)
    echo(check.time_limit.text())
    for solution in solutions:
        if solution in runnable:
            _solution_judge(check=check, solution=solution, user=user, kept=kept)
        result = solution_result(
            solution=solution,
            run=check.runs.get(solution.id),
            limit=problem.time_limit,
            rules=rules,
            margin_run=check.margin_runs.get(solution.id),
        )
        echo(result_line(result=result, width=width))
    check.result = reference_report_build(
        problem=problem,
        solutions=solutions,
        runs=check.runs,
        margin_runs=check.margin_runs,
        rules=rules,
        time_limit=check.time_limit,
        warnings=check.report.warnings,
        package=check.report.package,
    )


def _time_limit_find(
    *, problem: Problem, solutions: list[ReferenceSolution], rules: TimeRules, user: User
) -> tuple[TimeLimitLine, dict[int, Submission]]:
    """Time the accepted solutions under GENEROUS_TIME_LIMIT and set the limit derived from them. Returns
    it and the timing runs that may be kept: only when the limit stayed the generous one."""
    accepted = [s for s in solutions if s.expected == ReferenceSolution.Expected.ACCEPTED]
    _time_limit_set(problem=problem, seconds=GENEROUS_TIME_LIMIT)
    timed = {s.id: _judge(problem=problem, solution=s, user=user) for s in accepted}
    line = time_limit_derived(timed=[(s.name, timed[s.id]) for s in accepted], rules=rules)
    if line is None:
        line = TimeLimitLine(seconds=GENEROUS_TIME_LIMIT, how="not derived", rules=rules)
    _time_limit_set(problem=problem, seconds=line.seconds)
    return line, timed if line.seconds == GENEROUS_TIME_LIMIT else {}


def _solution_judge(
    *, check: PackageCheck, solution: ReferenceSolution, user: User, kept: dict[int, Submission]
) -> None:
    """Judge at the problem's limit (a run timed under another limit is never kept); a
    time_limit_exceeded solution that times out is judged again at limit × safety margin."""
    problem = check.report.problem
    run = kept.get(solution.id) or _judge(problem=problem, solution=solution, user=user)
    check.runs[solution.id] = run
    if solution.expected != ReferenceSolution.Expected.TIME_LIMIT_EXCEEDED or run.verdict != Verdict.TLE:
        return
    limit = problem.time_limit
    _time_limit_set(problem=problem, seconds=tle_limit(limit=limit, rules=check.report.time_rules))
    try:
        check.margin_runs[solution.id] = _judge(problem=problem, solution=solution, user=user)
    finally:
        _time_limit_set(problem=problem, seconds=limit)


def _time_limit_set(*, problem: Problem, seconds: float) -> None:
    """The scratch problem's limit, which judging reads from the database for each run."""
    problem.time_limit = seconds
    problem.save(update_fields=["time_limit", "updated_at"])


def _judge(*, problem: Problem, solution: ReferenceSolution, user: User) -> Submission:
    with transaction.atomic():  # claimed before commit: a running worker never sees it queued
        submission = reference_run_create(problem=problem, solution=solution, user=user)
        claimed = submission_claim(submission_id=submission.id)
    return submission_judge(submission=claimed)
