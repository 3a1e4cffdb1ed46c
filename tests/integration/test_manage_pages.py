"""The instructor authoring pages under /manage/: access, problem settings, preview, tests and groups."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from problems.models import Problem, TestCase, TestGroup
from problems.services import testdata  # its test_* names must not be collected
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    north, south = TenantFactory(name="North School"), TenantFactory(name="South School")
    problem = ProblemFactory(tenant=north, code="sum", title="Sum", visibility=Problem.Visibility.PUBLIC)
    testdata.test_case_add(
        problem=problem, input_data=b"1 2\n", answer_data=b"3\n", is_sample=True, group=None
    )
    testdata.test_case_add(
        problem=problem, input_data=b"40 2\n", answer_data=b"42\n", is_sample=False, group=None
    )
    return {
        "north": north,
        "south": south,
        "problem": problem,
        "foreign": ProblemFactory(tenant=south, code="south-only", title="South Only"),
        "instructor": MembershipFactory(tenant=north, role=Membership.Role.INSTRUCTOR).user,
        "student": MembershipFactory(tenant=north, role=Membership.Role.STUDENT).user,
        "other_instructor": MembershipFactory(tenant=south, role=Membership.Role.INSTRUCTOR).user,
    }


def _problem_urls(problem: Problem) -> list[str]:
    test = problem.tests.first()
    return [
        reverse("manage:problem_edit", args=[problem.code]),
        reverse("manage:tests", args=[problem.code]),
        reverse("manage:problem_delete", args=[problem.code]),
        reverse("manage:problem_export", args=[problem.code]),
        reverse("manage:test_edit", args=[problem.code, test.id]),
        reverse("manage:test_data", args=[problem.code, test.id, "input"]),
    ]


def _post_urls(problem: Problem) -> list[str]:
    test, group = problem.tests.first(), TestGroup.objects.create(problem=problem, name="p", points=1)
    return [
        reverse("manage:test_add", args=[problem.code]),
        reverse("manage:test_delete", args=[problem.code, test.id]),
        reverse("manage:tests_upload", args=[problem.code]),
        reverse("manage:group_add", args=[problem.code]),
        reverse("manage:group_edit", args=[problem.code, group.id]),
        reverse("manage:group_delete", args=[problem.code, group.id]),
        reverse("manage:problem_draft", args=[problem.code]),
        reverse("manage:problem_delete", args=[problem.code]),
    ]


def _problem_form(**overrides) -> dict:
    data = {
        "title": "Circle Area",
        "tenant": "",
        "visibility": "draft",
        "statement": "Print $\\pi r^2$.",
        "time_limit": "2",
        "memory_limit": "256",
        "output_limit": "1024",
        "time_multiplier": "2",
        "checker": "tokens",
        "case_sensitive": "on",
        "float_abs_tolerance": "0.000001",
        "float_rel_tolerance": "0.000001",
        "checker_language": "",
        "checker_source": "",
        "scoring": "pass_fail",
        "stop_on_first_failure": "on",
    }
    return {**data, **overrides}


# ---------- access ----------


def test_anonymous_is_sent_to_login(client, school):
    urls = [reverse("manage:problem_list"), reverse("manage:problem_new"), *_problem_urls(school["problem"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_non_staff_of_the_tenant_get_404_on_problem_pages(client, school, who):
    client.force_login(school[who])
    for url in _problem_urls(school["problem"]):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_non_staff_of_the_tenant_cannot_change_anything(client, school, who):
    client.force_login(school[who])
    problem = school["problem"]
    urls = _post_urls(problem)
    before = (problem.tests.count(), problem.groups.count(), Problem.objects.get(pk=problem.pk).visibility)

    for url in urls:
        assert (
            client.post(url, {"name": "x", "points": "1", "input_text": "1", "answer_text": "1"}).status_code
            == 404
        )

    after = (problem.tests.count(), problem.groups.count(), Problem.objects.get(pk=problem.pk).visibility)
    assert after == before
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_student_gets_404_on_list_new_and_preview(client, school):
    client.force_login(school["student"])

    assert client.get(reverse("manage:problem_list")).status_code == 404
    assert client.get(reverse("manage:problem_new")).status_code == 404
    assert client.post(reverse("manage:preview"), {"statement": "x"}).status_code == 404


def test_own_instructor_gets_every_page(client, school):
    client.force_login(school["instructor"])
    urls = [reverse("manage:problem_list"), reverse("manage:problem_new"), *_problem_urls(school["problem"])]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_superuser_may_edit_any_problem(client, school):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(reverse("manage:problem_edit", args=["south-only"])).status_code == 200


def test_list_shows_own_problems_with_test_counts_and_sizes(client, school):
    client.force_login(school["instructor"])

    response = client.get(reverse("manage:problem_list"))

    rows = {p.code: p for p in response.context["problems"]}
    assert set(rows) == {"sum"}
    assert rows["sum"].test_count == 2
    assert rows["sum"].data_size == len(b"1 2\n3\n40 2\n42\n")
    body = response.content.decode()
    assert "South Only" not in body
    assert reverse("manage:problem_new") in body


def test_problem_page_edit_link_points_to_the_manage_page(client, school):
    client.force_login(school["instructor"])

    body = client.get(reverse("problems:detail", args=["sum"])).content.decode()

    assert reverse("manage:problem_edit", args=["sum"]) in body
    assert "/admin/" not in body.split("<main", 1)[1]


# ---------- create and edit ----------


def test_create_problem(client, school):
    client.force_login(school["instructor"])
    data = _problem_form(
        code="circle", tenant=school["north"].id, checker="float", float_abs_tolerance="0.01"
    )

    response = client.post(reverse("manage:problem_new"), data)

    assert response.status_code == 302
    assert response.url == reverse("manage:tests", args=["circle"])
    problem = Problem.objects.get(code="circle")
    assert (problem.title, problem.tenant, problem.visibility) == ("Circle Area", school["north"], "draft")
    assert (problem.time_limit, problem.output_limit, problem.checker) == (2.0, 1024, "float")
    assert problem.float_abs_tolerance == 0.01


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "Bad Code"}, "code", "Use lowercase letters"),
        ({"code": "sum"}, "code", "A problem with this code already exists."),
        ({"code": ""}, "code", "This field is required."),
        ({"time_limit": "0"}, "time_limit", "greater than or equal to 0.1"),
        ({"memory_limit": "99999"}, "memory_limit", "less than or equal to 4096"),
        ({"statement": ""}, "statement", "This field is required."),
        ({"checker": "custom"}, "checker_language", "Choose the language of the custom checker."),
        ({"checker": "custom", "checker_language": "python"}, "checker_source", "Paste the source"),
        ({"checker": "custom", "checker_language": "cobol"}, "checker_language", "Select a valid choice"),
        ({"checker": "float", "float_abs_tolerance": "-1"}, "float_abs_tolerance", "cannot be negative"),
        ({"visibility": "secret"}, "visibility", "Select a valid choice"),
        ({"interactive": "on"}, "interactive", "An interactive problem needs a custom checker"),
        ({"time_multiplier": ""}, "time_multiplier", "This field is required."),
    ],
)
def test_create_problem_errors_are_precise_and_save_nothing(client, school, overrides, field, message):
    client.force_login(school["instructor"])
    data = _problem_form(code="circle", tenant=school["north"].id) | overrides

    response = client.post(reverse("manage:problem_new"), data)

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert set(Problem.objects.values_list("code", flat=True)) == {"sum", "south-only"}


def test_create_problem_in_a_tenant_one_does_not_teach_is_refused(client, school):
    client.force_login(school["instructor"])

    response = client.post(
        reverse("manage:problem_new"), _problem_form(code="evil", tenant=school["south"].id)
    )

    assert response.status_code == 400
    assert "tenant" in response.context["form"].errors
    assert not Problem.objects.filter(code="evil").exists()
    choices = list(response.context["form"].fields["tenant"].queryset)
    assert choices == [school["north"]]


def test_edit_problem(client, school):
    client.force_login(school["instructor"])
    url = reverse("manage:problem_edit", args=["sum"])
    data = _problem_form(
        code="renamed",
        title="Sum, again",
        tenant=school["north"].id,
        checker="custom",
        checker_language="python",
    )
    data["checker_source"] = "import sys\nsys.exit(42)\n"

    response = client.post(url, data)

    assert response.status_code == 302
    problem = Problem.objects.get(pk=school["problem"].pk)
    assert (problem.code, problem.title, problem.checker) == ("sum", "Sum, again", "custom")
    assert (problem.checker_language, problem.checker_source) == ("python", "import sys\nsys.exit(42)\n")
    assert problem.stop_on_first_failure is True


def test_a_checker_of_several_files_lists_them_and_the_editor_edits_its_entry(client, school):
    problem = school["problem"]
    entry, header = '#include "check.h"\nint main() { return accept(); }\n', "int accept() { return 42; }\n"
    Problem.objects.filter(pk=problem.pk).update(
        checker="custom", checker_language="cpp", checker_source=entry, checker_entry="check.cpp",
        checker_files={"check.h": header}, include_files={"default": {"given.h": "// given"}},
    )  # fmt: skip
    client.force_login(school["instructor"])
    url = reverse("manage:problem_edit", args=["sum"])
    page = client.get(url).content.decode()
    assert '<code>check.cpp</code> <span class="muted">(entry, edited above)</span>' in page
    assert '<code>check.h</code> <span class="muted">(28 characters)</span>' in page
    assert '<code>given.h</code> <span class="muted">(every language, 8 characters)</span>' in page

    edited = entry.replace("accept()", "accept() + 0")
    data = _problem_form(tenant=school["north"].id, checker="custom", checker_language="cpp")
    response = client.post(url, {**data, "checker_source": edited})

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.checker_file_set() == {"check.h": header, "check.cpp": edited}


def test_edit_problem_error_changes_nothing(client, school):
    client.force_login(school["instructor"])
    before = Problem.objects.get(pk=school["problem"].pk)

    response = client.post(
        reverse("manage:problem_edit", args=["sum"]),
        _problem_form(title="Changed", tenant=school["north"].id, output_limit="0"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["output_limit"]
    after = Problem.objects.get(pk=school["problem"].pk)
    assert (after.title, after.output_limit, after.updated_at) == (
        before.title,
        before.output_limit,
        before.updated_at,
    )
    assert (
        "<h1>Sum</h1>" in response.content.decode()
    )  # the header shows the saved title, not the rejected one


def test_edit_problem_tags_and_difficulty(client, school):
    client.force_login(school["instructor"])
    url = reverse("manage:problem_edit", args=["sum"])
    data = _problem_form(title="Sum", tenant=school["north"].id, tags="Math, Big Numbers", difficulty="easy")

    assert client.post(url, data).status_code == 302

    problem = Problem.objects.get(pk=school["problem"].pk)
    assert (problem.tags, problem.difficulty) == (["math", "big-numbers"], "easy")
    assert 'value="math, big-numbers"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("tags", "difficulty", "field", "message"),
    [
        ("<script>alert(1)</script>", "easy", "tags", "may use only lowercase letters"),
        (", ".join(f"t{n}" for n in range(9)), "easy", "tags", "At most 8 tags"),
        ("x" * 31, "easy", "tags", "longer than 30 characters"),
        ("math", "trivial", "difficulty", "Select a valid choice"),
    ],
)
def test_bad_tags_or_difficulty_are_refused_and_change_nothing(
    client, school, tags, difficulty, field, message
):
    problem = school["problem"]
    Problem.objects.filter(pk=problem.pk).update(tags=["old"], difficulty="hard")
    client.force_login(school["instructor"])
    data = _problem_form(title="Changed", tenant=school["north"].id, tags=tags, difficulty=difficulty)

    response = client.post(reverse("manage:problem_edit", args=["sum"]), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "<script>alert(1)</script>" not in response.content.decode()
    problem.refresh_from_db()
    assert (problem.title, problem.tags, problem.difficulty) == ("Sum", ["old"], "hard")


def test_edit_page_renders_the_statement_preview(client, school):
    client.force_login(school["instructor"])

    response = client.get(reverse("manage:problem_edit", args=["sum"]))

    assert '<span class="math math-inline">a</span>' in response.content.decode()


# ---------- preview ----------


def test_preview_renders_markdown_and_math(client, school):
    client.force_login(school["instructor"])

    response = client.post(
        reverse("manage:preview"), {"statement": "## Input\n\n$x_1 < y$ and\n\n$$\\sum_i a_i$$"}
    )

    assert response.status_code == 200
    html = response.json()["html"]
    assert "<h2>Input</h2>" in html
    assert '<span class="math math-inline">x_1 &lt; y</span>' in html
    assert '<div class="math math-display">\\sum_i a_i</div>' in html


def test_preview_sanitises_html(client, school):
    client.force_login(school["instructor"])

    html = client.post(reverse("manage:preview"), {"statement": "<script>alert(1)</script>hi"}).json()["html"]

    assert "<script" not in html


def test_preview_is_post_only_and_csrf_protected(school):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(school["instructor"])
    url = reverse("manage:preview")

    assert strict.get(url).status_code == 405
    assert strict.post(url, {"statement": "x"}).status_code == 403
    token = strict.get(reverse("manage:problem_new")).context["csrf_token"]
    response = strict.post(url, {"statement": "$x$"}, headers={"X-CSRFToken": str(token)})
    assert response.status_code == 200
    assert "math-inline" in response.json()["html"]


def test_preview_requires_login(client, school):
    response = client.post(reverse("manage:preview"), {"statement": "x"})

    assert response.status_code == 302


# ---------- tests ----------


def test_tests_page_lists_tests_in_judging_order(client, school):
    problem = school["problem"]
    late_sample = testdata.test_case_add(
        problem=problem, input_data=b"0 0\n", answer_data=b"0\n", is_sample=True, group=None
    )
    client.force_login(school["instructor"])

    response = client.get(reverse("manage:tests", args=["sum"]))

    tests = list(response.context["tests"])
    assert [t.is_sample for t in tests] == [True, True, False]
    assert tests[1] == late_sample
    assert response.context["stats"] == {"tests": 3, "samples": 2, "ungrouped": 1, "size": 20, "groups": 0}


def test_add_test_from_text(client, school):
    client.force_login(school["instructor"])
    group = TestGroup.objects.create(problem=school["problem"], name="big", points=10)

    response = client.post(
        reverse("manage:test_add", args=["sum"]),
        {"input_text": "5 6\r\n7 8", "answer_text": "11\r\n15\r\n", "is_sample": "on", "group": group.id},
    )

    assert response.status_code == 302
    test = school["problem"].tests.order_by("-order").first()
    assert (test.read_input(), test.read_answer()) == (b"5 6\n7 8\n", b"11\n15\n")
    assert (test.input_size, test.answer_size, test.is_sample, test.group) == (8, 6, True, group)
    assert test.name == f"test {test.order}"


def test_add_test_from_files(client, school):
    client.force_login(school["instructor"])
    data = {
        "input_file": SimpleUploadedFile("x.in", b"\x00\x01binary\r\n"),
        "answer_file": SimpleUploadedFile("x.ans", b"ok"),
        "input_text": "ignored when a file is given",
        "name": "binary",
    }

    response = client.post(reverse("manage:test_add", args=["sum"]), data)

    assert response.status_code == 302
    test = school["problem"].tests.get(name="binary")
    assert (test.read_input(), test.read_answer()) == (b"\x00\x01binary\r\n", b"ok")


def test_add_test_errors(client, school):
    client.force_login(school["instructor"])
    foreign_group = TestGroup.objects.create(problem=school["foreign"], name="theirs")
    url = reverse("manage:test_add", args=["sum"])

    empty = client.post(url, {"input_text": "", "answer_text": ""})
    wrong_group = client.post(url, {"input_text": "1", "answer_text": "1", "group": foreign_group.id})

    assert empty.status_code == 400
    assert empty.context["add_form"].non_field_errors() == ["Both the input and the answer are empty."]
    assert wrong_group.status_code == 400
    assert "Select a valid choice" in wrong_group.context["add_form"].errors["group"][0]
    assert school["problem"].tests.count() == 2


def test_add_test_file_too_large(client, school, monkeypatch):
    monkeypatch.setattr("problems.forms.TEST_MAX_BYTES", 1024)
    client.force_login(school["instructor"])

    response = client.post(
        reverse("manage:test_add", args=["sum"]),
        {"input_file": SimpleUploadedFile("x.in", b"1" * 2048), "answer_text": "1"},
    )

    assert response.status_code == 400
    assert response.context["add_form"].errors["input_file"] == [
        "The file is 2.0\xa0KB; the limit is 1.0\xa0KB."
    ]
    assert school["problem"].tests.count() == 2


def test_edit_test(client, school, django_capture_on_commit_callbacks):
    client.force_login(school["instructor"])
    test = school["problem"].tests.get(is_sample=False)
    old_answer, input_name = test.answer_file.name, test.input_file.name
    storage = test.answer_file.storage
    group = TestGroup.objects.create(problem=school["problem"], name="main", points=5)
    url = reverse("manage:test_edit", args=["sum", test.id])
    assert client.get(url).context["form"]["answer_text"].value() == "42\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "forty-two",
                "input_text": "40 2\r\n",
                "answer_text": "42\n\n",
                "is_sample": "on",
                "group": group.id,
            },
        )

    assert response.status_code == 302
    test.refresh_from_db()
    assert (test.name, test.is_sample, test.group) == ("forty-two", True, group)
    assert test.input_file.name == input_name  # unchanged text: the file is kept
    assert (test.read_answer(), test.answer_size) == (b"42\n\n", 4)
    assert not storage.exists(old_answer)


def test_edit_test_of_another_problem_is_404(client, school):
    client.force_login(school["instructor"])
    mine = ProblemFactory(tenant=school["north"], code="other")
    test = testdata.test_case_add(
        problem=mine, input_data=b"1", answer_data=b"1", is_sample=False, group=None
    )

    assert client.get(reverse("manage:test_edit", args=["sum", test.id])).status_code == 404
    assert client.post(reverse("manage:test_delete", args=["sum", test.id])).status_code == 404
    assert TestCase.objects.filter(pk=test.pk).exists()


def test_download_test_data(client, school):
    client.force_login(school["instructor"])
    test = school["problem"].tests.get(is_sample=False)

    response = client.get(reverse("manage:test_data", args=["sum", test.id, "answer"]))

    assert b"".join(response.streaming_content) == b"42\n"
    assert client.get(reverse("manage:test_data", args=["sum", test.id, "source"])).status_code == 404


def test_delete_test_removes_row_and_files(client, school, django_capture_on_commit_callbacks):
    client.force_login(school["instructor"])
    test = school["problem"].tests.get(is_sample=False)
    names = [test.input_file.name, test.answer_file.name]
    storage = test.input_file.storage

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manage:test_delete", args=["sum", test.id]))

    assert response.status_code == 302
    assert not TestCase.objects.filter(pk=test.pk).exists()
    assert not any(storage.exists(name) for name in names)


def test_delete_test_needs_post(client, school):
    client.force_login(school["instructor"])
    test = school["problem"].tests.first()

    assert client.get(reverse("manage:test_delete", args=["sum", test.id])).status_code == 405
    assert TestCase.objects.filter(pk=test.pk).exists()


# ---------- groups ----------


def test_add_edit_delete_group(client, school):
    client.force_login(school["instructor"])
    problem = school["problem"]

    assert (
        client.post(
            reverse("manage:group_add", args=["sum"]), {"name": " small ", "points": "30"}
        ).status_code
        == 302
    )
    group = problem.groups.get()
    assert (group.name, group.points) == ("small", 30)
    test = problem.tests.get(is_sample=False)
    test.group = group
    test.save(update_fields=["group"])

    response = client.post(
        reverse("manage:group_edit", args=["sum", group.id]), {"name": "tiny", "points": "40"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.points) == ("tiny", 40)

    assert client.post(reverse("manage:group_delete", args=["sum", group.id])).status_code == 302
    assert not problem.groups.exists()
    test.refresh_from_db()
    assert test.group is None


def test_group_errors(client, school):
    client.force_login(school["instructor"])
    problem = school["problem"]
    first = TestGroup.objects.create(problem=problem, name="first", points=1, order=1)
    TestGroup.objects.create(problem=problem, name="second", points=2, order=2)

    duplicate = client.post(reverse("manage:group_add", args=["sum"]), {"name": "first", "points": "1"})
    negative = client.post(reverse("manage:group_add", args=["sum"]), {"name": "third", "points": "-1"})
    rename = client.post(
        reverse("manage:group_edit", args=["sum", first.id]), {"name": "second", "points": "1"}
    )

    assert duplicate.status_code == 400
    assert duplicate.context["group_form"].errors["name"] == [
        "This problem already has a group named “first”."
    ]
    assert negative.status_code == 400
    assert "greater than or equal to 0" in negative.context["group_form"].errors["points"][0]
    assert rename.status_code == 400
    assert rename.context["group_errors"]["group_id"] == first.id
    assert "already has a group named “second”" in rename.content.decode()
    assert sorted(problem.groups.values_list("name", "points")) == [("first", 1), ("second", 2)]


def test_tests_page_warns_when_group_scoring_has_no_points(client, school):
    problem = school["problem"]
    Problem.objects.filter(pk=problem.pk).update(scoring=Problem.Scoring.GROUPS)
    TestGroup.objects.create(problem=problem, name="empty", points=0)
    client.force_login(school["instructor"])

    body = client.get(reverse("manage:tests", args=["sum"])).content.decode()

    assert "no group has points" in body
    assert "Group “empty” has no tests" in body
    assert "1 test is in no group: judged, but worth no points." in body


# ---------- deletion ----------


def test_delete_problem_without_submissions(client, school, django_capture_on_commit_callbacks):
    client.force_login(school["instructor"])
    problem = school["problem"]
    names = [t.input_file.name for t in problem.tests.all()]
    storage = problem.tests.first().input_file.storage
    url = reverse("manage:problem_delete", args=["sum"])
    assert "Delete “Sum”?" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("manage:problem_list")
    assert not Problem.objects.filter(code="sum").exists()
    assert not any(storage.exists(name) for name in names)


def test_problem_with_submissions_is_not_deleted_but_can_become_draft(client, school):
    client.force_login(school["instructor"])
    problem = school["problem"]
    SubmissionFactory(problem=problem, user=school["student"])
    url = reverse("manage:problem_delete", args=["sum"])

    page = client.get(url)
    refused = client.post(url, follow=True)
    drafted = client.post(reverse("manage:problem_draft", args=["sum"]))

    assert "cannot be deleted" in page.content.decode()
    assert "Make it a draft" in page.content.decode()
    assert "make it a draft instead" in refused.content.decode()
    assert Problem.objects.filter(code="sum").exists()
    assert drafted.status_code == 302
    assert Problem.objects.get(code="sum").visibility == Problem.Visibility.DRAFT


def test_problem_list_links_instructors_to_their_problems(client, school):
    manage = reverse("manage:problem_list")
    client.force_login(school["student"])
    assert manage not in client.get(reverse("problems:list")).content.decode()

    client.force_login(school["instructor"])
    assert manage in client.get(reverse("problems:list")).content.decode()


def test_large_test_is_replaced_by_file_not_edited_as_text(client, school, monkeypatch):
    monkeypatch.setattr("problems.forms.TEXT_EDIT_MAX_BYTES", 4)
    client.force_login(school["instructor"])
    test = school["problem"].tests.get(is_sample=False)  # input "40 2\n" is 5 bytes: over the limit
    url = reverse("manage:test_edit", args=["sum", test.id])

    page = client.get(url)
    kept = client.post(url, {"name": "n", "input_text": "tampered\n", "answer_text": "42\n"})
    test.refresh_from_db()
    after_kept = test.read_input()
    replaced = client.post(
        url, {"name": "n", "input_file": SimpleUploadedFile("x.in", b"1 1\n"), "answer_text": "2"}
    )
    test.refresh_from_db()

    assert page.context["form"].fields["input_text"].disabled
    assert "Too large to edit here (5\xa0bytes)" in page.content.decode()
    assert page.context["form"]["answer_text"].value() == "42\n"
    assert (kept.status_code, after_kept) == (302, b"40 2\n")
    assert replaced.status_code == 302
    assert (test.read_input(), test.read_answer(), test.input_size) == (b"1 1\n", b"2\n", 4)


def test_problem_used_elsewhere_is_not_deleted(client, school, monkeypatch):
    def protected(self, *args, **kwargs):
        raise ProtectedError("used by a contest", set())

    monkeypatch.setattr(Problem, "delete", protected)
    client.force_login(school["instructor"])

    response = client.post(reverse("manage:problem_delete", args=["sum"]), follow=True)

    assert "used elsewhere (in a contest)" in response.content.decode()
    assert school["problem"].tests.count() == 2


def test_previews_are_rate_limited_per_instructor(client, school, settings):
    settings.MANAGE_PREVIEW_RATE = "2/m"
    client.force_login(school["instructor"])

    codes = [client.post(reverse("manage:preview"), {"statement": "x"}).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
