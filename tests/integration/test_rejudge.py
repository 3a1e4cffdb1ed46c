"""Rejudging from the staff pages: a whole problem or one submission, behind live work, and what changed."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from judge.judging.queue import submission_claim_next
from judge.submissions.models import Submission, Verdict
from judge.submissions.services import REJUDGE_PRIORITY, submission_create
from problems.services.testdata import test_case_add as add_test
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem():
    return problem_with_tests(tests=[("3 4\n", True, ""), ("1 2\n", False, "")])


@pytest.fixture
def instructor(problem):
    return MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user


@pytest.fixture
def student(problem):
    return MembershipFactory(tenant=problem.tenant).user


@pytest.fixture
def judged(problem, student, engine, judge_queued):
    """Two accepted submissions; adding a big test later makes "small" wrong and leaves "ok" right."""
    small = SubmissionFactory(problem=problem, user=student, source="small", tests_total=2)
    ok = SubmissionFactory(problem=problem, user=student, source="ok", tests_total=2)
    judge_queued()
    small.refresh_from_db()
    ok.refresh_from_db()
    assert (small.verdict, ok.verdict) == (Verdict.AC, Verdict.AC)
    add_test(problem=problem, input_data=b"5000 1\n", answer_data=b"5001\n", is_sample=False, group=None)
    return small, ok


def _rejudge_url(problem) -> str:
    return reverse("staff:problem_rejudge", args=[problem.code])


def _one_url(submission) -> str:
    return reverse("staff:submission_rejudge", args=[submission.id])


# --- a whole problem ---


def test_confirm_page_counts_what_will_be_rejudged(client, problem, instructor, judged):
    SubmissionFactory(problem=problem)  # still queued: left alone
    SubmissionFactory(problem=problem, kind=Submission.Kind.REFERENCE, status=Submission.Status.DONE)
    client.force_login(instructor)

    response = client.get(_rejudge_url(problem))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<strong id="rejudge-count">2</strong> finished submissions' in page
    assert "1 submission still waiting or being judged is left as it is" in page
    assert {s.status for s in Submission.objects.all()} == {Submission.Status.DONE, Submission.Status.QUEUED}
    assert not Submission.objects.filter(rejudged_at__isnull=False).exists()  # GET changes nothing


def test_problem_rejudge_waits_behind_live_work_and_remembers_verdicts(
    client, problem, instructor, student, judged, queued_tasks, judge_queued
):
    small, ok = judged
    reference = SubmissionFactory(
        problem=problem, kind=Submission.Kind.REFERENCE, status=Submission.Status.DONE, verdict=Verdict.AC
    )
    client.force_login(instructor)
    queued_tasks.clear()

    response = client.post(_rejudge_url(problem))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff:rejudge_list')}?problem={problem.code}"
    for submission in (small, ok):
        submission.refresh_from_db()
        assert submission.status == Submission.Status.QUEUED
        assert submission.priority == REJUDGE_PRIORITY == 1
        assert (submission.previous_verdict, submission.previous_score) == (Verdict.AC, 1.0)
        assert submission.rejudged_at is not None
    assert sorted(queued_tasks) == sorted([small.id, ok.id])
    reference.refresh_from_db()
    assert (reference.status, reference.rejudged_at) == (Submission.Status.DONE, None)  # not a student's

    live = submission_create(user=student, problem=problem, language="python", source="ok")
    assert submission_claim_next().id == live.id  # the live submission jumps the rejudges

    judge_queued()
    small.refresh_from_db()
    ok.refresh_from_db()
    assert (small.previous_verdict, small.verdict) == (Verdict.AC, Verdict.WA)
    assert (ok.previous_verdict, ok.verdict) == (Verdict.AC, Verdict.AC)


def test_what_changed_page_shows_before_and_after(client, problem, instructor, judged, judge_queued):
    small, ok = judged
    client.force_login(instructor)
    client.post(_rejudge_url(problem))
    judge_queued()

    page = client.get(reverse("staff:rejudge_list")).content.decode()

    assert "<strong>2</strong> rejudged submissions · <strong>1</strong> changed</p>" in page
    assert f'<tr data-submission-id="{small.id}" data-status="done" data-previous-verdict="AC"' in page
    small_row = page.split(f'data-submission-id="{small.id}"')[1].split("</tr>")[0]
    ok_row = page.split(f'data-submission-id="{ok.id}"')[1].split("</tr>")[0]
    assert 'class="row-changed"' in small_row
    assert "badge-WA" in small_row and "Changed" in small_row
    assert "row-changed" not in ok_row
    assert "Same" in ok_row


def test_what_changed_filters_by_problem_and_by_change(client, problem, instructor, judged, judge_queued):
    small, ok = judged
    other = ProblemFactory(tenant=problem.tenant)
    elsewhere = SubmissionFactory(
        problem=other,
        status=Submission.Status.DONE,
        verdict=Verdict.WA,
        previous_verdict=Verdict.WA,
        previous_score=0,
    )
    Submission.objects.filter(pk=elsewhere.pk).update(rejudged_at=small.created_at)
    client.force_login(instructor)
    client.post(_rejudge_url(problem))
    judge_queued()
    url = reverse("staff:rejudge_list")

    def ids(query: dict) -> set[int]:
        response = client.get(url, query)
        return {s.id for s in response.context["page_obj"]}

    assert ids({}) == {small.id, ok.id, elsewhere.id}
    assert ids({"problem": problem.code}) == {small.id, ok.id}
    assert ids({"problem": other.code}) == {elsewhere.id}
    assert ids({"changed": "1"}) == {small.id}


def test_rows_still_judging_are_marked_and_live(client, problem, instructor, judged):
    client.force_login(instructor)
    client.post(_rejudge_url(problem))

    page = client.get(reverse("staff:rejudge_list")).content.decode()

    assert "<strong>2</strong> still judging" in page
    assert f'data-ws-urls="/ws/staff/tenants/{problem.tenant_id}/"' in page
    assert "js/staff.js" in page


# --- one submission ---


def test_staff_rejudges_one_submission_from_its_page(client, problem, instructor, judged, queued_tasks):
    small, ok = judged
    client.force_login(instructor)
    detail = reverse("judge:submission_detail", args=[small.id])
    assert f'action="{_one_url(small)}"' in client.get(detail).content.decode()
    queued_tasks.clear()

    response = client.post(_one_url(small))

    assert response.status_code == 302
    assert response["Location"] == detail
    small.refresh_from_db()
    ok.refresh_from_db()
    assert (small.status, small.priority, small.previous_verdict) == (Submission.Status.QUEUED, 1, Verdict.AC)
    assert queued_tasks == [small.id]
    assert ok.status == Submission.Status.DONE and ok.rejudged_at is None


def test_the_author_sees_no_rejudge_button_and_may_not_rejudge(client, student, judged):
    small, _ = judged
    client.force_login(student)

    assert "Rejudge" not in client.get(reverse("judge:submission_detail", args=[small.id])).content.decode()
    assert client.post(_one_url(small)).status_code == 404
    small.refresh_from_db()
    assert (small.status, small.rejudged_at) == (Submission.Status.DONE, None)


# --- permissions ---


def test_instructor_of_another_tenant_may_not_rejudge(client, problem, judged):
    small, _ = judged
    outsider = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    client.force_login(outsider)

    assert client.get(_rejudge_url(problem)).status_code == 404
    assert client.post(_rejudge_url(problem)).status_code == 404
    assert client.post(_one_url(small)).status_code == 404
    assert not Submission.objects.filter(rejudged_at__isnull=False).exists()
    assert list(client.get(reverse("staff:rejudge_list")).context["page_obj"]) == []


def test_students_get_404_on_every_staff_page(client, problem, student, judged):
    client.force_login(student)

    assert client.get(_rejudge_url(problem)).status_code == 404
    assert client.post(_rejudge_url(problem)).status_code == 404
    assert client.get(reverse("staff:rejudge_list")).status_code == 404
    assert client.get(reverse("staff:submission_list")).status_code == 404
    assert not Submission.objects.filter(rejudged_at__isnull=False).exists()


def test_single_rejudge_needs_post(client, instructor, judged):
    client.force_login(instructor)

    assert client.get(_one_url(judged[0])).status_code == 405
