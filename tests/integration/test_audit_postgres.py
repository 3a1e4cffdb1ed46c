"""On PostgreSQL the execution log refuses UPDATE and DELETE in the database itself (a trigger), whoever
asks, and audit_verify passes on what judging appended there."""

import os
import subprocess
import sys

import pytest

from tests.integration.test_postgres import PG_BIN

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason="PostgreSQL (initdb) not installed")

SCRIPT = """
from django.db import DatabaseError, transaction
from judge.audit.models import AuditKey, AuditRecord
from judge.audit.services import audit_append
for n in range(3):
    audit_append(kind="staff", action="test.append", data={"n": n})
for what, attempt in [
    ("update", lambda: AuditRecord.objects.filter(seq=2).update(host="elsewhere")),
    ("delete", lambda: AuditRecord.objects.filter(seq=2).delete()),
    ("key", lambda: AuditKey.objects.update(public_key="x")),
]:
    try:
        with transaction.atomic():
            attempt()
        print(what, "allowed")
    except DatabaseError as exc:
        print(what, "refused", "append-only" in str(exc))
print("records", AuditRecord.objects.count())
"""


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=240
    )


def test_the_trigger_refuses_update_and_delete_and_the_chain_verifies(tmp_path):
    from tests.faults.harness import Postgres

    pg = Postgres()
    try:
        pg.start()
        env = {
            **os.environ,
            "DATABASE_URL": pg.url,
            "SECRET_KEY": "pg-audit-test",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "JUDGE_AUDIT_KEY_FILE": str(tmp_path / "audit-key"),
        }
        env.pop("JUDGE_AUDIT_SIGNING_KEY", None)
        assert _manage(env, "migrate", "--noinput", "-v0").returncode == 0
        done = _manage(env, "shell", "--no-imports", "-c", SCRIPT)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split("\n")[:4] == [
            "update refused True",
            "delete refused True",
            "key refused True",
            "records 3",
        ]
        verified = _manage(env, "audit_verify")
        assert verified.returncode == 0, verified.stderr
        assert "3 record(s) checked" in verified.stdout
    finally:
        pg.close()
