"""Judge one test: run the program (or let it talk to the interactor), then check its output.

Both judging paths use it: the site's in-process worker (judge/judging/services.py) and a judge host
(sandbox/host/). Verdicts are the site's two- and three-letter codes; `failed` means the judge broke.
"""

from dataclasses import dataclass, field

from sandbox import checkers
from sandbox.engines.base import Engine
from sandbox.interactive import interact
from sandbox.runner import execute
from sandbox.types import Limits, Outcome, Program, RunResult

CHECK_KINDS = ("tokens", "exact", "float", "custom")
NO_INTERACTOR = "an interactive problem needs an interactor (the custom checker program)"
_RUN_VERDICTS = {Outcome.TLE: "TLE", Outcome.MLE: "MLE", Outcome.OLE: "OLE", Outcome.RE: "RE"}


@dataclass(frozen=True)
class Check:
    """How outputs are checked: a built-in comparison, or a custom checker (an interactor when
    `interactive`) that was compiled beforehand."""

    kind: str = "tokens"  # one of CHECK_KINDS
    abs_tol: float = 1e-6
    rel_tol: float = 1e-6
    case_sensitive: bool = True
    program: Program | None = None  # the custom checker or the interactor
    interactive: bool = False


@dataclass
class JudgingPlan:
    """Which tests a complete judging runs, one rule for the site's worker, a judge host and the site
    checking a host's report: pass/fail scoring may stop at the first failure; in group scoring a
    failed group's other tests change nothing, so they are skipped."""

    skip_failed_groups: bool
    stop_on_failure: bool
    failed_groups: set[str] = field(default_factory=set)

    def due(self, group: str) -> bool:
        return not (self.skip_failed_groups and group and group in self.failed_groups)

    def record(self, group: str, verdict: str) -> bool:
        """Note a judged test's verdict; True when the judging stops here."""
        if verdict == "AC":
            return False
        self.failed_groups.add(group)
        return self.stop_on_failure


@dataclass(frozen=True)
class TestJudged:
    verdict: str  # AC WA TLE MLE OLE RE; meaningless when `failed`
    message: str
    fraction: float | None  # partial credit from a checker's score.txt
    run: RunResult
    failed: bool = False  # the sandbox, the checker or the interactor broke: an internal error


def test_judge(
    *, program: Program, input_data: bytes, answer: bytes, limits: Limits, check: Check, engine: Engine
) -> TestJudged:
    if check.interactive:
        return _interact(program, input_data, answer, limits, check, engine)
    run = execute(program=program, stdin=input_data, limits=limits, engine=engine)
    if run.outcome == Outcome.IE:
        return TestJudged("", run.message, None, run, failed=True)
    if (verdict := _RUN_VERDICTS.get(run.outcome)) is not None:
        return TestJudged(verdict, run.message, None, run)
    checked = _check(check, input_data, answer, run.stdout, engine)
    if checked.failed:
        return TestJudged("", f"checker: {checked.message}", None, run, failed=True)
    return TestJudged("AC" if checked.accepted else "WA", checked.message, checked.score, run)


def _interact(program, input_data, answer, limits, check: Check, engine: Engine) -> TestJudged:
    if check.program is None:
        return TestJudged("", NO_INTERACTOR, None, RunResult(Outcome.IE), failed=True)
    done = interact(
        program=program,
        interactor=check.program,
        input_data=input_data,
        answer=answer,
        limits=limits,
        engine=engine,
    )
    if done.failed:
        return TestJudged("", done.message, None, done.program, failed=True)
    verdict = _RUN_VERDICTS.get(done.outcome) or ("AC" if done.accepted else "WA")
    return TestJudged(verdict, done.message, None, done.program)


def _check(check: Check, input_data: bytes, answer: bytes, output: bytes, engine: Engine):
    if check.kind == "custom":
        if check.program is None:
            return checkers.CheckResult(False, "a custom checker was asked for but none given", failed=True)
        return checkers.check_custom(
            checker=check.program, input_data=input_data, answer=answer, output=output, engine=engine
        )
    if check.kind == "exact":
        return checkers.check_exact(output=output, answer=answer)
    if check.kind == "float":
        return checkers.check_float(
            output=output,
            answer=answer,
            abs_tol=check.abs_tol,
            rel_tol=check.rel_tol,
            case_sensitive=check.case_sensitive,
        )
    return checkers.check_tokens(output=output, answer=answer, case_sensitive=check.case_sensitive)
