"""The Django admin is for site administrators; its writes go through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Membership
from accounts.services import membership_set
from judge.contests.models import ContestProblem
from problems.models import Problem
from tests.factories import ProblemFactory, SubmissionFactory, TenantFactory, TestCaseFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db

PROBLEMS = reverse("admin:problems_problem_changelist")


def _change_url(problem: Problem) -> str:
    return reverse("admin:problems_problem_change", args=[problem.id])


def _delete_url(problem: Problem) -> str:
    return reverse("admin:problems_problem_delete", args=[problem.id])


@pytest.fixture
def school():
    tenant = TenantFactory(name="Alpha Academy")
    instructor = UserFactory()
    membership_set(user=instructor, tenant=tenant, role=Membership.Role.INSTRUCTOR)
    instructor.refresh_from_db()
    return {"tenant": tenant, "instructor": instructor, "problem": ProblemFactory(tenant=tenant)}


@pytest.fixture
def site_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def _assert_sent_to_login(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_instructor_even_with_the_staff_flag_is_kept_out(client, school):
    """Before: instructors used the admin and deleted problems with submissions through it."""
    instructor, problem = school["instructor"], school["problem"]
    SubmissionFactory(problem=problem)
    instructor.is_staff = True
    instructor.save(update_fields=["is_staff"])
    client.force_login(instructor)

    for url in (reverse("admin:index"), PROBLEMS, _change_url(problem)):
        _assert_sent_to_login(client.get(url))
    _assert_sent_to_login(client.post(_delete_url(problem), {"post": "yes"}))
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_a_student_and_an_anonymous_visitor_are_sent_to_the_login(client, school):
    _assert_sent_to_login(client.get(PROBLEMS))
    student = UserFactory()
    membership_set(user=student, tenant=school["tenant"], role=Membership.Role.STUDENT)
    client.force_login(student)
    _assert_sent_to_login(client.get(PROBLEMS))


def test_the_site_admin_sees_every_tenant(client, site_admin, school):
    other = ProblemFactory(tenant=TenantFactory())

    response = client.get(PROBLEMS)

    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == {school["problem"], other}


def test_a_problem_with_submissions_cannot_be_deleted_in_the_admin(client, site_admin, school):
    problem = school["problem"]
    SubmissionFactory(problem=problem)

    assert client.get(_delete_url(problem)).status_code == 403
    assert client.post(_delete_url(problem), {"post": "yes"}).status_code == 403
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_deleting_a_problem_in_the_admin_removes_its_test_files(
    client, site_admin, school, django_capture_on_commit_callbacks
):
    test = TestCaseFactory(problem=school["problem"])
    storage, name = test.input_file.storage, test.input_file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_delete_url(school["problem"]), {"post": "yes"})

    assert response.status_code == 302
    assert not Problem.objects.filter(pk=school["problem"].pk).exists()
    assert not storage.exists(name)


def test_test_data_is_read_only_in_the_admin(client, site_admin, school):
    TestCaseFactory(problem=school["problem"])

    response = client.get(_change_url(school["problem"]))

    tests = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.model.__name__ == "TestCase"
    )
    assert not tests.has_add_permission and not tests.has_delete_permission
    assert reverse("manage:tests", args=[school["problem"].code]) in response.content.decode()


def test_a_submission_is_read_only_in_the_admin(client, site_admin, school):
    submission = SubmissionFactory(problem=school["problem"])

    response = client.get(reverse("admin:judge_submission_change", args=[submission.id]))

    assert response.status_code == 200
    assert "contest" not in response.context["adminform"].form.fields


def test_a_contest_cannot_use_another_tenants_problem():
    contest = contest_make(world_make())
    foreign = ProblemFactory(tenant=TenantFactory())
    entry = ContestProblem(contest=contest, problem=foreign, label="Z")

    with pytest.raises(ValidationError):
        entry.full_clean()
