"""Small screens and dark mode: wide tables scroll in their box with a hint; colours follow the system."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from judge.submissions.models import Submission, Verdict
from tests.factories import SubmissionFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _css(name: str) -> str:
    with open(finders.find(f"css/{name}")) as f:
        return f.read()


def test_scoreboard_and_submission_tables_scroll_with_a_hint():
    world = world_make()
    contest = contest_make(world)
    SubmissionFactory(user=world.ann, status=Submission.Status.DONE, verdict=Verdict.AC)
    client = Client()
    client.force_login(world.ann)

    for url in (reverse("contests:scoreboard", args=[contest.slug]), reverse("judge:submission_list")):
        body = client.get(url).content.decode()
        assert re.search(r'class="table-wrap table-scroll"[^>]*tabindex="0"[^>]*role="region"', body), url
        assert 'class="scroll-hint"' in body, url


def test_small_screens_scroll_wide_tables_and_tabs_instead_of_squeezing():
    css = _css("site.css")
    small = css[css.index("@media (max-width: 640px)") :]

    assert ".scroll-hint { display: block; }" in small
    assert "min-width: 34rem" in small and ".tabs a { flex-shrink: 0;" in small
    assert ".table-wrap:has(> .board, > .table-submissions, > .table-contests), .tabs {" in css


def test_dark_mode_follows_the_system_through_the_variables(client):
    assert '<meta name="color-scheme" content="light dark">' in client.get("/").content.decode()
    css = _css("site.css")
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    dark = dark[: dark.index("\n}\n")]

    for variable in (
        "--bg",
        "--surface",
        "--surface-2",
        "--text",
        "--muted",
        "--border",
        "--accent",
        "--track",
    ):
        assert f"{variable}:" in dark, variable
    for name in ("site.css", "contests.css", "manage.css", "staff.css"):
        assert "#fafbfc;" not in _css(name).replace("--surface-2: #fafbfc;", ""), (
            name
        )  # surfaces use variables
