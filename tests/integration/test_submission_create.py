"""Submitting through the problem page and the API: saved and queued, or refused with a reason."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import PUBLIC_POOL_SLUG, Membership
from judge.submissions import dispatch
from judge.submissions.models import Submission
from problems.models import Problem
from problems.services.testdata import test_case_add as add_test
from tests.factories import MembershipFactory, ProblemFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = "print(sum(map(int, input().split())))\n"
API = reverse("api:submission_list")


@pytest.fixture(autouse=True)
def _fresh_state(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JUDGE_SUBMIT_RATE = "1000/m"
    cache.clear()  # the rate limiter's counters live in the (process-wide) locmem cache


REAL_JUDGING_REQUEST = dispatch.judging_request  # before tests/conftest.py records requests instead


@pytest.fixture
def real_delay_on_commit(monkeypatch, queued_tasks):
    """The real judging request (sent in transaction.on_commit), with the broker send recorded."""
    monkeypatch.setattr(dispatch, "judging_request", REAL_JUDGING_REQUEST)
    monkeypatch.setattr(dispatch.app, "send_task", lambda name, args: queued_tasks.append(args[0]))
    return queued_tasks


@pytest.fixture
def student(client):
    tenant = TenantFactory(name="Gamma High")
    user = MembershipFactory(tenant=tenant).user
    client.force_login(user)
    return user


@pytest.fixture
def problem():
    """A public problem of a tenant the student is not in: the public pool pays (test_quota_charging.py)."""
    return ProblemFactory(tenant=TenantFactory(name="Host Tenant"), code="sum")


def _submit_page(client, code="sum", **data):
    return client.post(reverse("judge:submit", args=[code]), {"language": "python", "source": SOURCE, **data})


def _submit_api(client, **data):
    return client.post(
        API,
        {"problem": "sum", "language": "python", "source": SOURCE, **data},
        content_type="application/json",
    )


def _form_errors(response) -> dict:
    return response.context["submit_form"].errors


def test_page_submit_saves_queued_submission_and_redirects(client, student, problem, queued_tasks):
    response = _submit_page(client)

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("judge:submission_detail", args=[submission.id])
    assert submission.status == Submission.Status.QUEUED
    assert submission.user == student
    assert submission.tenant.slug == PUBLIC_POOL_SLUG
    assert submission.language == "python"
    assert queued_tasks == [submission.id]
    assert client.get(response.url).status_code == 200


def test_page_submit_saves_the_source_exactly_as_typed(client, student, problem):
    """The API keeps whitespace (trim_whitespace=False); the page must not strip the program either."""
    typed = "\n\nprint(sum(map(int, input().split())))\n\n"

    _submit_page(client, source=typed)

    assert Submission.objects.get().source == typed


def test_page_submit_queues_the_task_only_after_commit(
    client, student, problem, real_delay_on_commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit_page(client)
        assert Submission.objects.count() == 1
        assert real_delay_on_commit == []

    assert real_delay_on_commit == [Submission.objects.get().id]


def test_page_submit_with_uploaded_file(client, student, problem, queued_tasks):
    upload = SimpleUploadedFile("main.py", "print('héllo')\n".encode())

    response = _submit_page(client, source="", file=upload)

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.source == "print('héllo')\n"
    assert queued_tasks == [submission.id]


def test_page_submit_requires_login(problem):
    response = _submit_page(Client())

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Submission.objects.exists()


def test_page_submit_requires_post(client, student, problem):
    assert client.get(reverse("judge:submit", args=["sum"])).status_code == 405


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"language": "cobol"}, "language", "valid choice"),
        ({"source": "   \n"}, "__all__", "Paste your code"),
        ({"source": "x" * 101}, "source", "limit is 100 bytes"),
        (
            {"source": "", "file": SimpleUploadedFile("a.py", b"x = 1  # " + "é".encode("latin-1"))},
            "file",
            "UTF-8",
        ),
        ({"source": "", "file": SimpleUploadedFile("a.py", b"y" * 101)}, "file", "limit is 100 bytes"),
        ({"source": "", "file": SimpleUploadedFile("a.py", b"print(1)\x00\n")}, "source", "NUL"),
    ],
    ids=["unknown-language", "empty", "too-large", "not-utf8", "file-too-large", "file-nul"],
)
def test_page_submit_refuses_bad_input_with_a_form_error(
    client, student, problem, queued_tasks, settings, data, field, words
):
    settings.JUDGE_MAX_SOURCE_BYTES = 100

    response = _submit_page(client, **data)

    assert response.status_code == 400
    errors = _form_errors(response)
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert words in response.content.decode().replace("&#x27;", "'")
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_page_submit_with_a_nul_in_the_pasted_source_is_a_400_saving_nothing(
    client, student, problem, queued_tasks
):
    """Refused before any view runs (a NUL breaks PostgreSQL queries), with a sentence saying why."""
    response = _submit_page(client, source="print(1)\x00\n")

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_page_submit_keeps_the_typed_source_after_an_error(client, student, problem, settings):
    settings.JUDGE_MAX_SOURCE_BYTES = 100
    typed = "# my precious code\n" + "x" * 100

    response = _submit_page(client, source=typed)

    assert response.status_code == 400
    assert "my precious code" in response.content.decode()


@pytest.mark.parametrize("visibility", [Problem.Visibility.DRAFT, Problem.Visibility.TENANT])
def test_page_submit_to_invisible_problem_is_404(client, student, queued_tasks, visibility):
    ProblemFactory(code="secret", visibility=visibility)

    response = _submit_page(client, code="secret")

    assert response.status_code == 404
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_api_submit_with_session(client, student, problem, queued_tasks):
    response = _submit_api(client)

    assert response.status_code == 201
    body = response.json()
    submission = Submission.objects.get()
    assert body["id"] == submission.id
    assert body["status"] == "queued"
    assert body["problem"] == "sum"
    assert body["queue_position"] == 1
    assert submission.tenant.slug == PUBLIC_POOL_SLUG
    assert queued_tasks == [submission.id]


def test_api_submit_with_token(problem, queued_tasks):
    user = UserFactory()
    token = Token.objects.create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = _submit_api(client)

    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.user == user
    assert queued_tasks == [submission.id]


def test_api_submit_queues_the_task_only_after_commit(
    client, student, problem, real_delay_on_commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit_api(client).status_code == 201
        assert real_delay_on_commit == []

    assert real_delay_on_commit == [Submission.objects.get().id]


def test_api_session_submit_needs_the_csrf_token(student, problem):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = _submit_api(client)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"language": "cobol"}, "language"),
        ({"source": ""}, "source"),
        ({"source": "  \n\t"}, "source"),
        ({"source": "x" * 101}, "source"),
        ({"source": "print(1)\x00"}, "source"),
        ({"problem": ""}, "problem"),
        ({"language": None}, "language"),
    ],
    ids=["unknown-language", "empty", "blank", "too-large", "nul", "no-problem", "null-language"],
)
def test_api_submit_refuses_bad_input_naming_the_field(
    client, student, problem, queued_tasks, settings, data, field
):
    settings.JUDGE_MAX_SOURCE_BYTES = 100

    response = _submit_api(client, **data)

    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert body[field] and all(isinstance(message, str) and message for message in body[field])
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_api_submit_refuses_a_missing_field(client, student, problem):
    response = client.post(API, {"problem": "sum", "language": "python"}, content_type="application/json")

    assert response.status_code == 400
    assert "source" in response.json()
    assert not Submission.objects.exists()


def test_api_submit_refuses_malformed_json(client, student, problem):
    response = client.post(API, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("visibility", [Problem.Visibility.DRAFT, Problem.Visibility.TENANT])
def test_api_submit_to_invisible_problem_is_404(client, student, queued_tasks, visibility):
    ProblemFactory(code="secret", visibility=visibility)

    response = _submit_api(client, problem="secret")

    assert response.status_code == 404
    assert response.json()["detail"]
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_api_submit_to_unknown_problem_is_404(client, student, queued_tasks):
    response = _submit_api(client, problem="nope")

    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_student_submits_to_own_tenant_problem(client, student, queued_tasks):
    tenant = student.memberships.get().tenant
    ProblemFactory(code="inside", tenant=tenant, visibility=Problem.Visibility.TENANT)

    response = _submit_api(client, problem="inside")

    assert response.status_code == 201
    assert Submission.objects.get().tenant == tenant


def test_instructor_submits_to_own_draft(client, queued_tasks):
    membership = MembershipFactory(role=Membership.Role.INSTRUCTOR)
    ProblemFactory(code="draft", tenant=membership.tenant, visibility=Problem.Visibility.DRAFT)
    membership.user.save(update_fields=["password"])
    client.force_login(membership.user)

    assert _submit_api(client, problem="draft").status_code == 201


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Token not-a-real-token"}])
def test_api_submit_without_login_is_refused_as_json(problem, queued_tasks, headers):
    response = _submit_api(Client(**headers))

    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert not Submission.objects.exists()
    assert queued_tasks == []


def test_submission_counts_tests_total(client, student, problem):
    for _ in range(3):
        add_test(problem=problem, input_data=b"1 2\n", answer_data=b"3\n", is_sample=False, group=None)

    _submit_api(client)

    assert Submission.objects.get().tests_total == 3
