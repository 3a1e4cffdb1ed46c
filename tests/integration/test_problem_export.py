"""Exporting a problem as a package: the "Download package" button and the export_problem command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership
from problems.archives import archive_read
from problems.models import Problem
from problems.services.packages import problem_import_package
from tests.factories import MembershipFactory, TenantFactory

pytestmark = pytest.mark.django_db

SUMTWO = Path(__file__).resolve().parents[1] / "packages" / "sumtwo"
MULTIFILE = SUMTWO.parent / "multifile"


@pytest.fixture
def problem() -> Problem:
    return problem_import_package(tenant=TenantFactory(slug="school"), path_or_bytes=SUMTWO).problem


def _content(problem: Problem) -> dict:
    problem.refresh_from_db()
    return {
        "settings": {
            name: getattr(problem, name) for name in ("title", "statement", "time_limit", "checker")
        },
        "checker_source": problem.checker_source,
        "checker_files": (problem.checker_language, problem.checker_entry, problem.checker_files),
        "include_files": problem.include_files,
        "groups": list(problem.groups.values_list("name", "points")),
        "tests": [
            (t.name, t.is_sample, t.read_input(), t.read_answer()) for t in problem.tests.order_by("order")
        ],
        "solutions": list(
            problem.reference_solutions.values_list(
                "name", "language", "source", "entry", "files", "expected"
            )
        ),
    }


def test_the_manage_page_offers_the_package_for_download(client, problem):
    client.force_login(MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user)
    url = reverse("manage:problem_export", args=[problem.code])
    assert url in client.get(reverse("manage:problem_edit", args=[problem.code])).content.decode()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="sumtwo.zip"'
    assert "sumtwo/problem.yaml" in archive_read(data=response.content)
    copy = problem_import_package(tenant=problem.tenant, path_or_bytes=response.content, code="copy").problem
    assert _content(copy) == _content(problem)


@pytest.mark.parametrize("role", [Membership.Role.STUDENT, "other course"])
def test_others_get_404_for_the_package(client, problem, role):
    if role == "other course":
        user = MembershipFactory(tenant=TenantFactory(), role=Membership.Role.INSTRUCTOR).user
    else:
        user = MembershipFactory(tenant=problem.tenant, role=role).user
    client.force_login(user)
    assert client.get(reverse("manage:problem_export", args=[problem.code])).status_code == 404
    assert client.get(reverse("manage:problem_export", args=["no-such-problem"])).status_code == 404


def test_the_package_is_not_sent_to_an_anonymous_visitor(client, problem):
    response = client.get(reverse("manage:problem_export", args=[problem.code]))
    assert response.status_code == 302
    assert not response.content


@pytest.mark.parametrize("target", ["out/sumtwo.zip", "out"])
def test_export_command_then_import_command_gives_the_problem_back(tmp_path, problem, target):
    out = StringIO()
    call_command("export_problem", "sumtwo", str(tmp_path / target), stdout=out)
    written = tmp_path / target if target.endswith(".zip") else tmp_path / target / "sumtwo"
    assert out.getvalue().strip() == f"exported problem sumtwo to {written}"
    assert written.is_file() if target.endswith(".zip") else (written / "problem.yaml").is_file()

    call_command("import_problem", str(written), "--code", "copy", stdout=StringIO())

    assert _content(Problem.objects.get(code="copy")) == _content(problem)


def test_export_command_names_an_unknown_problem(tmp_path):
    with pytest.raises(CommandError, match="no problem 'nope'"):
        call_command("export_problem", "nope", str(tmp_path / "nope.zip"))


def test_export_command_does_not_write_over_a_folder(tmp_path, problem):
    (tmp_path / "sumtwo").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_problem", "sumtwo", str(tmp_path))


def test_programs_of_several_files_and_include_files_come_back_from_an_export(tmp_path):
    tenant = TenantFactory(slug="school")
    problem = problem_import_package(tenant=tenant, path_or_bytes=MULTIFILE).problem
    assert (problem.checker_entry, sorted(problem.checker_files)) == (
        "sumcheck.cpp",
        ["read.cpp", "sumcheck.h"],
    )
    folders = problem.reference_solutions.exclude(entry="")
    assert {(s.name, s.entry) for s in folders} == {
        ("accepted/JavaPieces", "Main.java"),
        ("accepted/pieces_cpp", "main.cpp"),
        ("accepted/py_entry", "solve.py"),
        ("accepted/scripted", "sum.cpp"),
        ("wrong_answer/pieces_c", "main.c"),
    }
    assert sorted(problem.include_files) == ["default", "python"]

    call_command("export_problem", problem.code, str(tmp_path), stdout=StringIO())
    call_command("import_problem", str(tmp_path / problem.code), "--code", "copy", stdout=StringIO())

    assert _content(Problem.objects.get(code="copy")) == _content(problem)
