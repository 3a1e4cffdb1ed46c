"""Statements and descriptions are rendered once, when saved;
pages show the stored HTML; samples are capped."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judge.contests import services as contest_services
from judge.contests.models import DESCRIPTION_MAX_CHARS, Contest
from problems.models import Problem
from problems.selectors import SAMPLE_PREVIEW_BYTES
from problems.services import testdata  # its test_* names must not be collected
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db

STORED = '<p class="stored">from the database</p>'


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    return world_make()


def test_saving_a_problem_renders_its_statement_and_only_then(world):
    problem = world.problems[0]
    assert problem.statement_html == (
        '<p>Add <span class="math math-inline">a</span> and <span class="math math-inline">b</span>.</p>'
    )

    problem.statement = "New *text* $x$"
    problem.save(update_fields=["statement"])
    problem.refresh_from_db()
    assert problem.statement_html == '<p>New <em>text</em> <span class="math math-inline">x</span></p>'

    Problem.objects.filter(pk=problem.pk).update(statement_html=STORED)
    problem.refresh_from_db()
    problem.title = "Renamed"
    problem.save(update_fields=["title"])  # the statement is not saved, so it is not rendered either
    problem.refresh_from_db()
    assert (problem.title, problem.statement_html) == ("Renamed", STORED)


def test_saving_a_contest_renders_its_description(world):
    contest = contest_make(world, description="Good *luck* $n$")
    assert Contest.objects.get(pk=contest.pk).description_html == (
        '<p>Good <em>luck</em> <span class="math math-inline">n</span></p>'
    )

    contest_services.contest_update(
        user=world.staff,
        contest=contest,
        problems=[("A", world.problems[0].code)],
        invitees=[],
        description="Now **bold**",
    )

    assert Contest.objects.get(pk=contest.pk).description_html == "<p>Now <strong>bold</strong></p>"


def test_pages_show_the_stored_html_and_do_not_render_again(world):
    contest = contest_make(world, description="Good luck")
    problem = world.problems[0]
    Problem.objects.filter(pk=problem.pk).update(visibility=Problem.Visibility.PUBLIC, statement_html=STORED)
    Contest.objects.filter(pk=contest.pk).update(description_html=STORED)
    ann, anonymous = _client(world.ann), Client()  # a participant of the running contest is locked into it

    pages = [
        (anonymous, reverse("problems:detail", args=[problem.code])),
        (ann, reverse("contests:detail", args=[contest.slug])),
        (ann, reverse("contests:problem", args=[contest.slug, "A"])),
    ]

    for client, url in pages:
        page = client.get(url).content.decode()
        assert STORED in page, url
        assert "Good luck" not in page and "Add <span" not in page, url


def test_the_data_migrations_fill_the_html_of_existing_rows(world):
    contest = contest_make(world, description="Hello $n$")
    Problem.objects.update(statement_html="")
    Contest.objects.update(description_html="")

    import_module("problems.migrations.0004_render_statements").render_statements(apps, None)
    import_module("judge.migrations.0006_render_descriptions").render_descriptions(apps, None)

    assert Problem.objects.get(pk=world.problems[0].pk).statement_html.startswith("<p>Add <span class=")
    assert Contest.objects.get(pk=contest.pk).description_html == (
        '<p>Hello <span class="math math-inline">n</span></p>'
    )


def test_sample_previews_are_capped_on_the_pages_and_in_the_api(world):
    contest = contest_make(world)
    problem = world.problems[0]
    Problem.objects.filter(pk=problem.pk).update(visibility=Problem.Visibility.PUBLIC)
    big = b"7" * (SAMPLE_PREVIEW_BYTES + 10)
    testdata.test_case_add(problem=problem, input_data=big, answer_data=b"1\n", is_sample=True, group=None)
    ann, anonymous = _client(world.ann), Client()  # a participant of the running contest is locked into it

    for client, url in (
        (anonymous, reverse("problems:detail", args=[problem.code])),
        (ann, reverse("contests:problem", args=[contest.slug, "A"])),
    ):
        response = client.get(url)
        small, capped = response.context["samples"]
        assert (small["input"], small["truncated"]) == ("1 2\n", False)
        assert (capped["input"], capped["answer"], capped["truncated"]) == (
            "7" * SAMPLE_PREVIEW_BYTES,
            "1\n",
            True,
        )
        assert response.content.decode().count("(truncated)") == 1

    api = anonymous.get(reverse("api:problem_detail", args=[problem.code])).json()["samples"]
    assert [(len(s["input"]), s["truncated"]) for s in api] == [(4, False), (SAMPLE_PREVIEW_BYTES, True)]


def test_a_too_long_description_is_refused_by_the_form(world):
    client = _client(world.staff)
    assert f'maxlength="{DESCRIPTION_MAX_CHARS}"' in client.get(reverse("contests:create")).content.decode()
    start = timezone.now() + dt.timedelta(days=1)
    data = {
        "tenant": world.tenant.id,
        "title": "Long",
        "slug": "long",
        "description": "x" * (DESCRIPTION_MAX_CHARS + 1),
        "format": "icpc",
        "timing": "fixed",
        "start_at": start.strftime("%Y-%m-%dT%H:%M"),
        "end_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "freeze_minutes": "0",
        "problems": world.problems[0].code,
        "access": "tenant",
    }

    response = client.post(reverse("contests:create"), data)

    assert "at most 50000 characters" in response.context["form"].errors["description"][0]
    assert not Contest.objects.exists()
