"""Writing test data: single tests, groups, and whole zip archives of tests.

Files are written to storage inside the database transaction and removed again if it fails; files that
a change makes obsolete are deleted only after the commit, so a failure never loses the old data.
"""

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import staff_action_note
from problems.archives import ArchiveError, ArchiveLimits, ArchiveSource, MiB, archive_extract
from problems.models import Problem, TestCase, TestGroup
from problems.services.testfiles import (
    TestData,
    test_case_build,
    test_file_names,
    test_files_discard_on_commit,
    test_files_rolled_back,
)

TEST_MAX_BYTES = 64 * MiB  # one input or one answer
ZIP_MAX_BYTES = 256 * MiB  # the uploaded archive itself
ZIP_LIMITS = ArchiveLimits(max_entries=4000, max_entry_bytes=TEST_MAX_BYTES, max_total_bytes=1024 * MiB)
SAMPLE_FOLDERS = frozenset({"sample", "samples"})
ANSWER_SUFFIXES = (".ans", ".out")
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_UNPAIRED_SHOWN = 10


@dataclass(frozen=True)
class ImportSummary:
    tests: int
    samples: int
    groups: int
    total_bytes: int
    removed: int  # tests deleted first ("replace all")


@dataclass(frozen=True)
class _Planned:
    name: str
    group: str  # "" when the test is in no group
    is_sample: bool
    input_data: TestData
    answer_data: TestData


# ---------- single tests ----------


def test_case_add(
    *,
    problem: Problem,
    input_data: bytes,
    answer_data: bytes,
    is_sample: bool,
    group: TestGroup | None,
    name: str = "",
) -> TestCase:
    _group_check(problem=problem, group=group)
    _size_check(input_data=input_data, answer_data=answer_data)
    written: list[str] = []
    with test_files_rolled_back(written), transaction.atomic():
        order = _order_next(problem=problem)
        test = _test_build(
            problem=problem,
            order=order,
            planned=_Planned(name or f"test {order}", "", is_sample, input_data, answer_data),
            group=group,
            written=written,
        )
        test.save()
        _problem_touch(problem=problem)
        _noted("test.add", problem, test=test.order)
    return test


def test_case_update(
    *,
    test: TestCase,
    name: str,
    is_sample: bool,
    group: TestGroup | None,
    input_data: bytes | None = None,
    answer_data: bytes | None = None,
) -> TestCase:
    """Change a test; `None` data keeps the current file."""
    _group_check(problem=test.problem, group=group)
    _size_check(input_data=input_data or b"", answer_data=answer_data or b"")
    written: list[str] = []
    with test_files_rolled_back(written), transaction.atomic():
        test.name, test.is_sample, test.group = name or f"test {test.order}", is_sample, group
        fields = ["name", "is_sample", "group"]
        for kind, data in (("input", input_data), ("answer", answer_data)):
            if data is not None:
                fields += _file_replace(test=test, kind=kind, data=data, written=written)
        test.save(update_fields=fields)
        _problem_touch(problem=test.problem)
        _noted("test.update", test.problem, test=test.order, fields=",".join(fields))
    return test


def test_cases_mark_samples(*, problem: Problem, sample_ids: Iterable[int]) -> int:
    """Make exactly these tests of `problem` its samples (the others stop being samples); returns how many
    tests changed."""
    wanted = set(sample_ids)
    with transaction.atomic():
        tests = problem.tests.select_for_update()
        marked = tests.filter(pk__in=wanted, is_sample=False).update(is_sample=True)
        unmarked = tests.exclude(pk__in=wanted).filter(is_sample=True).update(is_sample=False)
        if marked or unmarked:
            _problem_touch(problem=problem)
            _noted("test.samples", problem, samples=",".join(map(str, sorted(wanted))))
    return marked + unmarked


def test_case_delete(*, test: TestCase) -> None:
    with transaction.atomic():
        names = [test.input_file.name, test.answer_file.name]
        test.delete()
        _problem_touch(problem=test.problem)
        _noted("test.delete", test.problem, test=test.order)
        test_files_discard_on_commit(names=names)


# ---------- groups ----------


@transaction.atomic
def test_group_create(*, problem: Problem, name: str, points: float) -> TestGroup:
    order = (problem.groups.aggregate(m=Max("order"))["m"] or 0) + 1
    group = TestGroup(problem=problem, name=name.strip(), points=points, order=order)
    group.full_clean()
    group.save()
    _problem_touch(problem=problem)
    _noted("group.create", problem, group=group.name, points=points)
    return group


@transaction.atomic
def test_group_update(*, group: TestGroup, name: str, points: float) -> TestGroup:
    group.name, group.points = name.strip(), points
    group.full_clean()
    group.save(update_fields=["name", "points"])
    _problem_touch(problem=group.problem)
    _noted("group.update", group.problem, group=group.name, points=points)
    return group


@transaction.atomic
def test_group_delete(*, group: TestGroup) -> None:
    """Delete a group; its tests stay, in no group."""
    group.delete()
    _problem_touch(problem=group.problem)
    _noted("group.delete", group.problem, group=group.name)


# ---------- zip archives ----------


def tests_import_zip(
    *, problem: Problem, archive: ArchiveSource | UploadedFile, replace: bool
) -> ImportSummary:
    """Add (or, with `replace`, swap in) the tests of a zip of `*.in` + `*.ans`/`*.out` pairs.

    A top-level folder is a test group, a folder named `sample(s)` holds samples, files at the root are
    in no group. `archive` is a path, a seekable file or an upload. The zip is unpacked to a temporary
    folder and each file streamed into storage, so memory does not grow with the archive. Raises
    ArchiveError, with nothing changed, when the archive is unsafe or incomplete.
    """
    source = _archive_source(archive=archive)
    if (size := _archive_size(source=source)) > ZIP_MAX_BYTES:
        raise ArchiveError(f"the archive is {size // MiB} MiB; the limit is {ZIP_MAX_BYTES // MiB} MiB")
    with tempfile.TemporaryDirectory(prefix="tests-zip-", dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        files = archive_extract(source=source, destination=Path(folder), limits=ZIP_LIMITS)
        return _tests_import(problem=problem, planned=_plan(files=files), replace=replace)


def _archive_source(*, archive: ArchiveSource | UploadedFile) -> ArchiveSource:
    """Django keeps a large upload in a temporary file: read that file, not the upload's wrapper."""
    temporary_file_path = getattr(archive, "temporary_file_path", None)
    return temporary_file_path() if temporary_file_path else archive


def _archive_size(*, source: ArchiveSource) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    return size


def _tests_import(*, problem: Problem, planned: list[_Planned], replace: bool) -> ImportSummary:
    written: list[str] = []
    with test_files_rolled_back(written), transaction.atomic():
        Problem.objects.select_for_update().filter(pk=problem.pk).first()  # one import at a time
        removed = _tests_clear(problem=problem, keep_groups={p.group for p in planned}) if replace else 0
        groups = _groups_ensure(problem=problem, names=_unique(p.group for p in planned if p.group))
        start = _order_next(problem=problem)
        tests = [
            _test_build(
                problem=problem, order=start + i, planned=p, group=groups.get(p.group), written=written
            )
            for i, p in enumerate(planned)
        ]
        TestCase.objects.bulk_create(tests)
        _problem_touch(problem=problem)
        _noted("tests.import", problem, tests=len(tests), removed=removed)
    return ImportSummary(
        tests=len(planned),
        samples=sum(p.is_sample for p in planned),
        groups=len(groups),
        total_bytes=sum(test.input_size + test.answer_size for test in tests),
        removed=removed,
    )


def _plan(*, files: dict[str, Path]) -> list[_Planned]:
    files = {name: path for name, path in files.items() if not _is_junk(name)}
    if not files:
        raise ArchiveError("the archive contains no files")
    inputs, answers = _files_split(files=files)
    _pairs_check(inputs=inputs, answers=answers)
    planned = [
        _planned_for(stem=stem, input_data=data, answer_data=answers[stem][1])
        for stem, data in inputs.items()
    ]
    return sorted(planned, key=_judging_order)


def _files_split(*, files: dict[str, Path]) -> tuple[dict[str, Path], dict[str, tuple[str, Path]]]:
    inputs: dict[str, Path] = {}
    answers: dict[str, tuple[str, Path]] = {}
    for path in sorted(files):
        suffix = PurePosixPath(path).suffix
        stem = path[: len(path) - len(suffix)]
        if suffix.lower() == ".in":
            inputs[stem] = files[path]
        elif suffix.lower() in ANSWER_SUFFIXES:
            if stem in answers:
                raise ArchiveError(f"'{answers[stem][0]}' and '{path}' are both answers to '{stem}.in'")
            answers[stem] = (path, files[path])
        else:
            raise ArchiveError(f"'{path}' is not test data: name inputs *.in and answers *.ans or *.out")
    return inputs, answers


def _pairs_check(*, inputs: dict[str, Path], answers: dict[str, tuple[str, Path]]) -> None:
    problems = [f"'{stem}.in' has no .ans or .out" for stem in sorted(set(inputs) - set(answers))]
    problems += [f"'{answers[stem][0]}' has no .in" for stem in sorted(set(answers) - set(inputs))]
    if problems:
        shown = "; ".join(problems[:_UNPAIRED_SHOWN])
        more = f"; and {len(problems) - _UNPAIRED_SHOWN} more" if len(problems) > _UNPAIRED_SHOWN else ""
        raise ArchiveError(f"unpaired files: {shown}{more}")


def _planned_for(*, stem: str, input_data: Path, answer_data: Path) -> _Planned:
    parts = stem.split("/")
    folder = parts[0] if len(parts) > 1 else ""
    is_sample = folder.lower() in SAMPLE_FOLDERS
    group = "" if is_sample else folder
    max_name = TestGroup._meta.get_field("name").max_length
    if len(group) > max_name:
        raise ArchiveError(f"folder '{group}' is too long for a group name (at most {max_name} characters)")
    name = stem[-TestCase._meta.get_field("name").max_length :]
    return _Planned(
        name=name, group=group, is_sample=is_sample, input_data=input_data, answer_data=answer_data
    )


def _judging_order(planned: _Planned) -> tuple:
    rank = 0 if planned.is_sample else 1 if not planned.group else 2
    return rank, _natural(planned.group), _natural(planned.name)


def _natural(text: str) -> list:
    """'test2' before 'test10'."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def _is_junk(path: str) -> bool:
    """Files that archivers add by themselves (macOS resource forks, Finder and Explorer metadata)."""
    return path.startswith("__MACOSX/") or PurePosixPath(path).name in _JUNK_NAMES


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _tests_clear(*, problem: Problem, keep_groups: set[str]) -> int:
    """Delete every test, and the groups the new archive no longer has (the others keep their points)."""
    names = test_file_names(problem.tests.all())
    removed, _ = problem.tests.all().delete()
    problem.groups.exclude(name__in=keep_groups).delete()
    test_files_discard_on_commit(names=names)
    return removed


def _groups_ensure(*, problem: Problem, names: list[str]) -> dict[str, TestGroup]:
    groups = {group.name: group for group in problem.groups.filter(name__in=names)}
    order = problem.groups.aggregate(m=Max("order"))["m"] or 0
    for name in names:
        if name not in groups:
            order += 1
            groups[name] = TestGroup.objects.create(problem=problem, name=name, points=0, order=order)
    return groups


# ---------- files ----------


def _test_build(
    *, problem: Problem, order: int, planned: _Planned, group: TestGroup | None, written: list[str]
) -> TestCase:
    return test_case_build(
        problem=problem,
        order=order,
        name=planned.name,
        is_sample=planned.is_sample,
        group=group,
        input_data=planned.input_data,
        answer_data=planned.answer_data,
        written=written,
    )


def _file_replace(*, test: TestCase, kind: str, data: bytes, written: list[str]) -> list[str]:
    field = getattr(test, f"{kind}_file")
    old = field.name
    field.save(f"{test.order:03d}.{'in' if kind == 'input' else 'ans'}", ContentFile(data), save=False)
    written.append(field.name)
    setattr(test, f"{kind}_size", len(data))
    setattr(test, f"{kind}_sha256", "")  # worked out again when next needed
    test_files_discard_on_commit(names=[old])
    return [f"{kind}_file", f"{kind}_size", f"{kind}_sha256"]


def _order_next(*, problem: Problem) -> int:
    return (problem.tests.aggregate(m=Max("order"))["m"] or 0) + 1


def _group_check(*, problem: Problem, group: TestGroup | None) -> None:
    if group is not None and group.problem_id != problem.id:
        raise ValidationError({"group": "This group belongs to another problem."})


def _size_check(*, input_data: bytes, answer_data: bytes) -> None:
    for field, data in (("input", input_data), ("answer", answer_data)):
        if len(data) > TEST_MAX_BYTES:
            raise ValidationError({field: f"The {field} is larger than {TEST_MAX_BYTES // MiB} MiB."})


def _problem_touch(*, problem: Problem) -> None:
    """Test data changes count as edits of the problem (the list shows the last one)."""
    Problem.objects.filter(pk=problem.pk).update(updated_at=timezone.now())


def _noted(action: str, problem: Problem, **details) -> None:
    staff_action_note(action=action, tenant_id=problem.tenant_id, target=f"problem {problem.code}", **details)
