"""Test files on the host, by SHA-256: verified when stored, evicted least recently used by total size."""

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class HashMismatch(Exception):
    """A download is not the file its hash names: refused, nothing stored."""


class TestCache:
    __test__ = False

    def __init__(self, root: Path, *, max_bytes: int):
        self.root, self.max_bytes = Path(root), max_bytes
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha: str) -> Path:
        if not _SHA256.fullmatch(sha):
            raise ValueError(f"not a SHA-256 hex digest: {sha!r}")
        return self.root / sha

    def get(self, sha: str) -> bytes | None:
        path = self._path(sha)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        if hashlib.sha256(data).hexdigest() != sha:  # changed on disk: fetch it again
            path.unlink(missing_ok=True)
            return None
        os.utime(path)  # its mtime is its last use
        return data

    def put(self, sha: str, data: bytes) -> None:
        path = self._path(sha)
        if hashlib.sha256(data).hexdigest() != sha:
            raise HashMismatch(f"the file fetched for {sha[:12]}... has another hash")
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".part-", delete=False) as part:
            part.write(data)
        os.replace(part.name, path)
        self.evict(keep=sha)

    def evict(self, *, keep: str = "") -> None:
        """Drop the least recently used files until the cache fits (never the one just stored)."""
        files = [(p.stat(), p) for p in self.root.iterdir() if _SHA256.fullmatch(p.name)]
        total = sum(stat.st_size for stat, _ in files)
        for stat, path in sorted(files, key=lambda item: item[0].st_mtime):
            if total <= self.max_bytes:
                break
            if path.name != keep:
                path.unlink(missing_ok=True)
                total -= stat.st_size
