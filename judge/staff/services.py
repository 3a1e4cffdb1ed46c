"""Problem validation: run every reference solution through the normal judging pipeline."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.audit import staff_action_note
from accounts.models import User
from judge.staff.reference_report import TimeLimitLine
from judge.staff.selectors import (
    problem_validation_report,
    reference_is_runnable,
    reference_solution_list,
)
from judge.submissions import dispatch, events
from judge.submissions.models import Submission
from judge.submissions.quotas import usage_record
from problems.models import Problem, ReferenceSolution
from problems.selectors import problem_can_edit
from problems.services.authoring import problem_update


def _staff_check(*, user: User, problem: Problem) -> None:
    if not problem_can_edit(user=user, problem=problem):
        raise PermissionDenied("Only staff of the problem's course, school or club may do this.")


def _noted(action: str, *, user: User, problem: Problem, **details) -> None:
    staff_action_note(
        action=action, tenant_id=problem.tenant_id, target=f"problem {problem.code}", actor=user, **details
    )


def reference_run_create(*, problem: Problem, solution: ReferenceSolution, user: User) -> Submission:
    """A queued run of one reference solution, judged like a submission but never shown as one."""
    return Submission.objects.create(
        user=user,
        problem=problem,
        tenant_id=problem.tenant_id,
        kind=Submission.Kind.REFERENCE,
        language=solution.language,
        source=solution.source,
        entry=solution.entry,
        files=solution.files,
        tests_total=problem.tests.count(),
    )


@transaction.atomic
def problem_validate(*, problem: Problem, user: User) -> list[Submission]:
    """Queue one reference run per runnable reference solution, judged like any submission.

    Staff work is not rate limited or held to the tenant's queue quota, but it is counted as usage.
    """
    _staff_check(user=user, problem=problem)
    runs = [
        reference_run_create(problem=problem, solution=solution, user=user)
        for solution in reference_solution_list(problem=problem)
        if reference_is_runnable(solution=solution)
    ]
    if runs:
        usage_record(tenant_id=problem.tenant_id, submissions=len(runs))
    _noted("problem.validate", user=user, problem=problem, runs=len(runs))
    for run in runs:
        dispatch.judging_request(submission_id=run.id)
        events.publish_submission(run)
    return runs


def _reference_source_check(*, source: str) -> None:
    size = len(source.encode())
    if size > settings.JUDGE_MAX_SOURCE_BYTES:
        limit = settings.JUDGE_MAX_SOURCE_BYTES
        raise ValidationError({"source": f"The source is {size} bytes; the limit is {limit} bytes."})
    if not source.strip() or "\x00" in source:
        raise ValidationError({"source": "Paste the program's text (not empty, no NUL bytes)."})


@transaction.atomic
def reference_solution_create(
    *, problem: Problem, user: User, name: str, language: str, source: str, expected: str
) -> ReferenceSolution:
    """Add a reference solution by hand (packages bring theirs along); raises ValidationError."""
    _staff_check(user=user, problem=problem)
    _reference_source_check(source=source)
    if problem.reference_solutions.filter(name=name).exists():
        raise ValidationError({"name": f"This problem already has a reference solution named {name!r}."})
    solution = ReferenceSolution(
        problem=problem, name=name, language=language, source=source, expected=expected
    )
    solution.full_clean()
    solution.save()
    _noted("reference.create", user=user, problem=problem, solution=name)
    return solution


@transaction.atomic
def reference_solution_update(
    *, solution: ReferenceSolution, user: User, name: str, language: str, source: str, expected: str
) -> ReferenceSolution:
    """Edit a reference solution; its old runs stop counting (they ran other code). Raises ValidationError."""
    _staff_check(user=user, problem=solution.problem)
    _reference_source_check(source=source)
    if solution.problem.reference_solutions.filter(name=name).exclude(pk=solution.pk).exists():
        raise ValidationError({"name": f"This problem already has a reference solution named {name!r}."})
    fields = {"name": name, "language": language, "source": source, "expected": expected}
    for field, value in fields.items():
        setattr(solution, field, value)
    solution.full_clean()
    solution.save(update_fields=list(fields))
    _noted("reference.update", user=user, problem=solution.problem, solution=name)
    return solution


def reference_solution_delete(*, solution: ReferenceSolution, user: User) -> None:
    _staff_check(user=user, problem=solution.problem)
    _noted("reference.delete", user=user, problem=solution.problem, solution=solution.name)
    solution.delete()


@transaction.atomic
def problem_time_limit_apply(*, problem: Problem, user: User) -> TimeLimitLine | None:
    """Set the problem's time limit to the validation page's suggestion, computed here, never taken
    from the request, and judge the reference solutions again under it: their runs were timed under
    the old limit, whose verdicts must not stand. None (and nothing changed) when there is no suggestion."""
    _staff_check(user=user, problem=problem)
    suggestion = problem_validation_report(problem=problem).suggestion
    if suggestion is not None and suggestion.seconds != problem.time_limit:
        problem_update(problem=problem, time_limit=suggestion.seconds)
        problem_validate(problem=problem, user=user)
    return suggestion
