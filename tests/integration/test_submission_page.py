"""The submission page: a progress bar that tells the outcome, the compile step named after the language,
and, for staff, who submitted."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from judge.submissions.models import Submission, Verdict
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, submission: Submission, viewer=None) -> str:
    client.force_login(viewer or submission.user)
    return client.get(reverse("judge:submission_detail", args=[submission.id])).content.decode()


def _done(verdict: str, done: int, total: int, **fields) -> Submission:
    return SubmissionFactory(
        status=Submission.Status.DONE, verdict=verdict, tests_done=done, tests_total=total, **fields
    )


def test_all_skipped_does_not_look_complete(client):
    body = _page(client, _done(Verdict.WA, 0, 10))

    assert 'class="progress-failed" max="10" value="0"' in body
    assert "0 / 10 (10 skipped)" in body


def test_the_bar_is_coloured_by_outcome(client):
    assert 'class="progress-passed" max="10" value="10"' in _page(client, _done(Verdict.AC, 10, 10))
    assert 'class="progress-failed" max="10" value="3"' in _page(client, _done(Verdict.TLE, 3, 10))
    running = SubmissionFactory(status=Submission.Status.RUNNING, tests_done=2, tests_total=5)
    assert 'class="progress-running" max="5" value="2"' in _page(client, running)


@pytest.mark.parametrize(("language", "label"), [("python", "Checking syntax"), ("cpp", "Compiling")])
def test_the_compile_step_is_named_from_the_language_table(client, language, label):
    submission = SubmissionFactory(status=Submission.Status.COMPILING, language=language)

    body = _page(client, submission)

    assert f'data-compile-label="{label}"' in body
    assert f'<span class="badge badge-compiling">{label}</span>' in body


def test_staff_see_who_submitted_and_students_do_not_see_it_on_their_own(client):
    staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    student = UserFactory(username="ada99", first_name="Ada", last_name="Lovelace")
    problem = ProblemFactory(tenant=staff.tenants.get())
    submission = SubmissionFactory(user=student, problem=problem)

    staff_view = _page(client, submission, viewer=staff)
    own_view = _page(client, submission)

    assert 'id="submitter"' in staff_view and "Ada Lovelace" in staff_view and "@ada99" in staff_view
    assert 'id="submitter"' not in own_view
