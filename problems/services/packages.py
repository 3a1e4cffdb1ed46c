"""Import and export Kattis problem packages: a whole problem (tests, groups, checker, references)."""

import os
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import staff_action_note
from accounts.models import Tenant
from problems.archives import archive_write
from problems.models import (
    MEMORY_LIMIT_RANGE,
    OUTPUT_LIMIT_RANGE,
    PROBLEM_SETTING_NAMES,
    TIME_LIMIT_RANGE,
    Problem,
    ReferenceSolution,
    TestCase,
    TestGroup,
)
from problems.packages import (
    Package,
    PackageError,
    PackageGroup,
    PackageProgram,
    PackageTest,
    latex_to_markdown,
    package_files,
    package_load,
)
from problems.services.testfiles import (
    test_case_build,
    test_file_names,
    test_files_discard_on_commit,
    test_files_rolled_back,
)
from problems.timing import TimeRules

KATTIS_MEMORY_MIB = 2048  # Kattis' default when problem.yaml gives none
KATTIS_OUTPUT_KIB = 8 * 1024
_CODE_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_CLAMPS = {  # field: (low, high, unit) — the model's ranges, so an odd package still imports
    "time_limit": (*TIME_LIMIT_RANGE, "s"),
    "memory_limit": (*MEMORY_LIMIT_RANGE, "MiB"),
    "output_limit": (*OUTPUT_LIMIT_RANGE, "KiB"),
}
# The problem <-> package table, used both ways: every setting is a Package field of the same name,
# except the custom checker, which a package holds as its output validator program (its other files and
# entry, Problem.checker_entry and checker_files, are not settings either), and the difficulty, which
# problem.yaml has no key for (importing a package again keeps the problem's).
_CHECKER_PROGRAM = ("checker_language", "checker_source")
NOT_IN_PACKAGES = ("difficulty",)
PACKAGE_SETTINGS = tuple(
    name for name in PROBLEM_SETTING_NAMES if name not in (*_CHECKER_PROGRAM, *NOT_IN_PACKAGES)
)


@dataclass
class ImportReport:
    problem: Problem
    created: bool
    package: str
    time_limit_source: str  # the file that gave the time limit, "" when none did (then derive it)
    time_rules: TimeRules = TimeRules()  # the package's multiplier, safety margin and resolution
    tests: int = 0
    samples: int = 0
    groups: int = 0
    solutions: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def time_limit_given(self) -> bool:
        return bool(self.time_limit_source)

    def lines(self) -> list[str]:
        action = "created" if self.created else "replaced"
        summary = (
            f"{action} problem {self.problem.code} from package {self.package}: "
            f"{_count(self.tests, 'test')} ({_count(self.samples, 'sample')}), "
            f"{_count(self.groups, 'group')}, {_count(self.solutions, 'reference solution')}"
        )
        return [summary, *(f"warning: {warning}" for warning in self.warnings)]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def problem_import_package(
    *,
    tenant: Tenant,
    path_or_bytes: str | os.PathLike | bytes,
    code: str | None = None,
    visibility: str | None = None,
) -> ImportReport:
    """Create the problem `code` (default: the package's name) from a package, or replace its content.

    Replacing keeps the problem row (and so its submissions). Everything happens in one transaction;
    a malformed package raises PackageError and changes nothing. `visibility` None: draft for a new
    problem, unchanged for an existing one.
    """
    package = package_load(source=path_or_bytes)
    code = code or _code_from_name(name=package.name)
    warnings = list(package.warnings)
    written: list[str] = []
    with test_files_rolled_back(written), transaction.atomic():
        problem, created = _problem_upsert(
            tenant=tenant, code=code, package=package, visibility=visibility, warnings=warnings
        )
        test_files_discard_on_commit(names=_content_clear(problem=problem))
        _content_create(problem=problem, package=package, written=written)
        staff_action_note(
            action="problem.import", tenant_id=tenant.id, target=f"problem {code}", package=package.name
        )
    return ImportReport(
        problem=problem,
        created=created,
        package=package.name,
        time_limit_source=package.time_limit_source,
        time_rules=package.time_rules,
        tests=len(package.tests),
        samples=sum(test.is_sample for test in package.tests),
        groups=len(package.groups),
        solutions=len(package.solutions),
        warnings=warnings,
    )


def _code_from_name(*, name: str) -> str:
    code = _CODE_UNSAFE.sub("-", name.lower()).strip("-_")[:40]
    if not code:
        raise PackageError("cannot make a problem code from the package name: give one")
    return code


def _problem_upsert(
    *, tenant: Tenant, code: str, package: Package, visibility: str | None, warnings: list[str]
) -> tuple[Problem, bool]:
    problem = Problem.objects.select_for_update().filter(code=code).first()
    created = problem is None
    if problem is None:
        problem = Problem(tenant=tenant, code=code, visibility=visibility or Problem.Visibility.DRAFT)
    elif problem.tenant_id != tenant.id:
        raise PackageError(f"the problem code '{code}' is already used by another tenant")
    elif visibility:
        problem.visibility = visibility
    fields = _problem_fields(package=package, current=None if created else problem, warnings=warnings)
    for name, value in fields.items():
        setattr(problem, name, value)
    try:
        problem.full_clean()
    except ValidationError as exc:
        raise PackageError(_validation_text(exc=exc)) from None
    if created:
        problem.save()
    else:
        problem.save(update_fields=[*fields, "visibility", "updated_at"])
    return problem, created


def _problem_fields(*, package: Package, current: Problem | None, warnings: list[str]) -> dict:
    fields = {name: getattr(package, name) for name in PACKAGE_SETTINGS}
    custom = package.output_validator
    fields.update(
        title=_title(title=package.title, warnings=warnings),
        time_limit=_time_limit(package=package, current=current, warnings=warnings),
        memory_limit=package.memory_limit or KATTIS_MEMORY_MIB,
        output_limit=package.output_limit or KATTIS_OUTPUT_KIB,
        checker_language=custom.language if custom else "",
        checker_source=custom.source if custom else "",
        checker_entry=custom.entry if custom else "",
        checker_files=custom.files if custom else {},
        include_files=package.include_files,
        statement_source=package.statement_source,
        source_package=package.name[:200],
        tags=list(package.tags),
    )
    for name, (low, high, unit) in _CLAMPS.items():
        if not low <= fields[name] <= high:
            clamped = min(high, max(low, fields[name]))
            warnings.append(f"{name} {fields[name]} {unit} is out of range: using {clamped} {unit}")
            fields[name] = type(low)(clamped)
    return fields


def _time_limit(*, package: Package, current: Problem | None, warnings: list[str]) -> float:
    if package.time_limit is not None:
        return package.time_limit
    time_limit = current.time_limit if current else Problem._meta.get_field("time_limit").default
    warnings.append(f"no time limit in the package: using {time_limit} s; derive it with judge_package")
    return time_limit


def _title(*, title: str, warnings: list[str]) -> str:
    if len(title) > 200:
        warnings.append("the title is longer than 200 characters: cut")
    return title[:200]


def _validation_text(*, exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return " ".join(exc.messages)


def _content_clear(*, problem: Problem) -> list[str]:
    """Delete tests, groups and reference solutions; return the test files to remove after commit."""
    names = test_file_names(problem.tests.all())
    problem.tests.all().delete()
    problem.groups.all().delete()
    problem.reference_solutions.all().delete()
    return names


def _content_create(*, problem: Problem, package: Package, written: list[str]) -> None:
    groups = TestGroup.objects.bulk_create(
        TestGroup(problem=problem, name=group.name, points=group.points, order=index)
        for index, group in enumerate(package.groups)
    )
    group_of = {group.name: group for group in groups}
    tests = [
        _test_build(problem=problem, test=test, order=order, group=group_of.get(test.group), written=written)
        for order, test in enumerate(package.tests, start=1)
    ]
    TestCase.objects.bulk_create(tests)
    ReferenceSolution.objects.bulk_create(
        ReferenceSolution(
            problem=problem,
            name=solution.name,
            language=solution.language,
            source=solution.source,
            entry=solution.entry,
            files=solution.files,
            expected=solution.expected,
        )
        for solution in package.solutions
    )


def _test_build(*, problem: Problem, test: PackageTest, order: int, group, written: list[str]) -> TestCase:
    return test_case_build(
        problem=problem,
        order=order,
        name=test.name,
        is_sample=test.is_sample,
        group=group,
        input_data=test.input,
        answer_data=test.answer,
        written=written,
    )


def problem_export_package(*, problem: Problem) -> bytes:
    """The problem as a Kattis package zip (one folder named after the code); importing it gives it back."""
    return archive_write(files=problem_export_files(problem=problem))


def problem_export_files(*, problem: Problem) -> dict[str, bytes]:
    """The files of the package, each path starting with the folder `<code>/`."""
    files = package_files(package=_package_of(problem=problem))
    return {f"{problem.code}/{path}": data for path, data in files.items()}


def _package_of(*, problem: Problem) -> Package:
    tests = problem.tests.select_related("group").order_by("-is_sample", "order", "id")
    custom = problem.checker == Problem.Checker.CUSTOM and problem.checker_source
    settings = {name: getattr(problem, name) for name in PACKAGE_SETTINGS}
    return Package(
        **{**settings, "tags": tuple(problem.tags)},
        name=problem.code,
        statement_source=_latex_if_current(problem=problem),
        output_validator=(
            PackageProgram(
                name="checker",
                language=problem.checker_language,
                source=problem.checker_source,
                entry=problem.checker_entry,
                files=problem.checker_files,
            )
            if custom
            else None
        ),
        tests=tuple(_package_test(test=test) for test in tests),
        groups=tuple(PackageGroup(name=group.name, points=group.points) for group in problem.groups.all()),
        solutions=tuple(_package_solution(solution=s) for s in problem.reference_solutions.order_by("name")),
        include_files=problem.include_files,
    )


def _package_solution(*, solution: ReferenceSolution) -> PackageProgram:
    return PackageProgram(
        name=solution.name,
        language=solution.language,
        source=solution.source,
        expected=solution.expected,
        entry=solution.entry,
        files=solution.files,
    )


def _latex_if_current(*, problem: Problem) -> str:
    """The original LaTeX, unless the Markdown was edited since the import (then the Markdown wins)."""
    if not problem.statement_source:
        return ""
    converted = latex_to_markdown(source=problem.statement_source)
    return problem.statement_source if converted.markdown == problem.statement else ""


def _package_test(*, test: TestCase) -> PackageTest:
    return PackageTest(
        name=test.name or f"test {test.order}",
        input=test.read_input(),
        answer=test.read_answer(),
        is_sample=test.is_sample,
        group=test.group.name if test.group else "",
    )


def problem_discard(*, problem: Problem) -> None:
    """Delete a scratch problem outright: its submissions, tests and test files (package checks only)."""
    names = test_file_names(problem.tests.all())
    with transaction.atomic():
        problem.delete()
        test_files_discard_on_commit(names=names)
