"""The admin is scoped by tenant: instructors manage only their own tenants' problems and tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership
from accounts.services import membership_set
from problems.models import Problem, ReferenceSolution, TestCase
from tests.factories import ProblemFactory, SubmissionFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

PROBLEMS = reverse("admin:problems_problem_changelist")


def _login(client, user):
    client.force_login(user)


@pytest.fixture
def tenants():
    mine, theirs = TenantFactory(name="Alpha Academy"), TenantFactory(name="Beta Institute")
    instructor = UserFactory()
    membership_set(user=instructor, tenant=mine, role=Membership.Role.INSTRUCTOR)
    return {
        "mine": mine,
        "theirs": theirs,
        "instructor": instructor,
        "own": ProblemFactory(tenant=mine, code="alpha-one", title="Alpha One"),
        "own_draft": ProblemFactory(
            tenant=mine, code="alpha-draft", title="Alpha Draft", visibility=Problem.Visibility.DRAFT
        ),
        "foreign": ProblemFactory(tenant=theirs, code="beta-one", title="Beta One"),
        "foreign_draft": ProblemFactory(
            tenant=theirs, code="beta-draft", title="Beta Draft", visibility=Problem.Visibility.DRAFT
        ),
    }


def _change_url(problem: Problem) -> str:
    return reverse("admin:problems_problem_change", args=[problem.id])


def _problem_form(problem: Problem, **changes) -> dict:
    data = {
        "code": problem.code,
        "title": problem.title,
        "tenant": problem.tenant_id,
        "visibility": problem.visibility,
        "statement": problem.statement,
        "time_limit": problem.time_limit,
        "memory_limit": problem.memory_limit,
        "output_limit": problem.output_limit,
        "time_multiplier": problem.time_multiplier,
        "case_sensitive": "on",
        "checker": problem.checker,
        "float_abs_tolerance": problem.float_abs_tolerance,
        "float_rel_tolerance": problem.float_rel_tolerance,
        "checker_language": "",
        "checker_source": "",
        "scoring": problem.scoring,
        "stop_on_first_failure": "on",
    }
    for prefix in ("groups", "tests", "reference_solutions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **changes}


def test_membership_set_makes_an_instructor_staff(tenants):
    assert tenants["instructor"].is_staff
    assert not tenants["instructor"].is_superuser


def test_instructor_sees_only_own_tenant_problems_in_the_list(client, tenants):
    _login(client, tenants["instructor"])

    response = client.get(PROBLEMS)

    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == {tenants["own"], tenants["own_draft"]}
    body = response.content.decode()
    assert "alpha-one" in body
    assert "beta-one" not in body
    assert "beta-draft" not in body


def test_instructor_cannot_open_another_tenants_problem(client, tenants):
    _login(client, tenants["instructor"])

    response = client.get(_change_url(tenants["foreign_draft"]))

    assert response.status_code in (302, 403, 404)
    assert "Beta Draft" not in response.content.decode()


def test_instructor_opens_own_problem(client, tenants):
    _login(client, tenants["instructor"])

    response = client.get(_change_url(tenants["own"]))

    assert response.status_code == 200
    assert "Alpha One" in response.content.decode()


def test_instructor_can_edit_own_problem(client, tenants):
    _login(client, tenants["instructor"])

    response = client.post(_change_url(tenants["own"]), _problem_form(tenants["own"], title="Alpha Renamed"))

    assert response.status_code == 302
    tenants["own"].refresh_from_db()
    assert tenants["own"].title == "Alpha Renamed"


def test_instructor_cannot_post_changes_to_another_tenants_problem(client, tenants):
    foreign = tenants["foreign"]
    _login(client, tenants["instructor"])

    form = _problem_form(foreign, title="Hijacked", tenant=tenants["mine"].id)
    response = client.post(_change_url(foreign), form)

    assert response.status_code in (302, 403, 404)
    foreign.refresh_from_db()
    assert foreign.title == "Beta One"
    assert foreign.tenant == tenants["theirs"]


def test_instructor_cannot_delete_another_tenants_problem(client, tenants):
    _login(client, tenants["instructor"])
    url = reverse("admin:problems_problem_delete", args=[tenants["foreign"].id])

    response = client.post(url, {"post": "yes"})

    assert response.status_code in (302, 403, 404)
    assert Problem.objects.filter(pk=tenants["foreign"].pk).exists()


def test_instructor_cannot_create_a_problem_in_another_tenant(client, tenants):
    _login(client, tenants["instructor"])
    template = Problem(code="sneaky", title="Sneaky", statement="x", tenant=tenants["theirs"])

    response = client.post(reverse("admin:problems_problem_add"), _problem_form(template))

    assert response.status_code == 200
    assert "tenant" in response.context["adminform"].form.errors
    assert not Problem.objects.filter(code="sneaky").exists()


def test_instructor_manages_test_groups_and_cases_of_own_problem_inline(client, tenants):
    """The problem page is where tests and subtasks are edited: the inlines must be there for instructors."""
    _login(client, tenants["instructor"])

    response = client.get(_change_url(tenants["own"]))

    inline_models = {formset.formset.model for formset in response.context["inline_admin_formsets"]}
    assert inline_models == {TestCase, tenants["own"].groups.model, ReferenceSolution}


def test_instructor_cannot_add_a_test_case_to_another_tenants_problem(client, tenants):
    _login(client, tenants["instructor"])

    response = client.post(
        reverse("admin:problems_testcase_add"),
        {
            "problem": tenants["foreign"].id,
            "order": 1,
            "name": "planted",
            "input_file": SimpleUploadedFile("x.in", b"1 2\n"),
            "answer_file": SimpleUploadedFile("x.ans", b"3\n"),
        },
    )

    assert response.status_code in (200, 403)
    assert not TestCase.objects.filter(problem=tenants["foreign"]).exists()


def test_instructor_test_case_form_offers_only_own_problems(client, tenants):
    _login(client, tenants["instructor"])

    response = client.get(reverse("admin:problems_testcase_add"))

    assert response.status_code == 200
    offered = set(response.context["adminform"].form.fields["problem"].queryset)
    assert offered == {tenants["own"], tenants["own_draft"]}


def test_instructor_sees_only_own_tenant_submissions(client, tenants):
    own = SubmissionFactory(problem=tenants["own"])
    SubmissionFactory(problem=tenants["foreign"])
    _login(client, tenants["instructor"])

    response = client.get(reverse("admin:judge_submission_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [own]


def test_instructor_cannot_manage_tenants_or_quotas(client, tenants):
    _login(client, tenants["instructor"])

    for name in ("admin:accounts_tenant_changelist", "admin:judge_tenantquota_changelist"):
        assert client.get(reverse(name)).status_code == 403


def test_student_cannot_use_the_admin(client, tenants):
    student = UserFactory()
    membership_set(user=student, tenant=tenants["mine"], role=Membership.Role.STUDENT)
    student.refresh_from_db()
    assert not student.is_staff
    _login(client, student)

    for url in (reverse("admin:index"), PROBLEMS, _change_url(tenants["own"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_staff_flag_without_a_staff_membership_shows_no_problems(client, tenants):
    drifter = UserFactory(is_staff=True)
    _login(client, drifter)

    response = client.get(PROBLEMS)

    assert response.status_code == 403


def test_anonymous_is_sent_to_the_admin_login(client, tenants):
    response = client.get(PROBLEMS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_superuser_sees_all_problems(client, tenants):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _login(client, admin)

    response = client.get(PROBLEMS)

    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == set(Problem.objects.all())
    assert client.get(_change_url(tenants["foreign_draft"])).status_code == 200
