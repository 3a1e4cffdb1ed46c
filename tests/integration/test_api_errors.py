"""Inputs an audit found to cause server errors: each is now a clean 4xx (and a websocket close)."""

from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from judge.asgi import application
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/submissions/"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def client():
    # A server error must show up as a 500 response, not as an exception in the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def student():
    return MembershipFactory().user


@pytest.fixture
def submission(student):
    problem = ProblemFactory(tenant=student.memberships.get().tenant)
    return SubmissionFactory(user=student, problem=problem)


def test_unparseable_bodies_are_json_400s(client, student):
    client.force_login(student)

    deep = client.post(SUBMISSIONS, "[" * 100_000 + "]" * 100_000, content_type="application/json")
    no_boundary = client.post(SUBMISSIONS, b"x", content_type="multipart/form-data")

    assert deep.status_code == 400
    assert "nested too deeply" in deep.json()["detail"]
    assert no_boundary.status_code == 400
    assert no_boundary["Content-Type"] == "application/json"


def test_browsable_api_format_is_not_offered(client, student, submission):
    client.force_login(student)

    response = client.get(f"/api/submissions/{submission.id}/?format=api")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_browser_gets_json_from_the_api(client, student, submission):
    client.force_login(student)

    response = client.get(f"/api/submissions/{submission.id}/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response.json()["id"] == submission.id


@pytest.mark.django_db(transaction=True)
def test_websocket_to_an_unknown_path_is_closed_with_4404():
    async def connect():
        communicator = WebsocketCommunicator(
            application, "/ws/nothing/", headers=[(b"origin", b"http://127.0.0.1")]
        )
        try:
            return await communicator.connect(timeout=5)
        finally:
            await communicator.disconnect()

    assert async_to_sync(connect)() == (False, 4404)


@pytest.mark.parametrize(
    "url",
    ["/api/problems/?page=%00", "/api/problems/?%00=1", "/api/submissions/?page=1%00"],
)
def test_nul_in_an_api_query_string_is_a_json_400(client, student, url):
    client.force_login(student)

    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_page_query_string_is_a_plain_400(client, student):
    client.force_login(student)

    response = client.get("/problems/?q=%00")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_nul_in_a_urlencoded_field_is_a_400(client):
    body = urlencode({"username": "a\x00b", "password": "x"})

    response = client.post(reverse("accounts:login"), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400


def test_nul_in_a_multipart_field_is_a_400_but_not_in_a_file(client):
    login = reverse("accounts:login")
    upload = SimpleUploadedFile("tests.zip", b"PK\x00\x00binary")

    assert client.post(login, {"username": "a\x00b", "password": "x"}).status_code == 400
    assert client.post(login, {"username": "a", "password": "x", "archive": upload}).status_code == 200


def test_nul_in_a_cookie_is_a_400(client):
    client.cookies["sessionid"] = "\x00" * 32

    assert client.get("/problems/").status_code == 400


def test_staff_rejudges_page_with_nul_filter_is_a_400(client):
    instructor = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    client.force_login(instructor)

    assert client.get(reverse("staff:rejudge_list") + "?problem=%00").status_code == 400


def test_rejudges_page_ignores_a_filter_that_is_not_a_problem_code(client, settings):
    # Behind the middleware too: the view itself must not pass the raw value to the database.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "judge.middleware.RejectNulMiddleware"]
    instructor = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    client.force_login(instructor)

    response = client.get(reverse("staff:rejudge_list") + "?problem=%00")

    assert response.status_code == 200
    assert response.context["problem_code"] == ""


def test_an_api_path_with_a_newline_is_a_json_404(client):
    # Found by the fuzzer: the catch-all's `.` did not match "\n", so Django's HTML 404 page answered.
    response = client.get("/api/problems/a%0Ab/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
