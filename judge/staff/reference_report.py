"""The reference-solution report: how the time limit was set, and per solution its verdict, slowest time,
the test that decided it and the safety-margin checks. One builder for the staff validate page and
`manage.py judge_package` (the page renders it, the command prints it as lines or JSON)."""

from dataclasses import asdict, dataclass, field

from judge.submissions.models import EXPECTED_VERDICTS, Submission, Verdict
from problems.models import TIME_LIMIT_RANGE, Problem, ReferenceSolution
from problems.timing import (
    MIN_DERIVED_TIME_LIMIT,
    TimeRules,
    ac_within_margin,
    round_up,
    time_limit_derive,
    tle_limit,
)
from sandbox import LANGUAGES

WARNING, ERROR, INFO = "warning", "error", "info"


@dataclass(frozen=True)
class TimeLimitLine:
    """The problem's time limit and where it came from."""

    seconds: float
    how: (
        str  # "given" (by a package file), "derived", "not derived" (no accepted run), "set" (on the problem)
    )
    rules: TimeRules
    source: str = ""  # the file, when given
    slowest: float | None = None  # derived: the slowest accepted run and its solution
    solution: str = ""
    exact: float | None = None  # derived: slowest × multiplier before rounding and clamping

    def text(self) -> str:
        if self.how == "given":
            return f"time limit: {self.seconds:g} s (given by {self.source})"
        if self.how == "set":
            return f"time limit: {self.seconds:g} s (set on the problem)"
        if self.how == "not derived":
            return f"time limit: {self.seconds:g} s (no accepted solution passed, so none could be derived)"
        rounded = round_up(seconds=self.exact, resolution=self.rules.resolution)
        bound = ""
        if self.seconds != rounded:
            low, high = MIN_DERIVED_TIME_LIMIT, TIME_LIMIT_RANGE[1]
            bound = f", at least {low:g} s" if self.seconds > rounded else f", at most {high:g} s"
        rules = self.rules
        return (
            f"time limit: {self.seconds:g} s (slowest accepted {self.slowest:.2f} s × {rules.multiplier:g}"
            f" = {self.exact:.2f} s, rounded up to {rules.resolution:g} s{bound}; by {self.solution})"
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "text": self.text()}


@dataclass(frozen=True)
class Note:
    level: str  # WARNING, ERROR (the solution fails the check) or INFO
    text: str


@dataclass(frozen=True)
class SolutionResult:
    path: str  # submissions/<folder>/<file>
    expected: str  # the folder: accepted, wrong_answer, ...
    language: str
    state: str  # "done", "skipped" (no language we run), "not run", "pending"
    verdict: str = ""
    max_time: float | None = None
    deciding_test: str = ""  # the first failing test, or the slowest one for an accepted run
    notes: tuple[Note, ...] = ()

    @property
    def passed(self) -> bool | None:
        """None: not judged (yet). False: an unexpected verdict or a failed margin check."""
        if self.state != "done":
            return None
        return self.verdict in _expected_verdicts(self) and not any(n.level == ERROR for n in self.notes)

    def as_dict(self) -> dict:
        notes = [asdict(note) for note in self.notes]
        return {**asdict(self), "notes": notes, "passed": self.passed}


def _expected_verdicts(result: SolutionResult) -> frozenset[str]:
    expected = result.expected
    if expected not in ReferenceSolution.Expected.values:
        expected = ReferenceSolution.Expected.OTHER
    return EXPECTED_VERDICTS[expected]


@dataclass
class ReferenceReport:
    time_limit: TimeLimitLine | None
    solutions: list[SolutionResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the import's, for a package check
    problem: str = ""  # the problem's code
    package: str = ""  # the package's name, for a package check

    def count(self, passed: bool | None) -> int:
        return sum(result.passed is passed for result in self.solutions)

    def summary(self) -> dict[str, int]:
        pending = sum(result.state == "pending" for result in self.solutions)
        skipped = sum(result.state in ("skipped", "not run") for result in self.solutions)
        return {
            "passed": self.count(True),
            "failed": self.count(False),
            "skipped": skipped,
            "pending": pending,
        }

    def summary_line(self) -> str:
        counts = self.summary()
        text = f"{counts['passed']} passed, {counts['failed']} failed"
        return text + "".join(f", {counts[key]} {key}" for key in ("skipped", "pending") if counts[key])

    def as_dict(self) -> dict:
        return {
            "problem": self.problem,
            "package": self.package,
            "time_limit": self.time_limit.as_dict() if self.time_limit else None,
            "solutions": [result.as_dict() for result in self.solutions],
            "warnings": self.warnings,
            "summary": self.summary(),
        }


def problem_time_rules(*, problem: Problem) -> TimeRules:
    """A problem keeps only its multiplier: its margin and resolution are the legacy format's."""
    return TimeRules(multiplier=problem.time_multiplier)


def reference_report_build(
    *, problem: Problem, solutions: list[ReferenceSolution], runs: dict[int, Submission | None],
    rules: TimeRules, time_limit: TimeLimitLine | None, margin_runs: dict[int, Submission] | None = None,
    warnings: list[str] | None = None, package: str = "",
) -> ReferenceReport:  # fmt: skip
    """The report of these solutions' runs at the problem's limit (`runs` by solution id; margin runs
    for the time_limit_exceeded ones that had one)."""
    margin_runs = margin_runs or {}
    results = [
        solution_result(
            solution=solution,
            run=runs.get(solution.id),
            limit=problem.time_limit,
            rules=rules,
            margin_run=margin_runs.get(solution.id),
        )
        for solution in solutions
    ]
    return ReferenceReport(
        time_limit=time_limit, solutions=results, warnings=list(warnings or ()), problem=problem.code,
        package=package,
    )  # fmt: skip


def time_limit_derived(*, timed: list[tuple[str, Submission]], rules: TimeRules) -> TimeLimitLine | None:
    """The limit from accepted runs of (solution name, run): slowest × multiplier, rounded up to the
    resolution, at least 1 s, within the model's range. None when no run was accepted."""
    accepted = [(name, run) for name, run in timed if run.verdict == Verdict.AC and run.max_time is not None]
    if not accepted:
        return None
    name, slowest = max(accepted, key=lambda pair: pair[1].max_time)
    seconds = min(TIME_LIMIT_RANGE[1], time_limit_derive(slowest=slowest.max_time, rules=rules))
    exact = slowest.max_time * rules.multiplier
    return TimeLimitLine(
        seconds=seconds, how="derived", rules=rules, slowest=slowest.max_time, solution=name, exact=exact
    )


def solution_result(
    *, solution: ReferenceSolution, run: Submission | None, limit: float, rules: TimeRules,
    margin_run: Submission | None = None,
) -> SolutionResult:  # fmt: skip
    """One reference solution's line. `run` was judged at `limit`; `margin_run`, for a
    time_limit_exceeded solution, at limit × safety margin (None: that check was not run)."""
    base = {
        "path": f"submissions/{solution.name}",
        "expected": _expected(solution),
        "language": solution.language,
    }
    if solution.language not in LANGUAGES:
        return SolutionResult(**base, state="skipped")
    if run is None:
        return SolutionResult(**base, state="not run")
    if not run.is_finished:
        return SolutionResult(**base, state="pending")
    notes = _margin_notes(solution=solution, run=run, limit=limit, rules=rules, margin_run=margin_run)
    return SolutionResult(
        **base,
        state="done",
        verdict=run.verdict,
        max_time=run.max_time,
        deciding_test=_deciding_test(run=run),
        notes=tuple(notes),
    )


def _expected(solution: ReferenceSolution) -> str:
    if solution.expected == ReferenceSolution.Expected.OTHER:
        return solution.name.split("/", 1)[0]  # the folder's own name
    return solution.expected


def _deciding_test(*, run: Submission) -> str:
    if run.verdict == Verdict.CE:
        return "compilation"
    results = list(run.results.select_related("test_case").order_by("order"))
    if not results:
        return ""
    failed = [result for result in results if result.verdict != Verdict.AC]
    decided = failed[0] if failed else max(results, key=lambda result: result.time)
    return (decided.test_case.name if decided.test_case else "") or f"test {decided.order}"


def _margin_notes(
    *, solution: ReferenceSolution, run: Submission, limit: float, rules: TimeRules,
    margin_run: Submission | None,
) -> list[Note]:  # fmt: skip
    """problemtools' checks: an accepted run within limit / margin (else a warning), a time-limit one
    still over the limit at limit × margin (else an error: it is sensitive to the time limit)."""
    Expected = ReferenceSolution.Expected
    if solution.expected == Expected.ACCEPTED and run.verdict == Verdict.AC and run.max_time is not None:
        if not ac_within_margin(seconds=run.max_time, limit=limit, rules=rules):
            room = limit / rules.safety_margin
            return [Note(WARNING, f"ran in {run.max_time:.2f} s, over limit / safety margin = {room:.2f} s")]
        return []
    if solution.expected != Expected.TIME_LIMIT_EXCEEDED or run.verdict != Verdict.TLE:
        return []
    high = tle_limit(limit=limit, rules=rules)
    if margin_run is None:
        return [Note(INFO, f"not run at limit × safety margin = {high:g} s here (judge_package does)")]
    if margin_run.verdict == Verdict.TLE:
        return [Note(INFO, f"still TLE at limit × safety margin = {high:g} s")]
    time = "-" if margin_run.max_time is None else f"{margin_run.max_time:.2f} s"
    return [Note(ERROR, f"sensitive to the time limit: {margin_run.verdict} in {time} at {high:g} s")]


def result_line(*, result: SolutionResult, width: int = 0) -> str:
    """`path  expected  verdict  max_time  test`, then the notes; one line per reference solution."""
    path, expected = result.path.ljust(width), result.expected.ljust(19)
    if result.state == "skipped":
        return f"{path}  {expected}  skipped  (no language for this file)"
    if result.state != "done":
        return f"{path}  {expected}  {result.state}"
    time = "-" if result.max_time is None else f"{result.max_time:.2f} s"
    line = f"{path}  {expected}  {result.verdict:<3}  {time}"
    line += f"  test {result.deciding_test}" if result.deciding_test else ""
    return line + "".join(f"\n    {note.level}: {note.text}" for note in result.notes)
