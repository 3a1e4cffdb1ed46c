"""Every problem setting survives each way in and out: the manage page, the admin, a package and the API.

The settings are found from the model itself (its editable fields, less the problem's identity and
provenance), so a new field that one of the paths forgets fails here.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership
from problems.models import Problem
from problems.services import testdata  # its test_* names must not be collected
from problems.services.packages import NOT_IN_PACKAGES, problem_export_package, problem_import_package
from tests.factories import MembershipFactory, ProblemFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

# A checker's other files and the include files come only from packages: test_problem_export and
# test_package_files take them round.
PROGRAM_FILES = {"checker_entry", "checker_files", "include_files"}
NOT_SETTINGS = {"id", "code", "tenant", "visibility", "statement_source", "source_package", *PROGRAM_FILES}
SETTINGS = [f.name for f in Problem._meta.concrete_fields if f.editable and f.name not in NOT_SETTINGS]
# Two problems, because a package cannot carry both a custom checker and the default checker's flags;
# between them every setting has a value other than its default.
INTERACTIVE = {
    "title": "Talk Back",
    "statement": "Answer the *interactor*.",  # a form strips the text around it
    "tags": ["interactive", "binary-search"],
    "difficulty": Problem.Difficulty.HARD,
    "time_limit": 2.5,
    "memory_limit": 512,
    "output_limit": 2048,
    "time_multiplier": 3.5,
    "checker": Problem.Checker.CUSTOM,
    "case_sensitive": True,
    "interactive": True,
    "float_abs_tolerance": 1e-6,
    "float_rel_tolerance": 1e-6,
    "checker_language": "python",
    "checker_source": "import sys\nsys.exit(42)",
    "scoring": Problem.Scoring.GROUPS,
    "stop_on_first_failure": False,
}
FLOAT = {
    **INTERACTIVE,
    "title": "Circle Area",
    "statement": "Print $\\pi r^2$.",
    "tags": ["geometry"],
    "difficulty": Problem.Difficulty.EASY,
    "checker": Problem.Checker.FLOAT,
    "case_sensitive": False,
    "interactive": False,
    "float_abs_tolerance": 0.25,
    "float_rel_tolerance": 0.125,
    "checker_language": "",
    "checker_source": "",
    "scoring": Problem.Scoring.PASS_FAIL,
}
VARIANTS = pytest.mark.parametrize("values", [INTERACTIVE, FLOAT], ids=["interactive", "float"])
# What a contestant needs to solve the problem, as on its page; how it is checked stays private
# (the checker's source may hold the solution) and so do the authoring details (time multiplier).
API_PUBLISHED = {
    "title", "statement", "tags", "difficulty", "time_limit", "memory_limit", "output_limit", "checker",
    "scoring",
}  # fmt: skip


def _default(name: str):
    return Problem._meta.get_field(name).get_default()


def _settings(problem: Problem) -> dict:
    problem.refresh_from_db()
    return {name: getattr(problem, name) for name in SETTINGS}


def _post_data(values: dict) -> dict:
    """Form data as a browser sends it: an unticked checkbox is not sent at all, tags are typed text."""
    return {
        name: ", ".join(value) if isinstance(value, list) else value
        for name, value in values.items()
        if value is not False
    }


def test_the_variants_give_every_setting_a_value_other_than_its_default():
    assert set(INTERACTIVE) == set(FLOAT) == set(SETTINGS)
    unchanged = [name for name in SETTINGS if all(v[name] == _default(name) for v in (INTERACTIVE, FLOAT))]
    assert unchanged == []


def test_the_list_of_settings_is_the_models():
    from problems.models import PROBLEM_SETTING_NAMES

    assert sorted(PROBLEM_SETTING_NAMES) == sorted(SETTINGS)


@VARIANTS
def test_every_setting_survives_an_edit_on_the_manage_page(client, values):
    """Before: the page said "Saved" but dropped time_multiplier, case_sensitive and interactive."""
    tenant = TenantFactory()
    client.force_login(MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user)
    problem = ProblemFactory(tenant=tenant)
    data = _post_data({**values, "tenant": tenant.pk, "visibility": "tenant"})
    response = client.post(reverse("manage:problem_edit", args=[problem.code]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert _settings(problem) == values


@VARIANTS
def test_every_setting_survives_a_save_in_the_admin(client, values):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    problem = ProblemFactory()
    url = reverse("admin:problems_problem_change", args=[problem.id])
    page = client.get(url)
    data = {"code": problem.code, "tenant": problem.tenant_id, "visibility": "tenant", "_save": "Save"}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, {**data, **_post_data(values)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _settings(problem) == values


@VARIANTS
def test_every_setting_survives_export_then_import(values):
    original = ProblemFactory(**values)
    testdata.test_case_add(
        problem=original, input_data=b"1\n", answer_data=b"1\n", is_sample=True, group=None
    )
    package = problem_export_package(problem=original)
    copy = problem_import_package(tenant=original.tenant, path_or_bytes=package, code="copy").problem
    carried = {name: value for name, value in values.items() if name not in NOT_IN_PACKAGES}
    assert {name: value for name, value in _settings(copy).items() if name in carried} == carried
    assert set(values) - set(carried) == {"difficulty"}  # problem.yaml has no key for it


@VARIANTS
def test_the_api_publishes_what_a_contestant_needs(client, values):
    problem = ProblemFactory(**values, visibility=Problem.Visibility.PUBLIC)
    body = client.get(f"/api/problems/{problem.code}/").json()
    assert {name: body[name] for name in API_PUBLISHED} == {name: values[name] for name in API_PUBLISHED}
    assert set(SETTINGS) - API_PUBLISHED <= set(SETTINGS) - set(body)  # the checker's source never leaks


# ---------- rules between settings hold on every way in ----------

RULES = pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"checker": "custom", "checker_source": "x"}, "checker_language", "Choose the language"),
        ({"checker": "custom", "checker_language": "python"}, "checker_source", "Paste the source"),
        ({"interactive": True}, "interactive", "An interactive problem needs a custom checker"),
    ],
)


@RULES
def test_the_admin_keeps_the_rules_between_settings(client, values, field, message):
    """Before: the rules lived in the authoring form, so the admin saved a custom checker without a source."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    problem = ProblemFactory()
    url = reverse("admin:problems_problem_change", args=[problem.id])
    page = client.get(url)
    data = {"code": problem.code, "tenant": problem.tenant_id, "visibility": "draft", "_save": "Save"}
    for inline in page.context["inline_admin_formsets"]:
        data.update({f"{inline.formset.prefix}-TOTAL_FORMS": 0, f"{inline.formset.prefix}-INITIAL_FORMS": 0})
    response = client.post(url, {**data, **_post_data({**FLOAT, "checker": "tokens", **values})})
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])


@RULES
def test_the_authoring_service_keeps_the_rules_between_settings(values, field, message):
    from django.core.exceptions import ValidationError

    from problems.services.authoring import problem_create

    settings = {**FLOAT, "checker": "tokens", **values}
    with pytest.raises(ValidationError) as caught:
        problem_create(tenant=TenantFactory(), code="broken", **settings)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Problem.objects.filter(code="broken").exists()


def test_the_manage_page_shows_every_setting(client):
    """The edit page lays its fields out by hand: a setting left out of the template could not be edited."""
    tenant = TenantFactory()
    client.force_login(MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user)
    page = client.get(
        reverse("manage:problem_edit", args=[ProblemFactory(tenant=tenant).code])
    ).content.decode()
    assert [name for name in SETTINGS if f'name="{name}"' not in page] == []
