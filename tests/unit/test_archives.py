import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from problems.archives import (
    DEFAULT_LIMITS,
    ArchiveError,
    ArchiveLimits,
    MiB,
    archive_extract,
    archive_read,
    archive_write,
)


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()


def _error(data: bytes, limits: ArchiveLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(ArchiveError) as caught:
        archive_read(data=data, limits=limits)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def _zeros_zip(size: int) -> bytes:
    """`size` zero bytes, deflated, written in chunks so the test never holds them all."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("zeros.in", "w", force_zip64=True) as entry,
    ):
        for _ in range(size // MiB):
            entry.write(bytes(MiB))
    return buffer.getvalue()


def _raw_name_zip(raw_name: bytes, utf8_flag: bool) -> bytes:
    """A zip whose entry name is exactly these bytes, UTF-8 flag set or not (zipfile cannot write one)."""
    placeholder = b"N" * len(raw_name)
    data = bytearray(_zip([(placeholder.decode(), b"x")]))
    data = data.replace(placeholder, raw_name)
    if utf8_flag:
        for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            data[at + flag_offset + 1] |= 0x08  # bit 11 (0x800) lives in the flag's high byte
    return bytes(data)


# reading


def test_reads_files_and_skips_directories():
    data = _zip([("data/", b""), ("data/1.in", b"1 2\n"), ("problem.yaml", b"name: x\n")])
    assert archive_read(data=data) == {"data/1.in": b"1 2\n", "problem.yaml": b"name: x\n"}


def test_stored_entries_are_read_too():
    assert archive_read(data=_zip([("a.txt", b"plain")], zipfile.ZIP_STORED)) == {"a.txt": b"plain"}


def test_not_a_zip():
    assert _error(b"this is not a zip at all") == "the file is not a zip archive"
    assert _error(b"") == "the file is not a zip archive"


def test_damaged_zip():
    data = bytearray(_zip([("a.txt", b"hello " * 1000)]))
    at = data.find(b"a.txt") + len("a.txt")  # the deflated stream follows the local header's name
    data[at + 2 : at + 12] = b"\xff" * 10
    assert _error(bytes(data)).startswith("entry 'a.txt' cannot be read")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../x", "entry '../x' escapes the archive"),
        ("data/../../x", "entry 'data/../../x' escapes the archive"),
        ("/etc/passwd", "entry '/etc/passwd' is an absolute path"),
        ("C:/x.in", "entry 'C:/x.in' starts with a drive letter"),
        ("data\\1.in", "entry 'data\\1.in' contains a backslash"),
        ("a//b", "entry 'a//b' has an empty or '.' path component"),
        ("./a", "entry './a' has an empty or '.' path component"),
    ],
)
def test_unsafe_paths_are_refused(name, message):
    assert _error(_zip([(name, b"x")])) == message


def test_nul_in_a_name_is_refused():
    assert (
        _error(_raw_name_zip(b"a\x00b.in", utf8_flag=False))
        == "entry 'a?b.in' has a NUL character in its name"
    )


def test_directory_entries_with_unsafe_names_are_refused_too():
    assert _error(_zip([("../evil/", b""), ("ok.txt", b"x")])) == "entry '../evil' escapes the archive"


def test_symlinks_are_refused():
    link = zipfile.ZipInfo("link.in")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert _error(_zip([(link, b"/etc/passwd")])) == "entry 'link.in' is a symbolic link"


def test_other_special_files_are_refused():
    fifo = zipfile.ZipInfo("pipe")
    fifo.create_system = 3
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    assert _error(_zip([(fifo, b"")])) == "entry 'pipe' is not a regular file"


def test_unix_directories_by_mode_are_skipped():
    folder = zipfile.ZipInfo("data")
    folder.create_system = 3
    folder.external_attr = (stat.S_IFDIR | 0o755) << 16
    assert archive_read(data=_zip([(folder, b""), ("data/1.in", b"1")])) == {"data/1.in": b"1"}


def test_encrypted_entries_are_refused():
    data = bytearray(_zip([("secret.in", b"x")]))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + flag_offset] |= 0x01
    assert _error(bytes(data)) == "entry 'secret.in' is encrypted"


def test_utf8_names_with_the_flag_are_fine():
    assert archive_read(data=_zip([("données/é.in", b"x")])) == {"données/é.in": b"x"}


def test_non_ascii_names_without_the_utf8_flag_are_refused():
    message = _error(_raw_name_zip("é.in".encode("latin-1") + b"xx", utf8_flag=False))
    assert message.endswith("has a name that is neither ASCII nor marked UTF-8")


def test_names_flagged_utf8_that_are_not_utf8_are_refused():
    message = _error(_raw_name_zip(b"\xff\xfe.in", utf8_flag=True))
    assert message == "an entry name is marked UTF-8 but is not valid UTF-8"


def test_duplicate_names_are_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _zip([("a.in", b"1"), ("a.in", b"2")])
    assert _error(data) == "entry 'a.in' appears twice"


def test_names_differing_in_case_are_not_duplicates():
    assert archive_read(data=_zip([("A.in", b"1"), ("a.in", b"2")])) == {"A.in": b"1", "a.in": b"2"}


def test_a_file_that_is_also_a_folder_is_refused():
    assert _error(_zip([("data", b"1"), ("data/1.in", b"2")])) == "entry 'data' is both a file and a folder"


def test_too_many_entries():
    data = _zip([(f"{i}.in", b"") for i in range(11)])
    assert _error(data, ArchiveLimits(max_entries=10)) == "the archive has 11 entries; the limit is 10"
    assert len(archive_read(data=data, limits=ArchiveLimits(max_entries=11))) == 11


def test_an_entry_too_big_by_its_declared_size():
    data = _zip([("big.in", b"x" * 2000)])
    assert _error(data, ArchiveLimits(max_entry_bytes=1000)) == "entry 'big.in' is larger than 1000 bytes"


def test_total_too_big_by_declared_sizes():
    data = _zip([("a.in", b"x" * 600), ("b.in", b"y" * 600)])
    limits = ArchiveLimits(max_total_bytes=1000)
    assert _error(data, limits) == "the archive unpacks to more than 1000 bytes"


def _lying_zip(real: bytes, declared: int) -> bytes:
    """A zip whose headers claim the entry is `declared` bytes long while it really holds `real`."""
    data = bytearray(_zip([("lie.in", real)], zipfile.ZIP_STORED))
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature) + size_offset
        data[at : at + 4] = declared.to_bytes(4, "little")
    return bytes(data)


def test_declared_sizes_are_not_trusted():
    # Claims 10 bytes, holds 5000: refused by the bytes really read, not cut to the claim.
    message = _error(_lying_zip(b"z" * 5000, declared=10), ArchiveLimits(max_entry_bytes=1000))
    assert message == "entry 'lie.in' is larger than 1000 bytes"


def _forged_zip(real: bytes, *, declared: int, crc_of: bytes, before: bytes | None = None) -> bytes:
    """A deflated entry 'lie.in' holding `real` whose local header and central directory both claim
    `declared` bytes with the CRC of `crc_of`: a consistent lie, which zipfile alone would believe.
    With `before`, an honest entry 'first.in' comes first."""
    data = bytearray(_zip([("first.in", before)] * (before is not None) + [("lie.in", real)]))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo("lie.in").header_offset
    central = data.rfind(b"PK\x01\x02")  # the last central record: file data all lies before it
    for at in (local + 14, central + 16):  # where the CRC is; then compressed size, then real size
        struct.pack_into("<I", data, at, zlib.crc32(crc_of))
        struct.pack_into("<I", data, at + 8, declared)
    return bytes(data)


def test_a_forged_small_size_is_refused_by_the_real_byte_count():
    real = os.urandom(3 * MiB)
    bomb = _forged_zip(real, declared=1000, crc_of=real[:1000])
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert zf.read("lie.in") == real[:1000]  # what trusting the headers would have given
    assert _error(bomb, ArchiveLimits(max_entry_bytes=MiB)) == "entry 'lie.in' is larger than 1 MiB"
    assert _error(bomb, ArchiveLimits(max_total_bytes=2 * MiB)) == "the archive unpacks to more than 2 MiB"


@pytest.mark.parametrize("declared", [1000, 9000])
def test_an_entry_whose_size_differs_from_its_header_is_refused(declared):
    real = os.urandom(5000)
    message = _error(_forged_zip(real, declared=declared, crc_of=real))
    assert message == f"entry 'lie.in' holds 5000 bytes but its header says {declared}"


def test_compression_methods_without_a_bounded_inflate_are_refused():
    data = _zip([("a.in", b"1 2\n")], zipfile.ZIP_BZIP2)
    message = _error(data)
    assert message == "entry 'a.in' is compressed with method 12; use deflate"


def test_zip_bomb_by_ratio_is_refused_before_reading():
    bomb = _zeros_zip(300 * MiB)
    assert len(bomb) < 2 * MiB
    assert _error(bomb) == "entry 'zeros.in' is compressed suspiciously well (a zip bomb?)"


def test_zip_bomb_lying_about_its_size_is_stopped_while_reading():
    bomb = bytearray(_zeros_zip(300 * MiB))
    # The central directory (which readers trust) now claims 1 KiB uncompressed: a harmless ratio.
    size_at = bomb.find(b"PK\x01\x02") + 24
    bomb[size_at : size_at + 4] = (1024).to_bytes(4, "little")
    message = _error(bytes(bomb))
    assert message == "entry 'zeros.in' is compressed suspiciously well (a zip bomb?)"


def test_small_entries_may_compress_well():
    zeros = bytes(512 * 1024)  # 512 KiB of zeros: ratio ~1000, but below the 1 MiB floor
    assert archive_read(data=_zip([("zeros.in", zeros)])) == {"zeros.in": zeros}


def test_the_ratio_limit_can_be_raised():
    data = _zip([("zeros.in", bytes(3 * MiB))])
    assert _error(data).endswith("(a zip bomb?)")
    assert archive_read(data=data, limits=ArchiveLimits(max_ratio=10_000)) == {"zeros.in": bytes(3 * MiB)}


# extracting to disk


class _CountingFile(io.BytesIO):
    """A seekable file that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def _files_under(folder) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize("as_path", [True, False])
def test_extract_writes_each_file_to_disk(tmp_path, as_path):
    data = _zip([("data/", b""), ("data/g1/1.in", b"1 2\n"), ("problem.yaml", b"name: x\n")])
    (tmp_path / "a.zip").write_bytes(data)
    source = tmp_path / "a.zip" if as_path else io.BytesIO(data)
    destination = tmp_path / "out"
    destination.mkdir()

    paths = archive_extract(source=source, destination=destination)

    assert paths == {
        "data/g1/1.in": destination / "data/g1/1.in",
        "problem.yaml": destination / "problem.yaml",
    }
    assert paths["data/g1/1.in"].read_bytes() == b"1 2\n"
    assert _files_under(destination) == ["data/g1/1.in", "problem.yaml"]


def test_extract_refuses_before_writing_anything(tmp_path):
    with pytest.raises(ArchiveError, match="escapes the archive"):
        archive_extract(source=io.BytesIO(_zip([("ok.in", b"1"), ("../x", b"2")])), destination=tmp_path)
    assert _files_under(tmp_path) == []


def test_extract_stops_writing_mid_entry_and_removes_what_it_wrote(tmp_path, monkeypatch):
    big = os.urandom(8 * MiB)
    # The headers claim 1000 bytes, so the checks before reading pass: only the real count can stop it.
    source = _CountingFile(_forged_zip(big, declared=1000, crc_of=big[:1000], before=b"1"))
    removed = {}
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        removed[self.name] = self.stat().st_size
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)

    with pytest.raises(ArchiveError) as caught:
        archive_extract(source=source, destination=tmp_path, limits=ArchiveLimits(max_entry_bytes=MiB))

    assert caught.value.message == "entry 'lie.in' is larger than 1 MiB"
    assert MiB // 2 < removed["lie.in"] <= MiB  # it was being written to disk when the limit stopped it
    assert removed["first.in"] == 1
    assert source.bytes_read < 2 * MiB  # and the rest of it was never read
    assert _files_under(tmp_path) == []


def test_extract_never_writes_through_an_existing_file(tmp_path):
    (tmp_path / "a.in").write_bytes(b"keep")

    with pytest.raises(ArchiveError) as caught:
        archive_extract(source=io.BytesIO(_zip([("a.in", b"new")])), destination=tmp_path)

    assert caught.value.message == "entry 'a.in' cannot be unpacked: File exists"
    assert (tmp_path / "a.in").read_bytes() == b"keep"


# writing


def test_write_then_read_round_trip():
    files = {
        "problem.yaml": b"name: x\n",
        "data/secret/g1/1.in": b"1 2\n",
        "données/é.txt": bytes(range(256)),
    }
    assert archive_read(data=archive_write(files=files)) == files


def test_write_is_deterministic_and_sorted():
    one = archive_write(files={"b": b"2", "a": b"1"})
    two = archive_write(files={"a": b"1", "b": b"2"})
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert zf.namelist() == ["a", "b"]
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_refuses_unsafe_names():
    with pytest.raises(ArchiveError, match="escapes the archive"):
        archive_write(files={"../x": b""})
