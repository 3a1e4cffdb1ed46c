from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import tenant_ids_for_member, tenant_ids_for_staff
from problems.models import Problem, TestCase


def _visible_filter(*, user: User) -> Q:
    if user.is_authenticated and user.is_superuser:
        return Q()
    visible = Q(visibility=Problem.Visibility.PUBLIC)
    if user.is_authenticated:
        visible |= Q(visibility=Problem.Visibility.TENANT, tenant_id__in=tenant_ids_for_member(user=user))
        visible |= Q(tenant_id__in=tenant_ids_for_staff(user=user))
    return visible


def problem_list_visible(*, user: User) -> QuerySet[Problem]:
    return Problem.objects.filter(_visible_filter(user=user)).select_related("tenant")


def problem_get_for_user(*, user: User, code: str) -> Problem:
    """The one way to reach a problem: anything this user may not see is a 404, never a 403."""
    try:
        return problem_list_visible(user=user).get(code=code)
    except Problem.DoesNotExist:
        raise Http404("No such problem") from None


def problem_can_edit(*, user: User, problem: Problem) -> bool:
    return user.is_authenticated and problem.tenant_id in tenant_ids_for_staff(user=user)


def problem_list_editable(*, user: User) -> QuerySet[Problem]:
    return Problem.objects.filter(tenant_id__in=tenant_ids_for_staff(user=user))


def problem_samples(*, problem: Problem) -> QuerySet[TestCase]:
    return problem.tests.filter(is_sample=True).order_by("order", "id")


def site_stats(*, user: User) -> dict[str, int]:
    return {"problems": problem_list_visible(user=user).count()}
