"""Uploading tests as a zip: folders become groups and samples; unsafe or incomplete ones change nothing."""

import hashlib
import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from accounts.models import Membership
from problems.archives import ArchiveError, MiB
from problems.models import Problem, TestCase, TestGroup
from problems.services import testdata
from tests.factories import MembershipFactory, ProblemFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "samples/1.in": b"1 2\n",
    "samples/1.ans": b"3\n",
    "extra.in": b"0 0\n",
    "extra.out": b"0\n",
    "small/2.in": b"2 2\n",
    "small/2.ans": b"4\n",
    "small/10.in": b"5 5\n",
    "small/10.ans": b"10\n",
    "big/1.in": b"100 200\n",
    "big/1.ans": b"300\n",
}


def make_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def problem():
    problem = ProblemFactory(code="sum", visibility=Problem.Visibility.DRAFT)
    testdata.test_case_add(
        problem=problem, input_data=b"7 8\n", answer_data=b"15\n", is_sample=True, group=None
    )
    old = testdata.test_group_create(problem=problem, name="big", points=60)
    testdata.test_case_add(
        problem=problem, input_data=b"9 9\n", answer_data=b"18\n", is_sample=False, group=old
    )
    testdata.test_group_create(problem=problem, name="gone", points=40)
    return problem


@pytest.fixture
def client(client, problem):
    client.force_login(MembershipFactory(tenant=problem.tenant, role=Membership.Role.INSTRUCTOR).user)
    return client


def upload(client, data: bytes, *, mode: str = "add", name: str = "tests.zip"):
    url = reverse("manage:tests_upload", args=["sum"])
    return client.post(url, {"archive": SimpleUploadedFile(name, data), "mode": mode})


def snapshot(problem: Problem) -> tuple:
    """Everything an import could change: test rows, group rows and the files in storage."""
    tests = TestCase.objects.filter(problem=problem).order_by("id")
    groups = TestGroup.objects.filter(problem=problem).order_by("id")
    media = settings.MEDIA_ROOT
    files = sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())
    return (
        list(tests.values_list("id", "order", "name", "is_sample", "group_id", "input_file", "answer_file")),
        list(groups.values_list("id", "name", "points", "order")),
        files,
        Problem.objects.get(pk=problem.pk).updated_at,
    )


def rows(problem: Problem) -> list[tuple]:
    tests = TestCase.objects.filter(problem=problem).select_related("group").order_by("-is_sample", "order")
    return [
        (t.name, t.is_sample, t.group.name if t.group else "", t.read_input(), t.read_answer()) for t in tests
    ]


# ---------- good archives ----------


def test_add_mode_appends_tests_with_groups_and_samples(client, problem):
    response = upload(client, make_zip(GOOD))

    assert response.status_code == 302
    new = [row for row in rows(problem) if row[0] not in ("test 1", "test 2")]
    assert new == [
        ("samples/1", True, "", b"1 2\n", b"3\n"),
        ("extra", False, "", b"0 0\n", b"0\n"),
        ("big/1", False, "big", b"100 200\n", b"300\n"),
        ("small/2", False, "small", b"2 2\n", b"4\n"),
        ("small/10", False, "small", b"5 5\n", b"10\n"),
    ]
    assert problem.tests.count() == 7
    assert sorted(problem.tests.values_list("order", flat=True)) == list(range(1, 8))
    assert dict(problem.groups.values_list("name", "points")) == {"big": 60, "gone": 40, "small": 0}
    big = problem.groups.get(name="big")
    assert big.tests.count() == 2  # the old test and the new one share the existing group
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == ["Imported 5 tests (1 sample) in 2 groups, 37\xa0bytes in total."]


def test_replace_mode_swaps_tests_keeps_points_of_groups_still_there(
    client, problem, django_capture_on_commit_callbacks
):
    old_files = [name for t in problem.tests.all() for name in (t.input_file.name, t.answer_file.name)]
    big_id = problem.groups.get(name="big").id
    storage = FileSystemStorage(location=settings.MEDIA_ROOT)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, make_zip(GOOD), mode="replace")

    assert response.status_code == 302
    assert [row[0] for row in rows(problem)] == ["samples/1", "extra", "big/1", "small/2", "small/10"]
    assert sorted(problem.tests.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert dict(problem.groups.values_list("name", "points")) == {"big": 60, "small": 0}
    assert problem.groups.get(name="big").id == big_id
    assert not any(storage.exists(name) for name in old_files)
    assert len(snapshot(problem)[2]) == 10  # exactly the new inputs and answers remain in storage
    assert "Removed the 2 previous tests first." in str(list(response.wsgi_request._messages)[0])


def test_upload_marks_the_problem_edited(client, problem):
    before = Problem.objects.get(pk=problem.pk).updated_at

    upload(client, make_zip({"a.in": b"1\n", "a.ans": b"1\n"}))

    assert Problem.objects.get(pk=problem.pk).updated_at > before


def test_macos_junk_is_ignored(client, problem):
    files = {"a.in": b"1\n", "a.ans": b"1\n", "__MACOSX/._a.in": b"junk", "small/.DS_Store": b"junk"}

    assert upload(client, make_zip(files)).status_code == 302
    assert problem.tests.count() == 3


def test_tests_page_shows_the_form_and_import_rules(client, problem):
    body = client.get(reverse("manage:tests", args=["sum"])).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert "Replace all tests" in body


# ---------- large archives: streamed, never held in memory ----------


def _random_zip(path: Path, *, tests: int, size: int) -> dict[str, str]:
    """A zip on disk of `tests` incompressible inputs of `size` bytes, written a MiB at a time.

    Returns {test name: sha256 of its input}."""
    digests = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(tests):
            digest = hashlib.sha256()
            with zf.open(f"big/{i}.in", "w") as entry:
                for _ in range(size // MiB):
                    block = os.urandom(MiB)
                    digest.update(block)
                    entry.write(block)
            zf.writestr(f"big/{i}.ans", f"{i}\n")
            digests[f"big/{i}"] = digest.hexdigest()
    return digests


def _imported(problem: Problem) -> dict[str, str]:
    tests = problem.tests.filter(name__startswith="big/")
    return {test.name: hashlib.sha256(test.read_input()).hexdigest() for test in tests}


def _post_measured(client, path: Path) -> tuple:
    """POST the zip at `path` as an upload; return the response and the peak Python memory of handling it.

    The request is encoded first, since the test client would otherwise copy the whole body into memory."""
    request = RequestFactory().generic(
        "POST",
        reverse("manage:tests_upload", args=["sum"]),
        encode_multipart(BOUNDARY, {"archive": path.open("rb"), "mode": "add"}),
        content_type=MULTIPART_CONTENT,
        HTTP_COOKIE="; ".join(f"{key}={morsel.coded_value}" for key, morsel in client.cookies.items()),
    )
    tracemalloc.start()
    try:
        response = client.handler(request.environ)
        return response, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_upload_of_some_mib_is_streamed_from_its_temporary_file_intact(
    client, problem, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = uploads = tmp_path / "uploads"
    uploads.mkdir()
    digests = _random_zip(tmp_path / "tests.zip", tests=6, size=2 * MiB)  # above FILE_UPLOAD_MAX_MEMORY_SIZE

    response, peak = _post_measured(client, tmp_path / "tests.zip")

    assert response.status_code == 302
    assert _imported(problem) == digests
    assert problem.tests.get(name="big/5").read_answer() == b"5\n"
    assert peak < 4 * MiB  # reading the upload whole, then every entry, took three times its 12 MiB
    assert list(uploads.iterdir()) == []  # the uploaded file and the unpacked folder are both gone


def test_importing_tens_of_mib_keeps_python_memory_flat(problem, tmp_path):
    digests = _random_zip(tmp_path / "tests.zip", tests=20, size=2 * MiB)

    tracemalloc.start()
    try:
        summary = testdata.tests_import_zip(problem=problem, archive=tmp_path / "tests.zip", replace=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 8 * MiB  # a bound on memory, not on time: the data is 40 MiB
    assert summary.total_bytes == 40 * MiB + sum(len(f"{i}\n") for i in range(20))
    assert _imported(problem) == digests


# ---------- bad archives: precise errors, nothing changed ----------


def _raw_name_zip(*, raw: bytes, written_as: str) -> bytes:
    """A zip whose entry name bytes are `raw` (same length as `written_as` once encoded), flags unchanged."""
    data = make_zip({written_as: b"1\n"})
    encoded = written_as.encode()
    assert len(encoded) == len(raw) and data.count(encoded) == 2
    return data.replace(encoded, raw)


def _many_megabytes(count: int) -> bytes:
    """`count` pairs of 1 MiB inputs: each compresses ~1000:1 but is too small for the ratio check alone."""
    buffer = io.BytesIO()
    block = bytes(MiB)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(count):
            zf.writestr(f"{i}.in", block)
    return buffer.getvalue()


BAD = {
    "not a zip": (b"this is not a zip file", "the file is not a zip archive"),
    "empty zip": (make_zip({}), "the archive contains no files"),
    "only folders": (make_zip({"small/": b""}), "the archive contains no files"),
    "parent path": (
        make_zip({"../evil.in": b"x", "../evil.ans": b"x"}),
        "entry '../evil.in' escapes the archive",
    ),
    "nested parent path": (
        make_zip({"a/../../evil.in": b"x"}),
        "entry 'a/../../evil.in' escapes the archive",
    ),
    "absolute path": (make_zip({"/etc/evil.in": b"x"}), "entry '/etc/evil.in' is an absolute path"),
    "unpaired input": (
        make_zip({"a.in": b"1", "b.in": b"2", "b.ans": b"2"}),
        "unpaired files: 'a.in' has no .ans or .out",
    ),
    "unpaired answers": (
        make_zip({"g/x.ans": b"1", "y.out": b"2"}),
        "unpaired files: 'g/x.ans' has no .in; 'y.out' has no .in",
    ),
    "two answers": (
        make_zip({"a.in": b"1", "a.ans": b"1", "a.out": b"1"}),
        "'a.ans' and 'a.out' are both answers to 'a.in'",
    ),
    "stray file": (
        make_zip({"a.in": b"1", "a.ans": b"1", "notes.txt": b"hi"}),
        "'notes.txt' is not test data",
    ),
    "non-UTF-8 name": (
        _raw_name_zip(raw=b"\xe9t\xe9.in", written_as="ete.in"),
        "has a name that is neither ASCII nor marked UTF-8",
    ),
    "name flagged UTF-8 but invalid": (
        _raw_name_zip(raw=b"\xff\xfe.in", written_as="é.in"),
        "an entry name is marked UTF-8 but is not valid UTF-8",
    ),
    "zip bomb (ratio)": (
        make_zip({"bomb.in": bytes(20 * MiB), "bomb.ans": b"0"}),
        "entry 'bomb.in' is compressed suspiciously well (a zip bomb?)",
    ),
    "zip bomb (entries)": (
        make_zip({f"{i}.in": b"" for i in range(testdata.ZIP_LIMITS.max_entries + 1)}),
        f"the archive has {testdata.ZIP_LIMITS.max_entries + 1} entries; the limit is",
    ),
    "group name too long": (make_zip({"g" * 61 + "/a.in": b"1", "g" * 61 + "/a.ans": b"1"}), "is too long"),
}


@pytest.mark.parametrize(("data", "message"), list(BAD.values()), ids=list(BAD))
def test_bad_archive_is_refused_precisely_and_changes_nothing(client, problem, data, message):
    before = snapshot(problem)

    response = upload(client, data)

    assert response.status_code == 400
    errors = response.context["zip_form"].errors["archive"]
    assert len(errors) == 1 and errors[0].startswith("Nothing was imported: ")
    assert message in errors[0]
    assert snapshot(problem) == before


@pytest.mark.parametrize("mode", ["add", "replace"])
def test_bad_archive_changes_nothing_in_either_mode(client, problem, mode):
    before = snapshot(problem)

    response = upload(client, make_zip({"../evil.in": b"x"}), mode=mode)

    assert response.status_code == 400
    assert snapshot(problem) == before


def test_zip_bomb_by_total_size(client, problem):
    count = testdata.ZIP_LIMITS.max_total_bytes // MiB + 1
    before = snapshot(problem)

    response = upload(client, _many_megabytes(count))

    assert response.status_code == 400
    assert "the archive unpacks to more than 1 GiB" in response.context["zip_form"].errors["archive"][0]
    assert snapshot(problem) == before


def test_oversized_test_file(client, problem):
    size = testdata.TEST_MAX_BYTES + 1
    data = make_zip({"huge.in": bytes(size), "huge.ans": b"0\n"}, compression=zipfile.ZIP_STORED)
    before = snapshot(problem)

    response = upload(client, data)

    assert response.status_code == 400
    assert "entry 'huge.in' is larger than 64 MiB" in response.context["zip_form"].errors["archive"][0]
    assert snapshot(problem) == before


def test_oversized_archive_is_refused_before_reading(client, problem, monkeypatch):
    monkeypatch.setattr("problems.forms.ZIP_MAX_BYTES", 100)
    before = snapshot(problem)

    response = upload(client, make_zip(GOOD))

    assert response.status_code == 400
    assert "the limit is 100\xa0bytes" in response.context["zip_form"].errors["archive"][0]
    assert snapshot(problem) == before


def test_missing_file_is_a_form_error(client, problem):
    response = client.post(reverse("manage:tests_upload", args=["sum"]), {"mode": "add"})

    assert response.status_code == 400
    assert response.context["zip_form"].errors["archive"] == ["This field is required."]


def test_storage_failure_midway_rolls_back_rows_and_files(problem, monkeypatch):
    before = snapshot(problem)
    real_save, calls = FileSystemStorage._save, []

    def failing_save(self, name, content):
        calls.append(name)
        if len(calls) == 5:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)

    with pytest.raises(OSError, match="disk full"):
        testdata.tests_import_zip(problem=problem, archive=io.BytesIO(make_zip(GOOD)), replace=True)

    assert len(calls) == 5
    assert snapshot(problem) == before


def test_service_raises_archive_error_with_message(problem):
    with pytest.raises(ArchiveError) as caught:
        testdata.tests_import_zip(
            problem=problem, archive=io.BytesIO(make_zip({"a.in": b"1"})), replace=False
        )

    assert caught.value.message == "unpaired files: 'a.in' has no .ans or .out"


def test_unpaired_list_is_capped_but_counted(problem):
    files = {f"t{i:02d}.in": b"1" for i in range(14)}

    with pytest.raises(ArchiveError) as caught:
        testdata.tests_import_zip(problem=problem, archive=io.BytesIO(make_zip(files)), replace=False)

    assert caught.value.message.count("has no .ans or .out") == 10
    assert caught.value.message.endswith("; and 4 more")


def test_another_tenants_instructor_cannot_upload(client, problem):
    foreign = ProblemFactory(code="foreign")
    before = snapshot(foreign)

    response = client.post(
        reverse("manage:tests_upload", args=["foreign"]),
        {"archive": SimpleUploadedFile("t.zip", make_zip(GOOD)), "mode": "replace"},
    )

    assert response.status_code == 404
    assert snapshot(foreign) == before
