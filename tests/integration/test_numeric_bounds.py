"""Every number a user types has an upper bound, so none can overflow a page later (each of these was a
server error: a contest window of 5e9 minutes broke every page of its contest, a time multiplier of 1e308
broke the validation page)."""

import pytest
from django.urls import reverse

from judge.contests.models import Contest
from problems.models import Problem
from tests.integration.contest_world import world_make
from tests.integration.test_contests import _client, _form
from tests.integration.test_manage_pages import _problem_form, school  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("window_minutes", "5000000000"), ("freeze_minutes", "5000000000")],
)
def test_a_huge_contest_length_is_a_form_error(field, value):
    world = world_make()
    data = _form(world, **{"timing": "window", "window_minutes": "90", field: value})

    response = _client(world.staff).post(reverse("contests:create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Contest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_multiplier", "1e308"), ("float_abs_tolerance", "1e308"), ("float_rel_tolerance", "-1")],
)
def test_a_huge_problem_setting_is_a_form_error(client, school, field, value):  # noqa: F811
    client.force_login(school["instructor"])
    data = _problem_form(code="bounded", tenant=school["north"].id, **{field: value})

    response = client.post(reverse("manage:problem_new"), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Problem.objects.filter(code="bounded").exists()
