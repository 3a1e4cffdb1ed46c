"""Judge one claimed submission: compile once, run every test in its own box, check, give a verdict."""

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

import sandbox
from judge.audit import services as audit
from judge.contests import events as contest_events
from judge.judging import workers
from judge.metrics import hooks as metrics
from judge.submissions import dispatch, events
from judge.submissions.models import Submission, TestResult, Verdict
from judge.submissions.quotas import usage_record
from judge.submissions.scoring import TestOutcome, verdict_aggregate
from problems.models import INCLUDE_DEFAULT, Problem, TestCase

log = logging.getLogger(__name__)

COMPILE_OUTPUT_LIMIT = 16 * 1024
EXCERPT_LIMIT = 2 * 1024
_ACTIVE = (Submission.Status.COMPILING, Submission.Status.RUNNING)
# An internal error is retried once before it is final; the first one's message starts with this.
RETRIED_MARK = "[retried after an internal error]"


def judging_engine() -> sandbox.Engine:
    """The engine settings.SANDBOX_ENGINE names, else the sandbox's default (sandbox.engine_choice)."""
    return sandbox.engine_get(settings.SANDBOX_ENGINE or None)


class JudgingFailed(Exception):
    """The sandbox or a checker broke: the submission gets IE and can be rejudged."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason  # for ojudge_container_failures_total: compile, run, checker, problem_setup


class ClaimLost(Exception):
    """This worker was taken for dead (swept) and the submission was requeued: stop, write nothing."""


def _write(submission: Submission, **fields) -> None:
    """Save fields only while this judging still owns the submission (STYLE rule 10)."""
    owned = Submission.objects.filter(pk=submission.pk, claim=submission.claim, status__in=_ACTIVE)
    if not submission.claim or not owned.update(**fields):
        raise ClaimLost(f"submission {submission.pk} is no longer ours")
    for name, value in fields.items():
        setattr(submission, name, value)


@dataclass
class _Progress:
    outcomes: list[TestOutcome] = field(default_factory=list)


def submission_judge(*, submission: Submission) -> Submission:
    """Judge a submission this worker has claimed (status COMPILING)."""
    events.publish_submission(submission)
    try:
        try:
            program = _compile(submission)
            if program is None:
                return submission
            progress = _run_tests(submission, program)
        except JudgingFailed as exc:
            problem = workers.engine_problem(judging_engine())
            metrics.container_failed(reason="engine_unreachable" if problem else exc.reason)
            if problem:
                return _engine_down(submission, problem)
            return _finish_internal_error(submission, str(exc))
        return _finish(submission, progress)
    except ClaimLost as exc:
        log.warning("%s; leaving it to the judging that owns it now", exc)
        return submission


def program_compile(
    *, problem: Problem, language: str, source: str, entry: str = "", files: dict[str, str] | None = None
) -> sandbox.CompileResult:
    """Compile a submission (or a reference run) of `problem`: its own files, with the problem's include
    files for its language and for every language beside them (they replace files of the same name,
    never the entry itself)."""
    entry, every = program_sources(
        problem=problem, language=language, source=source, entry=entry, files=files
    )
    return _compile_files(language, source, entry, every, judging_engine())


def program_sources(
    *, problem: Problem, language: str, source: str, entry: str = "", files: dict[str, str] | None = None
) -> tuple[str, dict[str, str]]:
    """(entry, the other files) a program of `problem` compiles with: see program_compile."""
    includes = problem.include_files
    include = {**includes.get(INCLUDE_DEFAULT, {}), **includes.get(language, {})}
    if include and not entry:
        entry = sandbox.language_get(language).source_for(source.encode())[0]
    return entry, {**(files or {}), **include}


def _compile_files(
    language: str, source: str, entry: str, files: dict[str, str], engine: sandbox.Engine
) -> sandbox.CompileResult:
    if not entry:
        return sandbox.compile(language=language, source=source, engine=engine)
    every = {**files, entry: source}
    sources = tuple(sandbox.SourceFile(path, text.encode()) for path, text in sorted(every.items()))
    return sandbox.compile(language=language, files=sources, entry=entry, engine=engine)


def _compile(submission: Submission) -> sandbox.Program | None:
    compiled = program_compile(
        problem=submission.problem,
        language=submission.language,
        source=submission.source,
        entry=submission.entry,
        files=submission.files,
    )
    metrics.compile_observed(language=submission.language, result=compiled.result)
    audit.compile_logged(submission=submission, compiled=compiled)
    if compiled.outcome == sandbox.Outcome.IE:
        raise JudgingFailed(f"compile step failed in the sandbox: {compiled.output}", reason="compile")
    if not compile_result_apply(submission=submission, ok=compiled.ok, output=compiled.output):
        return None
    return compiled.program


def compile_result_apply(*, submission: Submission, ok: bool, output: str) -> bool:
    """Record a submission's compile (CE is final; else it runs now); True when its tests are next."""
    if not ok:
        submission.compile_output = output[:COMPILE_OUTPUT_LIMIT]
        _save_final(submission, verdict=Verdict.CE, score=0, max_score=_max_score(submission.problem))
        return False
    _write(
        submission,
        compile_output=output[:COMPILE_OUTPUT_LIMIT],
        status=Submission.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )
    events.publish_submission(submission)
    return True


def problem_limits(problem: Problem) -> sandbox.Limits:
    """A problem's run limits, as judging and the Run box apply them."""
    return sandbox.Limits(
        cpu_time=problem.time_limit,
        memory=problem.memory_limit * sandbox.MiB,
        output=problem.output_limit * 1024,
    )


def tests_ordered(problem: Problem) -> list[TestCase]:
    return list(problem.tests.select_related("group").order_by("-is_sample", "order", "id"))


def _run_tests(submission: Submission, program: sandbox.Program) -> _Progress:
    problem = submission.problem
    check = _check_spec(problem, _checker_program(problem))
    progress, plan = _Progress(), judging_plan(problem)
    for order, test in enumerate(tests_ordered(problem), start=1):
        group = test.group.name if test.group else ""
        if not plan.due(group):
            continue  # the group already scores 0; its other tests change nothing
        outcome = _judge_test(submission, program, check, test, order)
        progress.outcomes.append(outcome)
        if plan.record(group, outcome.verdict):
            break
    return progress


def judging_plan(problem: Problem) -> sandbox.JudgingPlan:
    """Which of the problem's tests a complete judging runs (sandbox/judging.py has the rule)."""
    pass_fail = problem.scoring == Problem.Scoring.PASS_FAIL
    return sandbox.JudgingPlan(
        skip_failed_groups=not pass_fail, stop_on_failure=pass_fail and problem.stop_on_first_failure
    )


def _observed(submission, test: TestCase, order: int, limits: sandbox.Limits, input_data: bytes, run) -> None:
    """Every run goes in the metrics and the execution log, whatever came of it."""
    metrics.run_observed(language=submission.language, tenant=submission.tenant.slug, run=run)
    audit.run_logged(
        submission=submission,
        test_case_id=test.id,
        order=order,
        limits=limits,
        input_data=input_data,
        run=run,
    )


def _check_spec(problem: Problem, checker: sandbox.Program | None) -> sandbox.Check:
    if problem.interactive and checker is None:
        raise JudgingFailed(sandbox.NO_INTERACTOR, reason="problem_setup")
    return sandbox.Check(
        kind=problem.checker,
        abs_tol=problem.float_abs_tolerance,
        rel_tol=problem.float_rel_tolerance,
        case_sensitive=problem.case_sensitive,
        program=checker,
        interactive=problem.interactive,
    )


def _judge_test(submission, program, check: sandbox.Check, test: TestCase, order: int) -> TestOutcome:
    limits = problem_limits(submission.problem)
    input_data = test.read_input()  # read once: the run, a custom checker and the log all need it
    judged = sandbox.test_judge(
        program=program,
        input_data=input_data,
        answer=test.read_answer(),
        limits=limits,
        check=check,
        engine=judging_engine(),
    )
    _observed(submission, test, order, limits, input_data, judged.run)
    if judged.failed:
        reason = "checker" if judged.message.startswith("checker:") else "run"
        raise JudgingFailed(f"test {order}: {judged.message}", reason=reason)
    return test_result_apply(submission=submission, test=test, order=order, judged=judged)


def test_result_apply(
    *, submission: Submission, test: TestCase, order: int, judged: sandbox.TestJudged
) -> TestOutcome:
    """Record one judged test of a submission this judging owns (raises ClaimLost otherwise), whichever
    path judged it: this worker, or a judge host (judge/hosts/)."""
    run, verdict = judged.run, judged.verdict
    result = _record_result(
        submission,
        test_case=test,
        order=order,
        is_sample=test.is_sample,
        group_name=test.group.name if test.group else "",
        verdict=verdict,
        time=run.cpu_time,
        wall_time=run.wall_time,
        memory=run.memory,
        exit_code=run.exit_code,
        signal=run.signal,
        checker_message=judged.message[:2000],
        fraction=judged.fraction,
        output_excerpt=run.stdout[:EXCERPT_LIMIT].decode(errors="replace") if test.is_sample else "",
        # The tail: a traceback ends with the line that says what went wrong.
        stderr_excerpt=run.stderr[-EXCERPT_LIMIT:].decode(errors="replace") if test.is_sample else "",
    )
    events.publish_result(submission, result)
    return TestOutcome(
        order=order,
        group=result.group_name,
        verdict=verdict,
        time=run.cpu_time,
        memory=run.memory,
        fraction=judged.fraction,
    )


def _checker_program(problem: Problem) -> sandbox.Program | None:
    if problem.checker != Problem.Checker.CUSTOM:
        return None
    if not problem.checker_source or not problem.checker_language:
        raise JudgingFailed(
            "the problem uses a custom checker but has no checker source or language", reason="problem_setup"
        )
    files = tuple(sorted(problem.checker_files.items()))
    return _compile_checker(
        problem.checker_language, problem.checker_source, problem.checker_entry, files, judging_engine()
    )


@lru_cache(maxsize=32)
def _compile_checker(
    language: str, source: str, entry: str, files: tuple[tuple[str, str], ...], engine: sandbox.Engine
) -> sandbox.Program:
    compiled = _compile_files(language, source, entry, dict(files), engine)
    if not compiled.ok:
        raise JudgingFailed(
            f"the custom checker does not compile: {compiled.output[:2000]}", reason="problem_setup"
        )
    return compiled.program


def _record_result(submission: Submission, **fields) -> TestResult:
    try:
        with transaction.atomic():
            _write(submission, tests_done=submission.tests_done + 1, heartbeat_at=timezone.now())
            result = TestResult.objects.create(submission=submission, **fields)
    except IntegrityError as exc:
        raise ClaimLost(f"submission {submission.pk} got results from another judging") from exc
    return result


def _max_score(problem: Problem) -> float:
    if problem.scoring == Problem.Scoring.GROUPS:
        return sum(group.points for group in problem.groups.all())
    return 1.0


def _finish(submission: Submission, progress: _Progress) -> Submission:
    return submission_finish(submission=submission, outcomes=progress.outcomes)


def submission_finish(*, submission: Submission, outcomes: list[TestOutcome]) -> Submission:
    """The verdict and score of a submission whose tests were all judged (by either path)."""
    problem = submission.problem
    groups = {group.name: group.points for group in problem.groups.all()}
    summary = verdict_aggregate(
        outcomes=outcomes, group_points=groups, scored=problem.scoring == Problem.Scoring.GROUPS
    )
    submission.max_time = max((o.time for o in outcomes), default=None)
    submission.max_memory = max((o.memory for o in outcomes), default=None)
    usage_record(
        tenant_id=submission.tenant_id, cpu_seconds=sum(o.time for o in outcomes), runs=len(outcomes)
    )
    return _save_final(
        submission, verdict=summary.verdict, score=summary.score, max_score=_max_score(problem)
    )


def judging_failed_apply(*, submission: Submission, message: str, engine_problem: str = "") -> Submission:
    """A judging that broke on a judge host: back to the queue when its engine was down, else an
    internal error (retried once), as for this worker's own judging."""
    if engine_problem:
        return _give_back(submission, internal_message=submission.internal_message)
    return _finish_internal_error(submission, message)


def _engine_down(submission: Submission, problem: str) -> Submission:
    """An engine that cannot be reached gives no verdict: the submission waits for it (status QUEUED)."""
    log.warning("submission %s: the engine is down (%s); giving it back to the queue", submission.id, problem)
    workers.engine_down_note(problem)
    return _give_back(submission, internal_message=submission.internal_message)


def _finish_internal_error(submission: Submission, message: str) -> Submission:
    log.error("submission %s: internal error: %s", submission.id, message)
    if not submission.internal_message.startswith(RETRIED_MARK):
        _give_back(submission, internal_message=f"{RETRIED_MARK} {message}"[:4000])
        dispatch.judging_request(submission_id=submission.id)
        return submission
    submission.internal_message = message[:4000]  # the second time: a real fault of the judge
    return _save_final(submission, verdict=Verdict.IE, score=0, max_score=_max_score(submission.problem))


@transaction.atomic
def _give_back(submission: Submission, *, internal_message: str) -> Submission:
    """Queue again with nothing of this judging kept (no claim, no results): judged from scratch later."""
    _write(
        submission,
        status=Submission.Status.QUEUED,
        claim="",
        started_at=None,
        heartbeat_at=None,
        tests_done=0,
        compile_output="",
        internal_message=internal_message,
        max_time=None,
        max_memory=None,
    )
    TestResult.objects.filter(submission=submission).delete()
    events.publish_submission(submission)
    return submission


@transaction.atomic
def _save_final(submission: Submission, *, verdict: str, score: float, max_score: float) -> Submission:
    _write(
        submission,
        status=Submission.Status.DONE,
        verdict=verdict,
        score=score,
        max_score=max_score,
        judged_at=timezone.now(),
        max_time=submission.max_time,
        max_memory=submission.max_memory,
        compile_output=submission.compile_output,
        internal_message=submission.internal_message,
    )
    metrics.verdict_given(submission=submission)
    transaction.on_commit(lambda: log.info("submission %s judged: %s", submission.id, verdict))
    events.publish_submission(submission)
    contest_events.publish_contest_submission(submission)
    return submission
