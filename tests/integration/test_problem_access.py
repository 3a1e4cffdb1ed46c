import pytest
from django.http import Http404

from accounts.models import Membership
from problems.models import Problem
from problems.selectors import problem_can_edit, problem_get_for_user, problem_list_visible
from tests.factories import MembershipFactory, ProblemFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    tenant = TenantFactory()
    return {
        "tenant": tenant,
        "student": MembershipFactory(tenant=tenant).user,
        "instructor": MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user,
        "public": ProblemFactory(tenant=tenant, visibility=Problem.Visibility.PUBLIC),
        "members": ProblemFactory(tenant=tenant, visibility=Problem.Visibility.TENANT),
        "draft": ProblemFactory(tenant=tenant, visibility=Problem.Visibility.DRAFT),
    }


def test_student_sees_public_and_own_tenant_problems_but_not_drafts(school):
    visible = set(problem_list_visible(user=school["student"]))
    assert visible == {school["public"], school["members"]}
    with pytest.raises(Http404):
        problem_get_for_user(user=school["student"], code=school["draft"].code)


def test_student_of_another_tenant_sees_only_public(school):
    outsider = MembershipFactory().user
    assert set(problem_list_visible(user=outsider)) == {school["public"]}
    with pytest.raises(Http404):
        problem_get_for_user(user=outsider, code=school["members"].code)


def test_anonymous_sees_only_public(school):
    from django.contrib.auth.models import AnonymousUser

    assert set(problem_list_visible(user=AnonymousUser())) == {school["public"]}


def test_instructor_sees_drafts_of_own_tenant_and_can_edit_only_those(school):
    instructor = school["instructor"]
    assert problem_get_for_user(user=instructor, code=school["draft"].code) == school["draft"]
    assert problem_can_edit(user=instructor, problem=school["draft"])
    foreign = ProblemFactory(visibility=Problem.Visibility.PUBLIC)
    assert not problem_can_edit(user=instructor, problem=foreign)
    foreign_draft = ProblemFactory(visibility=Problem.Visibility.DRAFT)
    with pytest.raises(Http404):
        problem_get_for_user(user=instructor, code=foreign_draft.code)


def test_superuser_sees_everything(school):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(problem_list_visible(user=admin)) >= {school["public"], school["members"], school["draft"]}
