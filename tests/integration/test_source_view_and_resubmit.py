"""The source on the submission page (highlighted, copyable) and "edit and resubmit", which fills the
problem's submit form from a submission its author or staff may see."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Membership
from judge.submissions.models import Submission
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db

SOURCE = '#include <cstdio>\nint main() { puts("a < b"); }\n'


def _get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def _problem_page(client, user, submission: Submission, problem=None) -> str:
    url = reverse("problems:detail", args=[(problem or submission.problem).code])
    response = _get(client, user, f"{url}?from={submission.id}")
    assert response.status_code == 200
    return response.content.decode()


def _prefilled(body: str) -> bool:
    return escape(SOURCE) in body and 'value="cpp" selected' in body


def test_the_submission_page_highlights_the_source_and_links_to_resubmit(client):
    submission = SubmissionFactory(language="cpp", source=SOURCE)

    body = _get(client, submission.user, reverse("judge:submission_detail", args=[submission.id])).content
    body = body.decode()

    assert 'id="source" data-language="cpp"' in body
    assert "js/source-view.js" in body and "vendor/codemirror/codemirror.js" in body
    assert 'id="source-copy" hidden>Copy</button>' in body  # the script shows it
    problem_url = reverse("problems:detail", args=[submission.problem.code])
    assert f'href="{problem_url}?from={submission.id}#submit">Edit and resubmit</a>' in body


def test_a_contest_submission_resubmits_through_the_contest_problem(client):
    world = world_make()
    contest = contest_make(world)
    submission = SubmissionFactory(
        user=world.ann, problem=world.problems[0], contest=contest, tenant=world.tenant
    )

    body = _get(client, world.ann, reverse("judge:submission_detail", args=[submission.id])).content.decode()

    contest_url = reverse("contests:problem", args=[contest.slug, "A"])
    assert f'href="{contest_url}?from={submission.id}#submit">Edit and resubmit</a>' in body


def test_the_author_gets_the_form_filled_with_source_and_language(client):
    submission = SubmissionFactory(language="cpp", source=SOURCE)

    assert _prefilled(_problem_page(client, submission.user, submission))


def test_staff_of_the_problem_may_resubmit_a_students_code(client):
    staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    submission = SubmissionFactory(
        problem=ProblemFactory(tenant=staff.tenants.get()), language="cpp", source=SOURCE
    )

    assert _prefilled(_problem_page(client, staff, submission))


def test_anyone_else_gets_an_empty_form_and_learns_nothing(client):
    submission = SubmissionFactory(language="cpp", source=SOURCE)

    body = _problem_page(client, UserFactory(), submission)

    assert "a &lt; b" not in body and not _prefilled(body)


def test_another_problems_submission_or_a_bad_id_fills_nothing(client):
    submission = SubmissionFactory(language="cpp", source=SOURCE)
    other = ProblemFactory()

    assert not _prefilled(_problem_page(client, submission.user, submission, problem=other))
    url = reverse("problems:detail", args=[submission.problem.code])
    assert _get(client, submission.user, f"{url}?from=abc").status_code == 200
    assert _get(client, submission.user, f"{url}?from=999999").status_code == 200


def test_edit_and_resubmit_fills_the_contest_problems_form(client):
    world = world_make()
    contest = contest_make(world)
    submission = SubmissionFactory(
        user=world.ann,
        problem=world.problems[0],
        contest=contest,
        tenant=world.tenant,
        language="cpp",
        source=SOURCE,
    )
    url = reverse("contests:problem", args=[contest.slug, "A"])

    response = _get(client, world.ann, f"{url}?from={submission.id}")
    other = _get(
        client, world.ann, reverse("contests:problem", args=[contest.slug, "B"]) + f"?from={submission.id}"
    )

    assert response.status_code == 200 and _prefilled(response.content.decode())
    assert not _prefilled(other.content.decode())
