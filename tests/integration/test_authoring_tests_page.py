"""The tests page: previews of each test, samples marked in bulk, a warning without samples; and the
Validate tab and /manage/ one click from authoring."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from problems import selectors
from problems.models import TestCase
from tests.factories import MembershipFactory, ProblemFactory, TestCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user
    client.force_login(staff)
    client.problem = ProblemFactory(tenant=staff.tenants.get(), code="sums")
    return client


def _tests_url(problem) -> str:
    return reverse("manage:tests", args=[problem.code])


def _test(problem, input_data: bytes, *, sample=False, order=1) -> TestCase:
    test = TestCaseFactory(problem=problem, is_sample=sample, order=order)
    with test.input_file.open("wb") as f:
        f.write(input_data)
    return test


def test_each_test_shows_its_first_lines(staff_client):
    problem = staff_client.problem
    _test(problem, b"3\n1 2\n3 4\n5 6\n7 8\n")

    body = staff_client.get(_tests_url(problem)).content.decode()

    assert '<pre class="test-preview">3\n1 2\n3 4\n…</pre>' in body


def test_previews_read_only_a_few_hundred_bytes(staff_client, monkeypatch):
    test = _test(staff_client.problem, b"x" * 100_000)
    calls = []
    original = TestCase.read_input

    def spy(self, *, limit=None):
        calls.append(limit)
        return original(self, limit=limit)

    monkeypatch.setattr(TestCase, "read_input", spy)
    [row] = selectors.test_case_previews(tests=[test])

    assert calls == [selectors.TEST_PREVIEW_BYTES + 1] and selectors.TEST_PREVIEW_BYTES <= 512
    assert row["input"]["more"] and len(row["input"]["text"]) <= selectors.TEST_PREVIEW_BYTES


def test_samples_are_marked_and_unmarked_in_one_post(staff_client):
    problem = staff_client.problem
    a, b, c = (_test(problem, b"1\n", sample=i == 0, order=i) for i in range(3))
    body = staff_client.get(_tests_url(problem)).content.decode()
    assert f'name="samples" value="{a.id}" form="samples-form"' in body and 'id="samples-form"' in body

    response = staff_client.post(
        reverse("manage:tests_samples", args=[problem.code]), {"samples": [b.id, c.id]}, follow=True
    )

    assert response.redirect_chain[-1][0] == _tests_url(problem)
    assert {t.id: t.is_sample for t in problem.tests.all()} == {a.id: False, b.id: True, c.id: True}
    assert "2 samples now (3 tests changed)." in response.content.decode()


def test_marking_samples_of_another_problem_changes_nothing(staff_client):
    problem = staff_client.problem
    mine = _test(problem, b"1\n")
    foreign = _test(ProblemFactory(), b"1\n")

    staff_client.post(reverse("manage:tests_samples", args=[problem.code]), {"samples": [foreign.id]})

    foreign.refresh_from_db()
    mine.refresh_from_db()
    assert not foreign.is_sample and not mine.is_sample


def test_a_problem_without_samples_gets_a_warning(staff_client):
    problem = staff_client.problem
    test = _test(problem, b"1\n")
    assert 'id="no-sample-warning"' in staff_client.get(_tests_url(problem)).content.decode()

    TestCase.objects.filter(pk=test.pk).update(is_sample=True)
    assert 'id="no-sample-warning"' not in staff_client.get(_tests_url(problem)).content.decode()


def test_validate_is_a_tab_beside_statement_and_tests(staff_client):
    problem = staff_client.problem
    body = staff_client.get(reverse("manage:problem_edit", args=[problem.code])).content.decode()

    tabs = body.split('aria-label="Problem authoring"', 1)[1].split("</nav>", 1)[0]
    assert reverse("manage:tests", args=[problem.code]) in tabs
    assert f'href="{reverse("staff:validate", args=[problem.code])}">Validate</a>' in tabs


def test_manage_itself_lands_on_the_problem_list(staff_client):
    response = staff_client.get("/manage/")

    assert response.status_code == 302 and response.url == reverse("manage:problem_list")
