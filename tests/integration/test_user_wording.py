"""Users never read "tenant": they see course, school or club, and one name per visibility everywhere."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Membership
from problems.models import Problem
from tests.factories import MembershipFactory, ProblemFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'\s(class|id|name|value|for|href|action|data-[\w-]+)="[^"]*"', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_template_shows_the_word_tenant():
    for path in TEMPLATES.rglob("*.html"):
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", path.read_text(), flags=re.S)
        assert "tenant" not in _visible_text(text).lower(), path


def test_visibility_names_match_on_the_problem_page_and_the_manage_pages(client):
    staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    problem = ProblemFactory(tenant=staff.tenants.get(), visibility=Problem.Visibility.TENANT)
    client.force_login(staff)
    label = "Members of the course"

    pages = [
        reverse("problems:detail", args=[problem.code]),
        reverse("manage:problem_list"),
        reverse("manage:problem_edit", args=[problem.code]),
        reverse("manage:tests", args=[problem.code]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert label in body, url
        assert "tenant" not in _visible_text(body).lower(), url
