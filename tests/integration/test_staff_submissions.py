"""`/staff/submissions/`: every submission of the staff member's tenants, filtered and paginated."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from judge.submissions.models import Submission, Verdict
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("staff:submission_list")


@pytest.fixture
def tenant():
    return MembershipFactory(role=Membership.Role.INSTRUCTOR).tenant


@pytest.fixture
def instructor(client, tenant):
    user = MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR).user
    client.force_login(user)
    return user


def _ids(client, **query) -> set[int]:
    return {s.id for s in client.get(URL, query).context["page_obj"]}


def _done(problem, verdict: str, **fields) -> Submission:
    return SubmissionFactory(problem=problem, status=Submission.Status.DONE, verdict=verdict, **fields)


def test_lists_only_the_tenants_students_submissions_with_filters(client, tenant, instructor):
    first, second = ProblemFactory(tenant=tenant, code="first"), ProblemFactory(tenant=tenant, code="second")
    alice = UserFactory(username="alice")
    accepted = _done(first, Verdict.AC, user=alice)
    wrong = _done(second, Verdict.WA)
    waiting = SubmissionFactory(problem=first)
    reference = _done(first, Verdict.AC, kind=Submission.Kind.REFERENCE)
    SubmissionFactory(problem=ProblemFactory())  # another tenant's

    assert _ids(client) == {accepted.id, wrong.id, waiting.id}
    assert _ids(client, problem="first") == {accepted.id, waiting.id}
    assert _ids(client, user="ALICE") == {accepted.id}
    assert _ids(client, verdict="WA") == {wrong.id}
    assert _ids(client, verdict="pending") == {waiting.id}
    assert _ids(client, kind="reference") == {reference.id}
    assert _ids(client, kind="all") == {accepted.id, wrong.id, waiting.id, reference.id}
    assert _ids(client, problem="not-a-problem-of-mine", verdict="WA") == {wrong.id}  # bad filter: ignored


def test_rows_link_to_submission_pages_and_update_live(client, tenant, instructor):
    submission = SubmissionFactory(problem=ProblemFactory(tenant=tenant))

    page = client.get(URL).content.decode()

    assert reverse("judge:submission_detail", args=[submission.id]) in page
    assert f'<tr data-submission-id="{submission.id}" data-status="queued">' in page
    assert f'data-ws-urls="/ws/staff/tenants/{tenant.id}/"' in page


def test_pages_keep_the_filters(client, tenant, instructor):
    problem = ProblemFactory(tenant=tenant, code="paged")
    for _ in range(51):
        _done(problem, Verdict.AC)

    response = client.get(URL, {"verdict": "AC"})

    assert response.context["page_obj"].paginator.num_pages == 2
    assert 'href="?verdict=AC&amp;page=2"' in response.content.decode()
