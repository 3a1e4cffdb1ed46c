"""The contest form: sensible defaults, a picker of the instructor's problems over the textarea the
service parses, and the script that fills the slug and the textarea."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judge.contests.models import Contest
from tests.factories import ProblemFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return world_make()


def _get(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _next_hour() -> dt.datetime:
    return timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def test_a_new_contest_opens_at_the_next_full_hour_for_two_hours_icpc_fixed_no_freeze(world):
    before = _next_hour()
    body = _get(world.staff, reverse("contests:create"))
    start = next(t for t in (before, _next_hour()) if f'value="{t:%Y-%m-%dT%H:%M}"' in body)

    assert f'name="start_at" value="{start:%Y-%m-%dT%H:%M}"' in body
    assert f'name="end_at" value="{start + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}"' in body
    assert re.search(r'name="format" value="icpc"[^>]* checked', body)
    assert re.search(r'name="timing" value="fixed"[^>]* checked', body)
    assert 'name="freeze_minutes" value="0"' in body


def test_the_picker_lists_the_instructors_problems_only(world):
    elsewhere = ProblemFactory(code="someone-elses", title="Not yours")

    body = _get(world.staff, reverse("contests:create"))

    assert 'id="problem-picker" data-target="id_problems"' in body
    for problem in world.problems:
        assert f'class="picker-check" value="{problem.code}">' in body
        assert problem.title in body
    assert elsewhere.code not in body
    assert 'name="problems"' in body  # the textarea stays: the script fills it, the service parses it
    assert "js/contest-form.js" in body


def test_editing_ticks_and_labels_the_contests_problems(world):
    contest = contest_make(world, started_minutes_ago=-60)
    contest.contest_problems.filter(label="B").update(label="C")

    body = _get(world.staff, reverse("contests:edit", args=[contest.slug]))

    first, second = world.problems
    assert f'value="{first.code}" checked>' in body and f'value="{second.code}" checked>' in body
    assert 'value="A" placeholder="label"' in body and 'value="C" placeholder="label"' in body


def test_the_picker_is_only_a_helper_the_textarea_is_what_counts(world):
    client = Client()
    client.force_login(world.staff)
    start = _next_hour()
    response = client.post(
        reverse("contests:create"),
        {
            "tenant": world.tenant.id,
            "title": "Picked",
            "slug": "picked",
            "format": "icpc",
            "timing": "fixed",
            "start_at": f"{start:%Y-%m-%dT%H:%M}",
            "end_at": f"{start + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
            "freeze_minutes": "0",
            "problems": f"B {world.problems[1].code}",
            "access": "tenant",
        },
    )

    assert response.status_code == 302
    entries = Contest.objects.get(slug="picked").contest_problems.all()
    assert [(e.label, e.problem_id) for e in entries] == [("B", world.problems[1].id)]
