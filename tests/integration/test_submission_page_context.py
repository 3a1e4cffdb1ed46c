"""Where a submission page says it is: the breadcrumb follows where staff came from, and a contest
submission keeps the contest's header, clock and tabs."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _page(client, user, submission, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse("judge:submission_detail", args=[submission.id]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_coming_from_the_staff_list_see_staff_submissions_in_the_breadcrumb(client):
    staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    submission = SubmissionFactory(problem=ProblemFactory(tenant=staff.tenants.get()))
    staff_list = reverse("staff:submission_list")

    body = _page(client, staff, submission, "?from=staff")
    plain = _page(client, submission.user, submission, "?from=staff")

    assert f'<a href="{staff_list}">Staff</a>' in body and f'<a href="{staff_list}">Submissions</a>' in body
    assert staff_list not in plain and "My submissions</a>" in plain
    client.force_login(staff)
    link = f"{reverse('judge:submission_detail', args=[submission.id])}?from=staff"
    assert link in client.get(staff_list).content.decode()


@pytest.mark.parametrize("who", ["ann", "staff"])
def test_a_contest_submission_keeps_the_contest_header_and_tabs(client, who):
    world = world_make()
    contest = contest_make(world)
    submission = SubmissionFactory(
        user=world.ann, problem=world.problems[0], contest=contest, tenant=world.tenant
    )

    body = _page(client, getattr(world, who), submission)

    assert f'id="contest" data-slug="{contest.slug}"' in body and 'role="timer"' in body
    submissions_tab = reverse("contests:submissions", args=[contest.slug])
    assert f'<a href="{submissions_tab}" aria-current="page">' in body
    assert f'<a href="{reverse("contests:detail", args=[contest.slug])}">{contest.title}</a>' in body
    assert "css/contests.css" in body and "js/contest.js" in body


def test_a_practice_submission_has_no_contest_header(client):
    submission = SubmissionFactory()

    body = _page(client, submission.user, submission)

    assert 'id="contest"' not in body and "js/contest.js" not in body
