#!/usr/bin/env python
import os
import sys
from pathlib import Path


def load_secret_key_file() -> None:
    """Use the key `make run` keeps in var/secret_key when SECRET_KEY is unset (never invents one)."""
    if os.environ.get("SECRET_KEY"):
        return
    var_dir = Path(os.environ.get("OJ_VAR_DIR") or Path(__file__).resolve().parent / "var")
    try:
        key = (var_dir / "secret_key").read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return
    if key:
        os.environ["SECRET_KEY"] = key


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "judge.settings")
    load_secret_key_file()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
