import hashlib
import os

import pytest

from sandbox.host.cache import HashMismatch, TestCache


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_stored_file_comes_back_by_its_hash(tmp_path):
    cache = TestCache(tmp_path, max_bytes=1000)
    cache.put(_sha(b"1 2\n"), b"1 2\n")

    assert cache.get(_sha(b"1 2\n")) == b"1 2\n"
    assert cache.get(_sha(b"other")) is None


def test_a_download_with_another_hash_is_refused_and_not_kept(tmp_path):
    cache = TestCache(tmp_path / "cache", max_bytes=1000)

    with pytest.raises(HashMismatch):
        cache.put(_sha(b"3\n"), b"4\n")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_file_changed_on_disk_is_dropped_not_served(tmp_path):
    cache = TestCache(tmp_path, max_bytes=1000)
    cache.put(_sha(b"3\n"), b"3\n")
    (tmp_path / _sha(b"3\n")).write_bytes(b"4\n")

    assert cache.get(_sha(b"3\n")) is None
    assert not (tmp_path / _sha(b"3\n")).exists()


def test_the_least_recently_used_files_go_first_when_over_size(tmp_path):
    cache = TestCache(tmp_path, max_bytes=25)
    old, used, new = b"a" * 10, b"b" * 10, b"c" * 10
    cache.put(_sha(old), old)
    cache.put(_sha(used), used)
    os.utime(tmp_path / _sha(old), (1, 1))
    os.utime(tmp_path / _sha(used), (2, 2))
    cache.get(_sha(used))  # a use makes it the newest

    cache.put(_sha(new), new)

    assert cache.get(_sha(old)) is None
    assert cache.get(_sha(used)) == used
    assert cache.get(_sha(new)) == new


def test_a_file_larger_than_the_cache_is_still_kept_for_its_job(tmp_path):
    cache = TestCache(tmp_path, max_bytes=5)
    cache.put(_sha(b"x" * 10), b"x" * 10)

    assert cache.get(_sha(b"x" * 10)) == b"x" * 10


def test_names_that_are_not_hashes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="SHA-256"):
        TestCache(tmp_path, max_bytes=5).get("../etc/passwd")
