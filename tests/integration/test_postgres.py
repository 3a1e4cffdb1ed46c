"""The site on PostgreSQL (psycopg 3), as production runs it: a throwaway cluster on loopback."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("OJ_PG_BIN", "/usr/lib/postgresql/15/bin"))

CHECK = """
from accounts.models import User
from judge.judging.queue import submission_claim_next
from judge.submissions.services import submission_create
from problems.models import Problem
from unittest import mock
with mock.patch("judge.submissions.dispatch.judging_request"):
    s = submission_create(user=User.objects.get(username="student"),
                          problem=Problem.objects.get(code="aplusb"),
                          language="python", source="print(sum(map(int, input().split())))")
claimed = submission_claim_next()
print("claimed", claimed.id == s.id, claimed.status, claimed.tenant.slug)
from problems.selectors import problem_search_visible
admin = User.objects.get(username="admin")
print("tagged", *(p.code for p in problem_search_visible(user=admin, tag="math")), "|",
      *(p.code for p in problem_search_visible(user=admin, tag="mat")))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package's `postgres` user runs it.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture
def postgres_url():
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        found = shutil.which("initdb")
        assert found, "PostgreSQL is not installed: `apt-get install postgresql` (make test does it)"
        initdb = Path(found)
    # Not under pytest's tmp_path: that is private to root, and the server runs as `postgres`.
    data, port = Path(tempfile.mkdtemp(prefix="ojpg-")), _free_port()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    subprocess.run(
        _as_postgres([str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    ctl = str(initdb.with_name("pg_ctl"))
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
    subprocess.run(
        _as_postgres([ctl, "-D", str(data), "-o", options, "-w", "start", "-l", str(data / "log")]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def _manage(url: str, tmp_path: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media"), "SECRET_KEY": "pg-test"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_migrate_load_samples_and_claim_on_postgresql(postgres_url, tmp_path):
    _manage(postgres_url, tmp_path, "migrate", "--noinput", "-v0")
    assert "problem aplusb" in _manage(postgres_url, tmp_path, "load_samples")
    out = _manage(postgres_url, tmp_path, "shell", "-c", CHECK)
    assert "claimed True compiling demo" in out
    assert "tagged aplusb triangle |\n" in out  # the tag filter on jsonb: whole tags only
