"""A student picks each of the judge's languages in the browser and gets the verdict (issue: languages).

The programs are the A+B solutions of tests/programs/languages/<key>/ac.*; the sample problem `aplusb`
reads one line "a b" (64-bit values) and wants a + b.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from sandbox import LANGUAGES
from tests.browser.conftest import login

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "languages"


@pytest.fixture
def room_for_every_language(monkeypatch):
    """One student submits once per language: above the default per-user rate and queue caps."""
    monkeypatch.setenv("JUDGE_SUBMIT_RATE", "100/m")
    monkeypatch.setenv("JUDGE_MAX_QUEUED_PER_USER", str(len(LANGUAGES) + 1))


def _source(key: str) -> str:
    (path,) = PROGRAMS.glob(f"{key}/ac.*")
    return path.read_text()


def test_every_language_can_be_picked_and_is_judged_accepted(
    room_for_every_language, judge_site, browser_page
):
    page = browser_page
    login(page, judge_site, "student", "student-pass-123")
    submitted = {}
    for key in LANGUAGES:
        page.goto(f"{judge_site}/problems/aplusb/")
        page.select_option("select[name=language]", key)
        page.click(".CodeMirror")
        page.keyboard.insert_text(_source(key))
        page.click("#submit-form button[type=submit]")
        page.wait_for_url("**/submissions/*/")
        submitted[key] = page.url
    for key, url in submitted.items():
        page.goto(url)
        expect(page.locator("#verdict .badge-AC"), f"{key}: {url}").to_be_visible(timeout=180_000)
