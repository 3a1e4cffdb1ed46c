"""The home page: a signed-in user's own courses, contests and submissions; visitors get a short welcome."""

import pytest
from django.urls import reverse

from judge.submissions.models import Submission, Verdict
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def test_visitors_get_a_welcome_with_log_in_and_sign_up_and_no_hero(client):
    body = client.get("/").content.decode()

    assert reverse("accounts:login") in body and reverse("accounts:signup") in body
    assert 'class="hero"' not in body and "Get judged in seconds" not in body
    assert "<dt>" not in body


def test_signed_in_home_lists_courses_contests_and_recent_submissions(client):
    world = world_make()
    # a personal window ann has not started: a running contest she is not locked into (yet)
    contest_make(world, title="Running Cup", slug="running-cup", timing="window", window_minutes=30)
    contest_make(world, title="Later Cup", slug="later-cup", started_minutes_ago=-60)
    contest_make(world, title="Old Cup", slug="old-cup", started_minutes_ago=600)
    mine = SubmissionFactory(user=world.ann, problem=ProblemFactory(title="Sum Two"))
    SubmissionFactory(problem=mine.problem, status=Submission.Status.DONE, verdict=Verdict.AC)  # not mine
    client.force_login(world.ann)

    response = client.get("/")
    body = response.content.decode()

    assert "Delta College" in body
    assert "Running Cup" in body and "Later Cup" in body and "Old Cup" not in body
    assert reverse("judge:submission_detail", args=[mine.id]) in body and "Sum Two" in body
    assert 'class="hero"' not in body
    assert "join-box" not in body  # already in a course


def test_home_offers_the_join_form_to_users_in_no_course(client):
    client.force_login(UserFactory())

    body = client.get("/").content.decode()

    assert 'action="{}"'.format(reverse("accounts:join")) in body and "join-box" in body


def test_signup_lands_on_a_page_offering_the_join_form(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newbie", "email": "", "password1": "correct-horse-9", "password2": "correct-horse-9"},
        follow=True,
    )

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("problems:list")
    assert 'action="{}"'.format(reverse("accounts:join")) in body
    assert "join code" in body.lower()


def test_joining_from_the_problem_list_returns_there(client):
    member = MembershipFactory()
    member.tenant.join_code = "GOOD-CODE-1234"
    member.tenant.save(update_fields=["join_code"])
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:join"), {"code": "good-code-1234", "next": "/problems/"})

    assert response.status_code == 302 and response.url == "/problems/"
    assert "join-box" not in client.get("/problems/").content.decode()


def test_join_ignores_an_offsite_next(client):
    member = MembershipFactory()
    member.tenant.join_code = "GOOD-CODE-1234"
    member.tenant.save(update_fields=["join_code"])
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:join"), {"code": "GOOD-CODE-1234", "next": "https://evil.example/"}
    )

    assert response.url == reverse("accounts:profile")
