"""Importing and exporting Kattis packages through the service and the import_problem command."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from problems.archives import archive_read, archive_write
from problems.models import Problem, ReferenceSolution
from problems.packages import PackageError
from problems.services.packages import problem_export_package, problem_import_package
from tests.factories import SubmissionFactory, TenantFactory

pytestmark = pytest.mark.django_db

SUMTWO = Path(__file__).resolve().parents[1] / "packages" / "sumtwo"
_PROBLEM_FIELDS = [
    f.name
    for f in Problem._meta.get_fields()
    if f.concrete and f.name not in ("id", "code", "created_at", "updated_at")
]


@pytest.fixture
def tenant():
    return TenantFactory(slug="school")


@pytest.fixture
def sumtwo(tmp_path) -> Path:
    """A copy of the sumtwo package that a test may change."""
    return Path(shutil.copytree(SUMTWO, tmp_path / "sumtwo"))


def _snapshot(problem: Problem) -> dict:
    problem.refresh_from_db()
    return {
        "problem": {name: getattr(problem, name) for name in _PROBLEM_FIELDS},
        "groups": list(problem.groups.values_list("name", "points", "order")),
        "tests": [
            (t.order, t.name, t.is_sample, t.group.name if t.group else "", t.read_input(), t.read_answer())
            for t in problem.tests.select_related("group").order_by("order")
        ],
        "solutions": list(problem.reference_solutions.values_list("name", "language", "source", "expected")),
    }


def _stored_files(settings) -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# import


def test_import_sumtwo(tenant):
    report = problem_import_package(tenant=tenant, path_or_bytes=SUMTWO)
    problem = report.problem
    assert report.created and problem.code == "sumtwo" and problem.tenant == tenant
    assert problem.visibility == Problem.Visibility.DRAFT
    assert problem.title == "Sum of Two"
    assert problem.statement.startswith("Ada has two integers $a$ and $b$ and wants to know *their sum*.")
    assert "## Input" in problem.statement and "- Group `small` (40 points)" in problem.statement
    assert problem.statement_source.startswith("\\problemname{Sum of Two}")
    assert (problem.time_limit, problem.time_multiplier, problem.memory_limit) == (1.0, 5.0, 256)
    assert problem.output_limit == 8 * 1024
    assert problem.checker == Problem.Checker.CUSTOM and problem.checker_language == "python"
    assert "def verdict(expected: int" in problem.checker_source
    assert problem.scoring == Problem.Scoring.GROUPS
    assert problem.source_package == "sumtwo"
    assert list(problem.groups.values_list("name", "points", "order")) == [("large", 60, 0), ("small", 40, 1)]
    tests = problem.tests.select_related("group").order_by("order")
    assert [(t.name, t.is_sample, t.group.name if t.group else "") for t in tests] == [
        ("sample/1", True, ""),
        ("sample/2", True, ""),
        ("secret/large/01", False, "large"),
        ("secret/large/02", False, "large"),
        ("secret/small/01", False, "small"),
        ("secret/small/02", False, "small"),
        ("secret/small/03", False, "small"),
    ]
    assert tests[2].read_input() == b"1000000000 1000000000\n" and tests[2].input_size == 22
    assert set(problem.reference_solutions.values_list("name", "language", "expected")) == {
        ("accepted/sum.c", "c", ReferenceSolution.Expected.ACCEPTED),
        ("accepted/sum.py", "python", ReferenceSolution.Expected.ACCEPTED),
        ("wrong_answer/forgets_sign.py", "python", ReferenceSolution.Expected.WRONG_ANSWER),
        ("time_limit_exceeded/spin.c", "c", ReferenceSolution.Expected.TIME_LIMIT_EXCEEDED),
        ("run_time_error/throws.cpp", "cpp", ReferenceSolution.Expected.RUN_TIME_ERROR),
    }
    assert (report.tests, report.samples, report.groups, report.solutions) == (7, 2, 2, 5)
    assert "input_validators ignored: input files are not validated on import" in report.warnings


def test_import_from_zip_bytes_with_a_code_and_visibility(tenant):
    files = {
        f"pkg/{p.relative_to(SUMTWO).as_posix()}": p.read_bytes() for p in SUMTWO.rglob("*") if p.is_file()
    }
    report = problem_import_package(
        tenant=tenant, path_or_bytes=archive_write(files=files), code="add-two", visibility="public"
    )
    assert (report.problem.code, report.problem.visibility, report.problem.source_package) == (
        "add-two",
        "public",
        "pkg",
    )
    assert report.problem.tests.count() == 7


def test_no_time_limit_is_reported(tenant):
    report = problem_import_package(tenant=tenant, path_or_bytes=SUMTWO.parent / "notimelimit")
    assert not report.time_limit_given
    assert report.problem.time_limit == 1.0
    assert "no time limit in the package: using 1.0 s; derive it with judge_package" in report.warnings
    assert report.problem.time_multiplier == 3.0
    assert report.problem.case_sensitive is False  # default validator without the case_sensitive flag


def test_reimport_replaces_content_but_keeps_the_problem_and_its_submissions(
    tenant, sumtwo, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = problem_import_package(tenant=tenant, path_or_bytes=sumtwo, visibility="public").problem
    submission = SubmissionFactory(problem=first)
    old_files = _stored_files(settings)
    (sumtwo / "data/secret/small/03.in").unlink()
    (sumtwo / "data/secret/small/03.ans").unlink()
    (sumtwo / "submissions/wrong_answer/forgets_sign.py").unlink()
    (sumtwo / "problem.yaml").write_text("name: Sum of Two, again\ntype: scoring\nvalidation: custom\n")
    with django_capture_on_commit_callbacks(execute=True):
        report = problem_import_package(tenant=tenant, path_or_bytes=sumtwo)
    problem = report.problem
    assert not report.created and problem.id == first.id
    assert problem.title == "Sum of Two, again"
    assert problem.visibility == Problem.Visibility.PUBLIC  # not given: unchanged
    assert problem.time_limit == 1.0  # no limit in the new problem.yaml: the old one stays
    assert problem.tests.count() == 6 and problem.groups.count() == 2
    assert problem.reference_solutions.count() == 4
    submission.refresh_from_db()  # still there
    new_files = _stored_files(settings)
    assert len(new_files) == 12 and not old_files & new_files  # the old test files are gone


def test_code_of_another_tenant_is_refused(tenant):
    problem_import_package(tenant=TenantFactory(), path_or_bytes=SUMTWO)
    with pytest.raises(PackageError, match="the problem code 'sumtwo' is already used by another tenant"):
        problem_import_package(tenant=tenant, path_or_bytes=SUMTWO)


def test_import_command(tenant):
    out = StringIO()
    call_command("import_problem", str(SUMTWO), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "created problem sumtwo from package sumtwo: 7 tests (2 samples), 2 groups, 5 reference solutions"
    )
    assert "warning: input_validators ignored: input files are not validated on import" in lines
    out = StringIO()
    call_command("import_problem", str(SUMTWO), "--tenant", "school", "--code", "sumtwo", stdout=out)
    assert out.getvalue().startswith("replaced problem sumtwo")


def test_import_command_needs_a_tenant_when_there_are_several(tenant):
    TenantFactory(slug="another")
    with pytest.raises(CommandError, match="say which tenant with --tenant; tenants: another, school"):
        call_command("import_problem", str(SUMTWO))
    with pytest.raises(CommandError, match="no tenant 'nope'; tenants: another, school"):
        call_command("import_problem", str(SUMTWO), "--tenant", "nope")


# malformed packages


def _break_missing_yaml(root: Path) -> None:
    (root / "problem.yaml").unlink()


def _break_unpaired(root: Path) -> None:
    (root / "data/secret/large/02.ans").unlink()


def _break_yaml(root: Path) -> None:
    (root / "problem.yaml").write_text("name: [oops\n")


def _break_validation(root: Path) -> None:
    (root / "problem.yaml").write_text("name: X\nvalidation: psychic\n")


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (
            _break_missing_yaml,
            "no problem.yaml or domjudge-problem.ini: is this a problem package?",
        ),
        (_break_unpaired, "data/secret/large/02.in has no matching 02.ans"),
        (_break_yaml, "problem.yaml: invalid YAML at line 2"),
        (_break_validation, "problem.yaml: unknown validation type 'psychic'"),
    ],
)
def test_malformed_packages_change_nothing(tenant, sumtwo, settings, breaker, message):
    problem = problem_import_package(tenant=tenant, path_or_bytes=sumtwo).problem
    before, files_before = _snapshot(problem), _stored_files(settings)
    breaker(sumtwo)
    with pytest.raises(CommandError) as caught:
        call_command("import_problem", str(sumtwo), "--tenant", "school")
    assert str(caught.value).startswith(f"{sumtwo}: {message}")
    assert caught.value.returncode == 1
    assert _snapshot(problem) == before
    assert _stored_files(settings) == files_before
    assert Problem.objects.count() == 1


def test_a_failure_while_saving_leaves_no_files(tenant, sumtwo, settings, monkeypatch):
    from problems.services import packages as service

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service.ReferenceSolution.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        problem_import_package(tenant=tenant, path_or_bytes=sumtwo)
    assert not Problem.objects.exists()
    assert _stored_files(settings) == set()


def test_out_of_range_limits_are_clamped_with_a_warning(tenant, sumtwo):
    (sumtwo / "problem.yaml").write_text("validation: custom\nlimits:\n  time_limit: 0.01\n  memory: 8192\n")
    report = problem_import_package(tenant=tenant, path_or_bytes=sumtwo)
    assert (report.problem.time_limit, report.problem.memory_limit) == (0.1, 4096)
    assert "time_limit 0.01 s is out of range: using 0.1 s" in report.warnings
    assert "memory_limit 8192 MiB is out of range: using 4096 MiB" in report.warnings


# export


def test_export_then_import_gives_the_same_problem(tenant):
    original = problem_import_package(tenant=tenant, path_or_bytes=SUMTWO).problem
    exported = problem_export_package(problem=original)
    assert exported == problem_export_package(problem=original)  # deterministic
    files = archive_read(data=exported)
    assert "sumtwo/problem_statement/problem.tex" in files
    assert "sumtwo/output_validators/checker/checker.py" in files
    assert files["sumtwo/data/secret/small/testdata.yaml"] == b"score: 40.0\n"
    copy = problem_import_package(tenant=tenant, path_or_bytes=exported, code="sumtwo-copy").problem
    assert _snapshot(copy) == _snapshot(original)
    # and back into the same code: a replace that changes nothing
    before = _snapshot(original)
    problem_import_package(tenant=tenant, path_or_bytes=exported)
    assert _snapshot(original) == before


def _markdown_package(flags: str) -> bytes:
    return archive_write(
        files={
            "floaty/problem.yaml": (
                f"name: Floaty\nlimits:\n  time_limit: 2.5\n  output: 1\nvalidator_flags: {flags}\n"
            ).encode(),
            "floaty/problem_statement/problem.md": b"Print $\\pi$.\n",
            "floaty/data/sample/a.in": b"",
            "floaty/data/sample/a.ans": b"3.14159\n",
            "floaty/data/secret/b.in": b"",
            "floaty/data/secret/b.ans": b"3.1415926\n",
            "floaty/submissions/accepted/pi.py": b"print(3.1415926)\n",
            "floaty/submissions/accepted/pi.rb": b"puts 3.1415926\n",
        }
    )


@pytest.mark.parametrize(
    "flags",
    ["float_tolerance 1e-4", "float_absolute_tolerance 0.01 case_sensitive", "space_change_sensitive", ""],
)
def test_export_round_trip_of_default_validation(tenant, flags):
    original = problem_import_package(tenant=tenant, path_or_bytes=_markdown_package(flags)).problem
    assert original.output_limit == 1024
    copy = problem_import_package(
        tenant=tenant, path_or_bytes=problem_export_package(problem=original), code="copy"
    ).problem
    assert _snapshot(copy) == _snapshot(original)


def test_export_after_the_statement_was_edited_writes_markdown(tenant):
    problem = problem_import_package(tenant=tenant, path_or_bytes=SUMTWO).problem
    problem.statement = "A rewritten statement.\n"
    problem.save(update_fields=["statement"])
    files = archive_read(data=problem_export_package(problem=problem))
    assert files["sumtwo/problem_statement/problem.md"] == b"A rewritten statement.\n"
    assert "sumtwo/problem_statement/problem.tex" not in files
