"""Test data files in storage, kept in step with their rows: written with them, and removed only once
removing them is safe (after the transaction that dropped the rows commits, or when it rolls back)."""

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import transaction

from problems.models import Problem, TestCase, TestGroup

logger = logging.getLogger(__name__)

TestData = bytes | Path  # the content itself, or a file on disk to stream it from
HASH_CHUNK = 1024 * 1024


def test_case_build(
    *,
    problem: Problem,
    order: int,
    name: str,
    is_sample: bool,
    group: TestGroup | None,
    input_data: TestData,
    answer_data: TestData,
    written: list[str] | None = None,
) -> TestCase:
    """An unsaved test whose two files are already stored; their names are added to `written`.

    A path is copied into storage a chunk at a time, never read whole.
    """
    test = TestCase(problem=problem, order=order, name=name, is_sample=is_sample, group=group)
    for kind, suffix, data in (("input", "in", input_data), ("answer", "ans", answer_data)):
        field = getattr(test, f"{kind}_file")
        with _content(data) as content:
            setattr(test, f"{kind}_size", content.size)
            field.save(f"{order:03d}.{suffix}", content, save=False)
        if written is not None:
            written.append(field.name)
    return test


def _content(data: TestData) -> File:
    return ContentFile(data) if isinstance(data, bytes) else File(data.open("rb"))


def test_file_names(tests: Iterable[TestCase]) -> list[str]:
    return [name for test in tests for name in (test.input_file.name, test.answer_file.name) if name]


def test_files_delete(names: Iterable[str]) -> None:
    storage = TestCase._meta.get_field("input_file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete test file %s", name, exc_info=True)


def test_files_discard_on_commit(*, names: Iterable[str]) -> None:
    """Delete these stored files once the current transaction commits (never if it rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: test_files_delete(names))


@contextmanager
def test_files_rolled_back(written: list[str]) -> Iterator[None]:
    """On any exception, delete the files written so far: the rows that named them are rolled back."""
    try:
        yield
    except BaseException:
        test_files_delete(written)
        raise


def test_hashes(test: TestCase) -> tuple[str, str]:
    """The SHA-256 of the test's input and answer files: read from storage once, a chunk at a time, then
    kept on the row (a file replaced clears its hash)."""
    for kind in ("input", "answer"):
        if not getattr(test, f"{kind}_sha256"):
            field = getattr(test, f"{kind}_file")
            digest = hashlib.sha256()
            with field.open("rb") as f:
                while chunk := f.read(HASH_CHUNK):
                    digest.update(chunk)
            setattr(test, f"{kind}_sha256", digest.hexdigest())
            # Kept only if that file is still the test's (not replaced while it was read).
            TestCase.objects.filter(pk=test.pk, **{f"{kind}_file": field.name}).update(
                **{f"{kind}_sha256": digest.hexdigest()}
            )
    return test.input_sha256, test.answer_sha256
