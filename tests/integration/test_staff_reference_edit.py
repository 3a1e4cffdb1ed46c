"""The validation page's actions: apply the suggested time limit, edit and delete reference solutions."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from judge.staff.selectors import reference_run_latest
from judge.submissions.models import Submission, Verdict
from problems.models import ReferenceSolution
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db
Expected = ReferenceSolution.Expected


@pytest.fixture
def problem():
    return problem_with_tests(tests=[("3 4\n", True, "")])


@pytest.fixture
def instructor(problem):
    return MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user


@pytest.fixture
def solution(problem):
    return ReferenceSolution.objects.create(
        problem=problem, name="accepted/sum.py", language="python", source="ok", expected=Expected.ACCEPTED
    )


def _accepted_run(solution, max_time: float) -> Submission:
    return SubmissionFactory(
        problem=solution.problem,
        kind=Submission.Kind.REFERENCE,
        language=solution.language,
        source=solution.source,
        status=Submission.Status.DONE,
        verdict=Verdict.AC,
        max_time=max_time,
    )


def _url(name: str, *args) -> str:
    return reverse(f"staff:{name}", args=list(args))


def test_apply_sets_the_suggested_time_limit_not_the_posted_one(client, problem, instructor, solution):
    problem.time_multiplier = 2
    problem.save(update_fields=["time_multiplier"])
    timed = _accepted_run(solution, 0.76)  # × 2 = 1.52, up to whole seconds
    client.force_login(instructor)

    page = client.get(_url("validate", problem.code)).content.decode()
    response = client.post(_url("time_limit_apply", problem.code), {"time_limit": "9"}, follow=True)

    assert f'action="{_url("time_limit_apply", problem.code)}"' in page and "Apply 2 s" in page
    problem.refresh_from_db()
    assert problem.time_limit == 2.0
    assert (
        "The time limit is now 2 s; the reference solutions run again under it." in response.content.decode()
    )
    # the run timed under the old limit no longer stands: a new one is queued under the new limit
    again = Submission.objects.filter(problem=problem, kind=Submission.Kind.REFERENCE).exclude(pk=timed.pk)
    assert [run.status for run in again] == [Submission.Status.QUEUED]


def test_apply_without_a_suggestion_changes_nothing(client, problem, instructor, solution):
    before = problem.time_limit
    client.force_login(instructor)

    response = client.post(_url("time_limit_apply", problem.code), follow=True)

    problem.refresh_from_db()
    assert problem.time_limit == before
    assert "There is no suggested time limit yet" in response.content.decode()


def test_staff_edit_a_reference_solution_with_the_code_editor(client, problem, instructor, solution):
    client.force_login(instructor)
    url = _url("reference_solution_edit", problem.code, solution.id)

    page = client.get(url).content.decode()
    form = {"name": "accepted/fast.py", "language": "python", "expected": "accepted", "source": "print(7)\n"}
    response = client.post(url, form)

    assert 'class="code-input"' in page and "js/code-editor.js" in page and "<script>" not in page
    assert f'href="{url}">Edit</a>' in client.get(_url("validate", problem.code)).content.decode()
    assert response.status_code == 302
    solution.refresh_from_db()
    assert (solution.name, solution.source) == ("accepted/fast.py", "print(7)\n")


def test_a_solution_of_several_files_lists_them_and_its_runs_count_only_for_those_files(
    client, problem, instructor
):
    solution = ReferenceSolution.objects.create(
        problem=problem, name="accepted/pieces", language="python", source="import helper\n",
        entry="main.py", files={"helper.py": "x = 1\n"},
    )  # fmt: skip
    client.force_login(instructor)
    page = client.get(_url("reference_solution_edit", problem.code, solution.id)).content.decode()
    assert "<code>main.py</code>" in page and "<code>helper.py</code>" in page
    same = {"language": "python", "source": "import helper\n", "entry": "main.py"}
    SubmissionFactory(problem=problem, kind=Submission.Kind.REFERENCE, files={"helper.py": "x = 2\n"}, **same)
    assert reference_run_latest(solution=solution) is None  # it ran other files
    run = SubmissionFactory(problem=problem, kind=Submission.Kind.REFERENCE, files=solution.files, **same)
    assert reference_run_latest(solution=solution) == run


def test_an_edit_to_an_existing_name_is_refused(client, problem, instructor, solution):
    ReferenceSolution.objects.create(problem=problem, name="accepted/b.py", language="python", source="x")
    client.force_login(instructor)
    form = {"name": "accepted/b.py", "language": "python", "expected": "accepted", "source": "ok"}

    response = client.post(_url("reference_solution_edit", problem.code, solution.id), form)

    assert response.status_code == 400 and "already has a reference solution" in response.content.decode()


def test_staff_delete_a_reference_solution(client, problem, instructor, solution):
    client.force_login(instructor)
    url = _url("reference_solution_delete", problem.code, solution.id)

    assert client.get(url).status_code == 405
    assert f'action="{url}"' in client.get(_url("validate", problem.code)).content.decode()
    response = client.post(url, follow=True)

    assert not ReferenceSolution.objects.filter(pk=solution.pk).exists()
    assert "Deleted accepted/sum.py." in response.content.decode()


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_only_staff_of_the_problem_may_apply_edit_or_delete(client, problem, solution, who):
    tenant = problem.tenant if who == "student" else MembershipFactory().tenant
    role = Membership.Role.STUDENT if who == "student" else Membership.Role.INSTRUCTOR
    client.force_login(MembershipFactory(tenant=tenant, role=role).user)
    _accepted_run(solution, 0.31)
    before = problem.time_limit

    assert client.post(_url("time_limit_apply", problem.code)).status_code == 404
    assert client.get(_url("reference_solution_edit", problem.code, solution.id)).status_code == 404
    assert client.post(_url("reference_solution_delete", problem.code, solution.id)).status_code == 404
    problem.refresh_from_db()
    assert problem.time_limit == before and ReferenceSolution.objects.filter(pk=solution.pk).exists()


def test_another_problems_solution_is_a_404(client, problem, instructor, solution):
    other = ProblemFactory(tenant=problem.tenant)
    client.force_login(instructor)

    assert client.get(_url("reference_solution_edit", other.code, solution.id)).status_code == 404
    assert client.post(_url("reference_solution_delete", other.code, solution.id)).status_code == 404
    assert ReferenceSolution.objects.filter(pk=solution.pk).exists()
