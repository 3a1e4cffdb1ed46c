"""A real judge for the browser: daphne (HTTP + websockets) and a Celery worker as subprocesses, sharing
the test database file, a Redis database of their own and the test's media folder."""

import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REDIS_TEST_URL = os.environ.get("OJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
# A folder: when set, the walk tests save the README's screenshots there on their way (README "Layout").
SCREENSHOTS = os.environ.get("OJ_SCREENSHOTS", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@pytest.fixture
def judge_site(transactional_db, settings, tmp_path):
    """URL of a running judge whose database is this test's database."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    # The server subprocess checks passwords with the real hashers, so store them with those.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("load_samples", verbosity=0, stdout=io.StringIO())
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{settings.DATABASES['default']['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REDIS_URL": REDIS_TEST_URL,
        "DEBUG": "false",
        "SECURE_COOKIES": "false",  # the test server speaks plain HTTP
        "PYTHONPATH": str(ROOT),
        "JUDGE_OPS_PUSH_SECONDS": "2",
    }
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    logs = tmp_path / "logs"
    logs.mkdir()
    commands = {
        "daphne.log": [str(bin_dir / "daphne"), "-b", "127.0.0.1", "-p", str(port), "judge.asgi:application"],
        # As scripts/run.sh: both queues, and beat (the periodic tasks: sweeps, the dashboard's push).
        "worker.log": [
            *(str(bin_dir / "celery"), "-A", "judge", "worker", "-B", "-Q", "judging,housekeeping"),
            *("--schedule", str(tmp_path / "celerybeat"), "--concurrency", "2", "-l", "info"),
        ],
    }
    with contextlib.ExitStack() as stack:
        processes = []
        for log_name, command in commands.items():
            log = stack.enter_context(open(logs / log_name, "w"))
            processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        try:
            _wait_for_port(port, processes[0])
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(processes)
            for log_name in commands:
                print(f"---- {log_name}\n{(logs / log_name).read_text()[-4000:]}")


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium):
    return chromium.new_page(viewport={"width": 1280, "height": 900})


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.docker)


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def screenshot(page, name: str) -> None:
    """The whole page as `<name>.png` in $OJ_SCREENSHOTS, when that is set; otherwise nothing."""
    if SCREENSHOTS:
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header would show mid-page otherwise
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True, animations="disabled")


__all__ = ["login", "screenshot", "settings"]
