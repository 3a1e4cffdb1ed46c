"""Read untrusted zip archives (uploaded test data, problem packages) safely; write them reproducibly.

Nothing here trusts the sizes a zip declares: every entry is decompressed in chunks and
counted, and reading stops as soon as a limit is passed. `archive_extract` writes the chunks
to disk as they come, so memory does not grow with the archive; `archive_read` keeps them.
"""

import copy
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800
_MSDOS_DIRECTORY = 0x10
_CHUNK = 64 * KiB
_UNBOUNDED = 1 << 62
# Small entries may compress very well (a file of zeros); only big ones can be bombs.
_RATIO_MIN_BYTES = 1 * MiB
_DRIVE = re.compile(r"^[A-Za-z]:")
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
# zipfile inflates bzip2 and LZMA without an output bound: 200 bytes of bzip2 can become 200 MiB in one call.
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

ArchiveSource = str | os.PathLike | BinaryIO  # a path, or a seekable binary file


class ArchiveError(ValueError):
    """The archive is malformed or unsafe; `message` says why, in words fit for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 5000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    max_ratio: float = 200


DEFAULT_LIMITS = ArchiveLimits()


def archive_read(*, data: bytes, limits: ArchiveLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """Return {relative posix path: content} for every regular file in the zip `data`.

    Directories are skipped. Raises ArchiveError for anything unsafe or malformed.
    """
    return {name: b"".join(chunks) for name, chunks in _entries_read(source=io.BytesIO(data), limits=limits)}


def archive_extract(
    *, source: ArchiveSource, destination: Path, limits: ArchiveLimits = DEFAULT_LIMITS
) -> dict[str, Path]:
    """Write every regular file of the zip `source` under `destination`; return {relative posix path: file}.

    Entries are inflated and written a chunk at a time, so memory stays flat whatever the archive holds.
    Raises ArchiveError for anything unsafe or malformed; on any error the files written so far are removed.
    """
    paths: dict[str, Path] = {}
    try:
        for name, chunks in _entries_read(source=source, limits=limits):
            paths[name] = _entry_write(destination=destination, name=name, chunks=chunks)
    except BaseException:
        for path in paths.values():
            path.unlink(missing_ok=True)
        raise
    return paths


def archive_write(*, files: dict[str, bytes]) -> bytes:
    """A deflated zip of `files`, byte-for-byte the same for the same input (sorted names, fixed dates)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            _name_check(name=name)
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read back as a regular file
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, files[name])
    return buffer.getvalue()


def _zip_open(*, source: ArchiveSource) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(source):
        raise ArchiveError("the file is not a zip archive")
    try:
        return zipfile.ZipFile(source)
    except UnicodeDecodeError:
        raise ArchiveError("an entry name is marked UTF-8 but is not valid UTF-8") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError(f"the zip archive is damaged: {exc}") from None


@dataclass
class _Tally:
    """Bytes inflated so far from the whole archive."""

    total: int = 0


def _entries_read(*, source: ArchiveSource, limits: ArchiveLimits) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(name, its checked chunks) per regular entry; each entry's chunks must be used up before the next."""
    with _zip_open(source=source) as zf:
        tally = _Tally()
        for info in _entries_checked(zf=zf, limits=limits):
            yield info.filename, _entry_chunks(zf=zf, info=info, limits=limits, tally=tally)


def _entry_write(*, destination: Path, name: str, chunks: Iterator[bytes]) -> Path:
    path = destination.joinpath(*name.split("/"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        out = path.open("xb")  # never through an existing file (names equal on a case-insensitive disk)
    except OSError as exc:
        raise ArchiveError(f"entry '{name}' cannot be unpacked: {exc.strerror}") from None
    try:
        with out:
            for chunk in chunks:
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _entries_checked(*, zf: zipfile.ZipFile, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ArchiveError(f"the archive has {len(infos)} entries; the limit is {limits.max_entries}")
    seen: set[str] = set()
    entries = []
    declared_total = 0
    for info in infos:
        if _entry_is_directory(info=info):
            _name_check(name=info.orig_filename.rstrip("/"), raw=info)
            continue
        _entry_check(info=info, limits=limits)
        if info.filename in seen:
            raise ArchiveError(f"entry '{info.filename}' appears twice")
        seen.add(info.filename)
        declared_total += info.file_size
        if declared_total > limits.max_total_bytes:
            raise ArchiveError(f"the archive unpacks to more than {_size_text(limits.max_total_bytes)}")
        entries.append(info)
    _prefix_conflicts_check(names=seen)
    return entries


def _entry_is_directory(*, info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return (
        info.orig_filename.endswith("/")
        or stat.S_ISDIR(mode)
        or (info.create_system == 0 and info.external_attr & _MSDOS_DIRECTORY)
    )


def _entry_check(*, info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    _name_check(name=info.orig_filename, raw=info)
    name = info.filename
    if info.flag_bits & _FLAG_ENCRYPTED:
        raise ArchiveError(f"entry '{name}' is encrypted")
    if info.compress_type not in _METHODS:
        raise ArchiveError(f"entry '{name}' is compressed with method {info.compress_type}; use deflate")
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ArchiveError(f"entry '{name}' is a symbolic link")
    if file_type not in (0, stat.S_IFREG):
        raise ArchiveError(f"entry '{name}' is not a regular file")
    if info.file_size > limits.max_entry_bytes:
        raise ArchiveError(f"entry '{name}' is larger than {_size_text(limits.max_entry_bytes)}")
    if info.file_size > _RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise ArchiveError(f"entry '{name}' is compressed suspiciously well (a zip bomb?)")


def _name_check(*, name: str, raw: zipfile.ZipInfo | None = None) -> None:
    if raw is not None and not raw.flag_bits & _FLAG_UTF8 and not raw.orig_filename.isascii():
        raise ArchiveError(f"entry '{name}' has a name that is neither ASCII nor marked UTF-8")
    if not name:
        raise ArchiveError("an entry has an empty name")
    if "\x00" in name:
        raise ArchiveError(f"entry '{name.replace(chr(0), '?')}' has a NUL character in its name")
    if "\\" in name:
        raise ArchiveError(f"entry '{name}' contains a backslash")
    if name.startswith("/"):
        raise ArchiveError(f"entry '{name}' is an absolute path")
    if _DRIVE.match(name):
        raise ArchiveError(f"entry '{name}' starts with a drive letter")
    parts = name.split("/")
    if ".." in parts:
        raise ArchiveError(f"entry '{name}' escapes the archive")
    if "" in parts or "." in parts:
        raise ArchiveError(f"entry '{name}' has an empty or '.' path component")


def _prefix_conflicts_check(*, names: set[str]) -> None:
    for name in names:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix in names:
                raise ArchiveError(f"entry '{prefix}' is both a file and a folder")


def _entry_chunks(
    *, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits, tally: _Tally
) -> Iterator[bytes]:
    """The entry's content, chunk by chunk, counted as it is inflated; the header's size is never trusted."""
    name = info.filename
    unbounded = copy.copy(info)
    # zipfile cuts the data at the declared size, then fails the CRC or, if the CRC was forged, passes a
    # prefix: lift that bound so the real bytes meet the limits below. Each read still gives at most _CHUNK.
    unbounded.file_size = _UNBOUNDED
    size = 0
    try:
        with zf.open(unbounded) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                tally.total += len(chunk)
                _read_size_check(name=name, info=info, size=size, total=tally.total, limits=limits)
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise ArchiveError(f"entry '{name}' cannot be read: {exc}") from None
    if size != info.file_size:
        raise ArchiveError(f"entry '{name}' holds {size} bytes but its header says {info.file_size}")


def _read_size_check(
    *, name: str, info: zipfile.ZipInfo, size: int, total: int, limits: ArchiveLimits
) -> None:
    if size > limits.max_entry_bytes:
        raise ArchiveError(f"entry '{name}' is larger than {_size_text(limits.max_entry_bytes)}")
    if total > limits.max_total_bytes:
        raise ArchiveError(f"the archive unpacks to more than {_size_text(limits.max_total_bytes)}")
    # zipfile reads no more than compress_size bytes, so a lie there only weakens this heuristic.
    if size > _RATIO_MIN_BYTES and size > limits.max_ratio * max(info.compress_size, 1):
        raise ArchiveError(f"entry '{name}' is compressed suspiciously well (a zip bomb?)")


def _size_text(size: int) -> str:
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"
