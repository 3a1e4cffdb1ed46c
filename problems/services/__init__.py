from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import Tenant
from problems.models import Problem, TestCase, TestGroup
from problems.services.testfiles import test_case_build


@transaction.atomic
def problem_create(*, tenant: Tenant, code: str, title: str, statement: str, **fields) -> Problem:
    problem = Problem(tenant=tenant, code=code, title=title, statement=statement, **fields)
    problem.full_clean()
    problem.save()
    return problem


def test_group_get_or_create(*, problem: Problem, name: str, points: float = 0) -> TestGroup:
    order = problem.groups.count()
    group, created = TestGroup.objects.get_or_create(
        problem=problem, name=name, defaults={"points": points, "order": order}
    )
    if not created and group.points != points and points:
        group.points = points
        group.save(update_fields=["points"])
    return group


@transaction.atomic
def test_case_create(
    *,
    problem: Problem,
    input_data: bytes,
    answer_data: bytes,
    is_sample: bool = False,
    group: TestGroup | None = None,
    name: str = "",
) -> TestCase:
    if group is not None and group.problem_id != problem.id:
        raise ValidationError("The test group belongs to another problem.")
    order = (problem.tests.aggregate(m=Max("order"))["m"] or 0) + 1
    test = test_case_build(
        problem=problem,
        order=order,
        name=name or f"test {order}",
        is_sample=is_sample,
        group=group,
        input_data=input_data,
        answer_data=answer_data,
    )
    test.save()
    return test
