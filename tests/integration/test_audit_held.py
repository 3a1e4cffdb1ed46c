"""What held up in the security audit, pinned so it keeps holding: CSRF on the session-authenticated API
(token clients need none), and another tenant's members-only problem stays out of reach everywhere."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from judge.submissions.models import Submission
from problems.models import Problem
from tests.factories import MembershipFactory, ProblemFactory, TenantFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = reverse("api:submission_list")


@pytest.fixture
def student():
    tenant = TenantFactory()
    ProblemFactory(tenant=tenant, code="aplusb")
    return MembershipFactory(tenant=tenant).user


def _body() -> dict:
    return {"problem": "aplusb", "language": "python", "source": "print(3)\n"}


def test_a_session_api_post_without_the_csrf_token_is_refused(student):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)

    response = browser.post(SUBMISSIONS, _body(), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_a_token_client_needs_no_csrf_token(student):
    token = Token.objects.create(user=student)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(SUBMISSIONS, _body(), content_type="application/json")

    assert response.status_code == 201


def test_another_tenants_members_only_problem_is_hidden_on_page_api_and_submit(client, student):
    hidden = ProblemFactory(code="theirs", visibility=Problem.Visibility.TENANT)
    client.force_login(student)

    assert client.get(reverse("problems:detail", args=[hidden.code])).status_code == 404
    assert client.get(reverse("api:problem_detail", args=[hidden.code])).status_code == 404
    response = client.post(SUBMISSIONS, {**_body(), "problem": "theirs"}, content_type="application/json")
    assert response.status_code == 404
    assert not Submission.objects.exists()
