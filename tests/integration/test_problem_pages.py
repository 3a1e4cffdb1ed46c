import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, Tenant, User
from problems.models import Problem, TestCase, TestGroup
from problems.services.testdata import test_case_add as add_test
from tests.factories import MembershipFactory, ProblemFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

STATEMENT = "Add $a_1$ and $b$.\n\n## Input\n\nTwo **integers**.\n\n<script>alert('x')</script>\n"


def _login(client, user):
    client.force_login(user)


@pytest.fixture
def school():
    tenant = TenantFactory(name="North School")
    public = ProblemFactory(tenant=tenant, code="addition", title="Addition Drill", statement=STATEMENT)
    add_test(problem=public, input_data=b"17 25\n", answer_data=b"42\n", is_sample=True, group=None)
    add_test(
        problem=public, input_data=b"123456 654321\n", answer_data=b"777777\n", is_sample=False, group=None
    )
    other = TenantFactory(name="South School")
    hidden = Problem.Visibility
    return {
        "tenant": tenant,
        "student": MembershipFactory(tenant=tenant).user,
        "public": public,
        "members": ProblemFactory(tenant=tenant, title="Members Only", visibility=hidden.TENANT),
        "draft": ProblemFactory(tenant=tenant, title="Secret Draft", visibility=hidden.DRAFT),
        "foreign": ProblemFactory(tenant=other, title="South Private", visibility=hidden.TENANT),
        "foreign_draft": ProblemFactory(tenant=other, title="South Draft", visibility=hidden.DRAFT),
    }


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_home_and_list_render_for_anyone(client, school, who):
    if who == "student":
        _login(client, school["student"])

    home = client.get(reverse("home"))
    listing = client.get(reverse("problems:list"))

    assert home.status_code == 200
    assert listing.status_code == 200
    assert "Addition Drill" in home.content.decode()
    assert "Addition Drill" in listing.content.decode()


def test_list_shows_anonymous_only_public_problems(client, school):
    response = client.get(reverse("problems:list"))

    assert set(response.context["problems"]) == {school["public"]}
    body = response.content.decode()
    for hidden in ("Members Only", "Secret Draft", "South Private", "South Draft"):
        assert hidden not in body


def test_list_shows_student_public_and_own_tenant_problems(client, school):
    _login(client, school["student"])

    response = client.get(reverse("problems:list"))

    assert set(response.context["problems"]) == {school["public"], school["members"]}
    body = response.content.decode()
    assert "Members Only" in body
    for hidden in ("Secret Draft", "South Private", "South Draft"):
        assert hidden not in body


def test_home_shows_student_only_visible_problems(client, school):
    _login(client, school["student"])

    response = client.get(reverse("home"))

    assert set(response.context["problems"]) <= {school["public"], school["members"]}
    for hidden in ("Secret Draft", "South Private", "South Draft"):
        assert hidden not in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_detail_shows_rendered_statement_and_samples(client, school, who):
    if who == "student":
        _login(client, school["student"])

    response = client.get(reverse("problems:detail", args=["addition"]))

    assert response.status_code == 200
    html = response.context["statement_html"]
    assert '<span class="math math-inline">a_1</span>' in html
    assert "<h2>Input</h2>" in html
    assert "<strong>integers</strong>" in html
    assert "<script>" not in html
    assert response.context["samples"] == [
        {"index": 1, "input": "17 25\n", "answer": "42\n", "truncated": False}
    ]
    body = response.content.decode()
    assert "Addition Drill" in body
    assert html in body
    assert "17 25" in body
    assert "42" in body
    assert "<script>alert" not in body


def test_detail_never_shows_hidden_test_data(client, school):
    _login(client, school["student"])

    body = client.get(reverse("problems:detail", args=["addition"])).content.decode()

    assert "123456" not in body
    assert "777777" not in body


def test_student_sees_own_tenant_problem(client, school):
    _login(client, school["student"])

    assert client.get(reverse("problems:detail", args=[school["members"].code])).status_code == 200
    assert client.get(reverse("api:problem_detail", args=[school["members"].code])).status_code == 200


@pytest.mark.parametrize("key", ["draft", "foreign", "foreign_draft"])
def test_hidden_problems_are_404_for_a_student(client, school, key):
    _login(client, school["student"])
    code = school[key].code

    page = client.get(reverse("problems:detail", args=[code]))
    api = client.get(reverse("api:problem_detail", args=[code]))

    assert page.status_code == 404
    assert api.status_code == 404
    assert api["Content-Type"].startswith("application/json")
    assert school[key].title not in page.content.decode()


@pytest.mark.parametrize("key", ["members", "draft", "foreign"])
def test_hidden_problems_are_404_for_anonymous(client, school, key):
    code = school[key].code

    assert client.get(reverse("problems:detail", args=[code])).status_code == 404
    assert client.get(reverse("api:problem_detail", args=[code])).status_code == 404


def test_unknown_problem_is_404(client):
    assert client.get(reverse("problems:detail", args=["nope"])).status_code == 404


def test_instructor_sees_own_draft_with_edit_link(client, school):
    instructor = MembershipFactory(tenant=school["tenant"], role=Membership.Role.INSTRUCTOR).user
    _login(client, instructor)

    response = client.get(reverse("problems:detail", args=[school["draft"].code]))

    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert client.get(reverse("problems:detail", args=[school["foreign_draft"].code])).status_code == 404


def _sample_counts() -> dict[str, int]:
    return {
        "tenants": Tenant.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "problems": Problem.objects.count(),
        "tests": TestCase.objects.count(),
        "groups": TestGroup.objects.count(),
    }


def test_load_samples_is_idempotent_and_creates_the_demo(client):
    call_command("load_samples", stdout=None)
    first = _sample_counts()
    call_command("load_samples", stdout=None)

    assert _sample_counts() == first
    assert first["tenants"] == 1
    assert set(Problem.objects.values_list("code", flat=True)) == {
        "aplusb",
        "sorting",
        "triangle",
        "subarray",
        "vowels",
    }
    assert set(User.objects.values_list("username", flat=True)) == {"admin", "instructor", "student"}
    demo = Tenant.objects.get(slug="demo")
    assert demo.join_code
    assert Problem.objects.filter(tenant=demo).count() == 5
    roles = dict(Membership.objects.filter(tenant=demo).values_list("user__username", "role"))
    assert roles == {"instructor": Membership.Role.INSTRUCTOR, "student": Membership.Role.STUDENT}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="instructor").is_staff
    assert not User.objects.get(username="student").is_staff
    subarray = Problem.objects.get(code="subarray")
    assert sum(subarray.groups.values_list("points", flat=True)) == 100
    assert subarray.tests.filter(is_sample=True).count() == 2


def test_after_load_samples_student_logs_in_and_reads_aplusb_but_outsiders_not_vowels(client):
    call_command("load_samples", stdout=None)

    login = client.post(reverse("accounts:login"), {"username": "student", "password": "student-pass-123"})
    assert login.status_code == 302  # through the real login page (axes needs the request)
    response = client.get(reverse("problems:detail", args=["aplusb"]))

    assert response.status_code == 200
    assert "Sum of Two Numbers" in response.content.decode()
    sample = {"index": 1, "input": "1 2\n", "answer": "3\n", "truncated": False}
    assert response.context["samples"][0] == sample
    assert client.get(reverse("problems:detail", args=["vowels"])).status_code == 200

    _login(client, UserFactory())  # not in the demo tenant
    assert client.get(reverse("problems:detail", args=["aplusb"])).status_code == 200
    assert client.get(reverse("problems:detail", args=["vowels"])).status_code == 404
