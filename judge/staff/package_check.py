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
from judge.staff.services import reference_run_create
from judge.submissions.models import EXPECTED_VERDICTS, Submission, Verdict
from problems.models import TIME_LIMIT_RANGE, Problem, ReferenceSolution
from problems.services.packages import ImportReport, problem_discard, problem_import_package
from sandbox import LANGUAGES

CHECK_TENANT = CHECK_USER = "package-check"
GENEROUS_TIME_LIMIT = 10.0  # seconds: to time the accepted solutions when the package gives no limit
# Below this, start-up noise (an interpreter, a JVM) would decide verdicts rather than the algorithm.
MIN_DERIVED_TIME_LIMIT = 0.5


@dataclass
class SolutionRun:
    solution: ReferenceSolution
    submission: Submission | None = None  # None: skipped, the language is not one we run

    @property
    def passed(self) -> bool | None:
        if self.submission is None:
            return None
        return self.submission.verdict in EXPECTED_VERDICTS[self.solution.expected]


@dataclass
class PackageCheck:
    report: ImportReport
    runs: list[SolutionRun] = field(default_factory=list)
    time_limit_line: str = ""

    @property
    def passed(self) -> int:
        return sum(run.passed is True for run in self.runs)

    @property
    def failed(self) -> int:
        return sum(run.passed is False for run in self.runs)

    @property
    def skipped(self) -> int:
        return sum(run.passed is None for run in self.runs)

    def summary(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


def package_check(
    *, path: str | os.PathLike | bytes, keep: bool = False, echo: Callable[[str], None] = lambda line: None
) -> PackageCheck:
    """Import into a scratch problem, judge each reference solution synchronously, report each as it ends.

    The scratch problem (tenant and user "package-check") is deleted at the end unless `keep`.
    Raises PackageError for a malformed package.
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


def _check_run(*, check: PackageCheck, user: User, echo: Callable[[str], None]) -> None:
    problem = check.report.problem
    solutions = list(problem.reference_solutions.order_by("name"))
    width = max((len(_path(solution)) for solution in solutions), default=0)
    runnable = [solution for solution in solutions if solution.language in LANGUAGES]
    done: dict[int, Submission] = {}
    if not check.report.time_limit_given:
        accepted = [s for s in runnable if s.expected == ReferenceSolution.Expected.ACCEPTED]
        done = {s.id: _judge(problem=problem, solution=s, user=user) for s in accepted}
        check.time_limit_line = _time_limit_derive(problem=problem, timed=list(done.values()))
        echo(check.time_limit_line)
    for solution in solutions:
        run = SolutionRun(solution=solution)
        if solution in runnable:
            # Accepted runs timed above stay valid: every one took at most the derived limit.
            run.submission = done.get(solution.id) or _judge(problem=problem, solution=solution, user=user)
        check.runs.append(run)
        echo(run_line(run=run, width=width))


def _judge(*, problem: Problem, solution: ReferenceSolution, user: User) -> Submission:
    with transaction.atomic():  # claimed before commit: a running worker never sees it queued
        submission = reference_run_create(problem=problem, solution=solution, user=user)
        claimed = submission_claim(submission_id=submission.id)
    return submission_judge(submission=claimed)


def _time_limit_derive(*, problem: Problem, timed: list[Submission]) -> str:
    """problemtools' rule: limit = slowest accepted time × ac_to_time_limit, here rounded up to 0.1 s."""
    times = [s.max_time or 0.0 for s in timed if s.verdict == Verdict.AC]
    if not times:
        problem.time_limit = GENEROUS_TIME_LIMIT
        problem.save(update_fields=["time_limit", "updated_at"])
        return (
            f"time limit: {GENEROUS_TIME_LIMIT:g} s (no accepted solution passed, so none could be derived)"
        )
    slowest = max(times)
    exact = problem.time_limit_for(slowest)
    limit = min(TIME_LIMIT_RANGE[1], max(MIN_DERIVED_TIME_LIMIT, exact))
    problem.time_limit = limit
    problem.save(update_fields=["time_limit", "updated_at"])
    line = f"time limit: {limit:g} s (slowest accepted {slowest:.2g} s × {problem.time_multiplier:g}"
    if limit != exact:
        line += f" = {exact:g} s, kept within {MIN_DERIVED_TIME_LIMIT:g}–{TIME_LIMIT_RANGE[1]:g} s"
    return line + ")"


def _path(solution: ReferenceSolution) -> str:
    return f"submissions/{solution.name}"


def _expected_text(solution: ReferenceSolution) -> str:
    if solution.expected == ReferenceSolution.Expected.OTHER:
        return solution.name.split("/", 1)[0]  # the folder's own name
    return solution.expected


def run_line(*, run: SolutionRun, width: int = 0) -> str:
    """`path  expected  verdict  max_time`, one line per reference solution."""
    path, expected = _path(run.solution).ljust(width), _expected_text(run.solution).ljust(19)
    if run.submission is None:
        return f"{path}  {expected}  skipped  (no language for this file)"
    seconds = run.submission.max_time
    time = "-" if seconds is None else f"{seconds:.2f} s"
    return f"{path}  {expected}  {run.submission.verdict:<3}  {time}"
