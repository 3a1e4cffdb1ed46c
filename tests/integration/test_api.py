"""The JSON API: what each caller may read, and errors that are JSON too."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Membership
from judge.submissions.models import Submission, TestResult, Verdict
from problems.models import Problem
from problems.services.testdata import test_case_add as add_test
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, TenantFactory

pytestmark = pytest.mark.django_db

PROBLEMS = reverse("api:problem_list")
SUBMISSIONS = reverse("api:submission_list")


def _login(client, user):
    client.force_login(user)
    return user


@pytest.fixture
def school():
    tenant = TenantFactory(slug="north")
    public = ProblemFactory(tenant=tenant, code="aplusb", statement="Add $a$ and $b$.")
    add_test(problem=public, input_data=b"1 2\n", answer_data=b"3\n", is_sample=True, group=None)
    add_test(problem=public, input_data=b"99 1\n", answer_data=b"100\n", is_sample=False, group=None)
    return {
        "tenant": tenant,
        "student": MembershipFactory(tenant=tenant).user,
        "public": public,
        "members": ProblemFactory(tenant=tenant, code="members", visibility=Problem.Visibility.TENANT),
        "draft": ProblemFactory(tenant=tenant, code="draft", visibility=Problem.Visibility.DRAFT),
        "foreign": ProblemFactory(code="foreign", visibility=Problem.Visibility.TENANT),
    }


def _codes(response) -> set[str]:
    return {row["code"] for row in response.json()["results"]}


def test_problem_list_for_anonymous_has_only_public(client, school):
    response = client.get(PROBLEMS)

    assert response.status_code == 200
    assert _codes(response) == {"aplusb"}
    assert response.json()["count"] == 1


def test_problem_list_for_student_adds_own_tenant_problems(client, school):
    _login(client, school["student"])

    assert _codes(client.get(PROBLEMS)) == {"aplusb", "members"}


def test_problem_list_for_instructor_adds_own_drafts(client, school):
    instructor = MembershipFactory(tenant=school["tenant"], role=Membership.Role.INSTRUCTOR).user
    _login(client, instructor)

    assert _codes(client.get(PROBLEMS)) == {"aplusb", "members", "draft"}


def test_problem_list_rows(client, school):
    row = client.get(PROBLEMS).json()["results"][0]

    assert row["code"] == "aplusb"
    assert row["tenant"] == "north"
    assert {"title", "time_limit", "memory_limit", "checker", "scoring"} <= set(row)
    assert "statement" not in row


def test_problem_detail_has_statement_and_samples_only(client, school):
    response = client.get(reverse("api:problem_detail", args=["aplusb"]))

    assert response.status_code == 200
    body = response.json()
    assert body["statement"] == "Add $a$ and $b$."
    assert body["samples"] == [{"input": "1 2\n", "answer": "3\n", "truncated": False}]
    assert "99 1" not in response.content.decode()


@pytest.mark.parametrize("code", ["members", "draft", "foreign", "missing"])
def test_problem_detail_hidden_or_missing_is_404_json(client, school, code):
    response = client.get(reverse("api:problem_detail", args=[code]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_problem_api_is_read_only(client, school):
    _login(client, school["student"])

    response = client.post(PROBLEMS, {"code": "new"}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["detail"]


def test_submission_list_has_only_mine_newest_first(client, school):
    me = _login(client, school["student"])
    mine = [SubmissionFactory(user=me, problem=school["public"]) for _ in range(3)]
    SubmissionFactory(problem=school["public"])  # a classmate's

    response = client.get(SUBMISSIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [s.id for s in reversed(mine)]
    assert "source" not in body["results"][0]


def test_submission_list_is_paginated(client, school):
    me = _login(client, school["student"])
    SubmissionFactory.create_batch(51, user=me, problem=school["public"])

    first = client.get(SUBMISSIONS).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert len(second["results"]) == 1
    assert second["next"] is None
    ids = {row["id"] for row in first["results"]} | {row["id"] for row in second["results"]}
    assert ids == set(Submission.objects.values_list("id", flat=True))


def test_submission_list_with_token(school):
    me = school["student"]
    SubmissionFactory(user=me, problem=school["public"])
    token = Token.objects.create(user=me)

    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(SUBMISSIONS)

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_submission_list_needs_login(client):
    response = client.get(SUBMISSIONS)

    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.fixture
def judged(school):
    submission = SubmissionFactory(
        user=school["student"],
        problem=school["public"],
        status=Submission.Status.DONE,
        verdict=Verdict.WA,
        source="print(0)\n",
        compile_output="",
        internal_message="worker 7 saw docker hiccup",
    )
    for order, is_sample, verdict in ((1, True, Verdict.AC), (2, False, Verdict.WA)):
        TestResult.objects.create(
            submission=submission,
            order=order,
            is_sample=is_sample,
            verdict=verdict,
            time=0.01,
            checker_message=f"token 1 differs on test {order}",
            output_excerpt=f"excerpt of test {order}",
        )
    return submission


def test_submission_detail_shows_results_with_hidden_messages_blanked(client, school, judged):
    _login(client, school["student"])

    response = client.get(reverse("api:submission_detail", args=[judged.id]))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == judged.id
    assert body["verdict"] == "WA"
    assert body["source"] == "print(0)\n"
    assert body["queue_position"] is None
    sample, hidden = body["results"]
    assert (sample["order"], sample["verdict"], sample["checker_message"]) == (
        1,
        "AC",
        "token 1 differs on test 1",
    )
    assert (hidden["order"], hidden["verdict"], hidden["checker_message"]) == (2, "WA", "")
    text = response.content.decode()
    assert "test 2" not in text
    assert "docker hiccup" not in text


def test_submission_detail_of_someone_else_is_404_json(client, school, judged):
    _login(client, MembershipFactory(tenant=school["tenant"]).user)

    response = client.get(reverse("api:submission_detail", args=[judged.id]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert "print(0)" not in response.content.decode()


def test_submission_detail_for_staff_of_the_tenant(client, school, judged):
    _login(client, MembershipFactory(tenant=school["tenant"], role=Membership.Role.INSTRUCTOR).user)

    assert client.get(reverse("api:submission_detail", args=[judged.id])).status_code == 200


def test_submission_detail_for_staff_of_another_tenant_is_404(client, school, judged):
    _login(client, MembershipFactory(role=Membership.Role.INSTRUCTOR).user)

    assert client.get(reverse("api:submission_detail", args=[judged.id])).status_code == 404


def test_submission_detail_missing_is_404_json(client, school):
    _login(client, school["student"])

    response = client.get(reverse("api:submission_detail", args=[987654]))

    assert response.status_code == 404
    assert response.json()["detail"]


def test_submission_detail_anonymous_is_refused_as_json(client, judged):
    response = client.get(reverse("api:submission_detail", args=[judged.id]))

    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_queued_submission_shows_its_place(client, school):
    me = _login(client, school["student"])
    SubmissionFactory(problem=school["public"])
    mine = SubmissionFactory(user=me, problem=school["public"])

    body = client.get(reverse("api:submission_detail", args=[mine.id])).json()

    assert body["status"] == "queued"
    assert body["queue_position"] == 2
    assert body["results"] == []


def test_submission_detail_is_read_only(client, school, judged):
    _login(client, school["student"])
    url = reverse("api:submission_detail", args=[judged.id])

    for response in (client.delete(url), client.put(url, {}, content_type="application/json")):
        assert response.status_code == 405
        assert response.json()["detail"]
    assert Submission.objects.filter(pk=judged.pk).exists()


def test_unknown_api_path_is_404(client):
    assert client.get("/api/nothing-here/").status_code == 404


def test_submission_page_hides_hidden_test_messages_like_the_api(client, school, judged):
    """Checker messages quote the expected answer ("expected '100', got '0'"): hidden tests hide them."""
    _login(client, school["student"])

    response = client.get(reverse("judge:submission_detail", args=[judged.id]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "token 1 differs on test 1" in body
    assert "token 1 differs on test 2" not in body
    assert "excerpt of test 2" not in body
    assert "docker hiccup" not in body
