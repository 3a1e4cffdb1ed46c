"""An instructor builds a problem from a zip and a contest around it; a student solves it while the
instructor watches the scoreboard change, live, in another browser."""

import datetime as dt
import io
import zipfile

from playwright.sync_api import expect

from problems.models import Problem
from tests.browser.conftest import login

SOLUTION = "n = int(input())\nprint(2 * n)\n"
TESTS = {
    "sample/1.in": "3\n",
    "sample/1.ans": "6\n",
    "main/2.in": "10\n",
    "main/2.ans": "20\n",
    "main/3.in": "-7\n",
    "main/3.ans": "-14\n",
}


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in TESTS.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _local(moment: dt.datetime) -> str:
    return moment.strftime(
        "%Y-%m-%dT%H:%M"
    )  # the site's time zone is UTC, like the datetime-local input here


def _create_problem(page, base: str) -> None:
    page.goto(f"{base}/manage/problems/new/")
    page.fill("input[name=code]", "twice")
    page.fill("input[name=title]", "Twice")
    page.fill("textarea[name=statement]", "Print $2n$ for the given integer $n$.")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/manage/problems/twice/tests/")
    page.set_input_files(
        "input[name=archive]", {"name": "tests.zip", "mimeType": "application/zip", "buffer": _zip()}
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state()
    assert Problem.objects.get(code="twice").tests.count() == 3


def _create_contest(page, base: str) -> None:
    now = dt.datetime.now(dt.UTC)
    page.goto(f"{base}/contests/new/")
    page.fill("input[name=title]", "Friday Cup")
    page.fill("input[name=slug]", "friday-cup")
    page.check("input[name=format][value=icpc]")
    page.check("input[name=timing][value=fixed]")
    page.fill("input[name=start_at]", _local(now - dt.timedelta(minutes=10)))
    page.fill("input[name=end_at]", _local(now + dt.timedelta(hours=2)))
    page.fill("input[name=freeze_minutes]", "0")
    page.fill("textarea[name=problems]", "A twice")
    page.check("input[name=access][value=tenant]")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/contests/friday-cup/")


def test_instructor_builds_a_contest_and_the_board_updates_while_a_student_solves(judge_site, chromium):
    teacher = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(teacher, judge_site, "instructor", "instructor-pass-123")
    _create_problem(teacher, judge_site)
    _create_contest(teacher, judge_site)
    teacher.goto(f"{judge_site}/contests/friday-cup/scoreboard/")
    teacher.evaluate("window.__noReload = true")

    student = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(student, judge_site, "student", "student-pass-123")
    student.goto(f"{judge_site}/contests/friday-cup/problems/A/")
    expect(student.locator(".statement .katex").first).to_be_visible(timeout=10_000)
    student.select_option("select[name=language]", "python")
    student.click(".CodeMirror")
    student.keyboard.insert_text(SOLUTION)
    student.click("#submit-form button[type=submit]")
    expect(student.locator("#verdict .badge-AC")).to_be_visible(timeout=90_000)

    row = teacher.locator("tr[data-user-id]", has_text="student")
    expect(row.locator(".board-total")).to_have_text("1", timeout=30_000)
    expect(row.locator(".cell-first")).to_be_visible()
    assert teacher.evaluate("window.__noReload") is True
