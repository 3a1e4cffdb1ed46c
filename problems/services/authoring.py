"""Writing problems from the instructor pages: settings, deletion, hiding."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.audit import staff_action_note
from accounts.models import Tenant
from problems.models import PROBLEM_SETTING_NAMES, Problem
from problems.selectors import problem_has_submissions
from problems.services.testfiles import test_file_names, test_files_discard_on_commit

# The code names the problem's URLs and test files, so it never changes after creation.
EDITABLE_FIELDS = ("tenant", "visibility", *PROBLEM_SETTING_NAMES)


@transaction.atomic
def problem_create(*, tenant: Tenant, code: str, title: str, statement: str, **fields) -> Problem:
    """A new problem; `fields` are any other of EDITABLE_FIELDS (the model's defaults otherwise)."""
    _editable_check(names=fields)
    problem = Problem(tenant=tenant, code=code, title=title, statement=statement, **fields)
    problem.full_clean()
    problem.save()
    staff_action_note(action="problem.create", tenant_id=tenant.id, target=f"problem {code}")
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, **fields) -> Problem:
    _editable_check(names=fields)
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.full_clean()
    problem.save(update_fields=[*fields, "updated_at"])
    staff_action_note(
        action="problem.update", tenant_id=problem.tenant_id, target=f"problem {problem.code}", **fields
    )
    return problem


def _editable_check(*, names) -> None:
    unknown = set(names) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")


def problem_make_draft(*, problem: Problem) -> Problem:
    problem.visibility = Problem.Visibility.DRAFT
    problem.save(update_fields=["visibility", "updated_at"])
    staff_action_note(action="problem.draft", tenant_id=problem.tenant_id, target=f"problem {problem.code}")
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
    staff_action_note(action="problem.delete", tenant_id=problem.tenant_id, target=f"problem {problem.code}")
