"""README commands run as written after `make run`: manage.py finds the key `make run` kept in var/."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage_check(var_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update(OJ_VAR_DIR=str(var_dir), DEBUG="false")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_reads_var_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 64 + "\n")
    result = _manage_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_manage_py_invents_no_key_without_the_file(tmp_path):
    result = _manage_check(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
