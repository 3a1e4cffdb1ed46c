"""The scoreboard names its problems and counts who solved and who tried each, as the viewer may see."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from judge.contests.models import Contest
from judge.submissions.models import Submission, Verdict
from tests.factories import SubmissionFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _attempt(contest: Contest, user, problem, verdict: str, minute: float) -> Submission:
    submission = SubmissionFactory(
        user=user, problem=problem, contest=contest, tenant=contest.tenant, status=Submission.Status.DONE
    )
    when = contest.start_at + dt.timedelta(minutes=minute)
    Submission.objects.filter(pk=submission.pk).update(verdict=verdict, created_at=when)
    return submission


def _page(user, contest: Contest) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("contests:scoreboard", args=[contest.slug])).content.decode()


def _footer(body: str) -> str:
    return body.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]


def test_columns_carry_problem_titles_and_the_footer_counts_respect_the_freeze():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)  # frozen at 90
    a, b = world.problems
    _attempt(contest, world.bob, a, Verdict.AC, 5)
    _attempt(contest, world.ann, a, Verdict.WA, 10)
    _attempt(contest, world.ann, a, Verdict.AC, 95)  # after the freeze: hidden from participants
    _attempt(contest, world.ann, b, Verdict.WA, 20)

    participant, staff = _page(world.bob, contest), _page(world.staff, contest)

    assert 'title="Problem A"' in participant and '<span class="board-title">Problem B</span>' in participant
    footer = _footer(participant)
    assert 'data-label="A" title="A: 1 of 2 who tried solved it">1 / 2<' in footer
    assert 'data-label="B" title="B: 0 of 1 who tried solved it">0 / 1<' in footer
    assert ">2 / 2<" in _footer(staff)
