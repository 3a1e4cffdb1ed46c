"""Writing problems from the instructor pages: settings, deletion, hiding."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from problems.models import Problem
from problems.selectors import problem_has_submissions
from problems.services.testfiles import test_file_names, test_files_discard_on_commit

# The code names the problem's URLs and test files, so it never changes after creation.
EDITABLE_FIELDS = (
    "title",
    "tenant",
    "visibility",
    "statement",
    "time_limit",
    "memory_limit",
    "output_limit",
    "checker",
    "float_abs_tolerance",
    "float_rel_tolerance",
    "checker_language",
    "checker_source",
    "scoring",
    "stop_on_first_failure",
)


@transaction.atomic
def problem_update(*, problem: Problem, **fields) -> Problem:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.full_clean()
    problem.save(update_fields=[*fields, "updated_at"])
    return problem


def problem_make_draft(*, problem: Problem) -> Problem:
    problem.visibility = Problem.Visibility.DRAFT
    problem.save(update_fields=["visibility", "updated_at"])
    return problem


@transaction.atomic
def problem_delete(*, problem: Problem) -> None:
    """Delete a problem and its test data. Refused once anyone has submitted: their history would go too."""
    if problem_has_submissions(problem=problem):
        raise ValidationError("This problem has submissions; make it a draft instead of deleting it.")
    names = test_file_names(problem.tests.all())
    try:
        problem.delete()
    except ProtectedError:
        raise ValidationError(
            "This problem is used elsewhere (in a contest); remove it there first."
        ) from None
    test_files_discard_on_commit(names=names)
