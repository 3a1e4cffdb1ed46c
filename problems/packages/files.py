"""Read a package from a folder or a zip into {relative posix path: bytes}."""

import os
import re
from pathlib import Path

from problems.archives import ArchiveError, ArchiveLimits, archive_read
from problems.packages.types import PackageError

PACKAGE_LIMITS = ArchiveLimits()
_JUNK_PARTS = {"__MACOSX", ".git", ".svn", ".DS_Store", "__pycache__"}
_ZIP_SUFFIX = re.compile(r"\.zip$", re.IGNORECASE)


def package_files_read(*, source: str | os.PathLike | bytes, name: str = "") -> tuple[str, dict[str, bytes]]:
    """Return (package short name, files) from a folder path, a .zip path or zip bytes."""
    if isinstance(source, bytes):
        return _files_from_zip(data=source, name=name)
    path = Path(source)
    if path.is_dir():
        return name or path.resolve().name, _files_from_folder(root=path)
    if not path.is_file():
        raise PackageError(f"{path}: no such file or folder")
    return _files_from_zip(data=path.read_bytes(), name=name or _ZIP_SUFFIX.sub("", path.name))


def _files_from_zip(*, data: bytes, name: str) -> tuple[str, dict[str, bytes]]:
    try:
        files = _junk_dropped(files=archive_read(data=data, limits=PACKAGE_LIMITS))
    except ArchiveError as exc:
        raise PackageError(exc.message) from None
    if "problem.yaml" in files:
        return name, files
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) == 1 and (top := tops.pop()) + "/problem.yaml" in files:
        # The usual layout: the zip holds one folder named after the problem.
        return top, {path[len(top) + 1 :]: data for path, data in files.items()}
    return name, files


def _files_from_folder(*, root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _JUNK_PARTS)
        for filename in sorted(filenames):
            path = Path(folder, filename)
            relative = path.relative_to(root).as_posix()
            if filename in _JUNK_PARTS or path.is_symlink() or not path.is_file():
                continue
            files[relative] = path.read_bytes()
            total += len(files[relative])
            if total > PACKAGE_LIMITS.max_total_bytes or len(files) > PACKAGE_LIMITS.max_entries:
                raise PackageError(f"{root}: the package is too large")
    return files


def _junk_dropped(*, files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not _JUNK_PARTS.intersection(path.split("/"))}
