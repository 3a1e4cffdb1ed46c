"""A student's whole experience in a real browser: log in, read, submit, watch the verdict arrive."""

from playwright.sync_api import expect

from tests.browser.conftest import login

SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG = "print(0)\n"


def _submit(page, base_url: str, source: str) -> None:
    page.goto(f"{base_url}/problems/aplusb/")
    expect(page.locator("h1")).to_contain_text("Sum of Two Numbers")
    page.select_option("select[name=language]", "python")
    page.click(".CodeMirror")  # the code editor that replaces the textarea
    page.keyboard.insert_text(source)
    page.click("#submit-form button[type=submit]")
    page.wait_for_url("**/submissions/*/")


def test_student_submits_and_sees_the_verdict_arrive_without_reloading(judge_site, browser_page):
    page = browser_page
    login(page, judge_site, "student", "student-pass-123")
    _submit(page, judge_site, SOLUTION)
    # A marker set now survives only if the page is never reloaded while the verdict arrives.
    page.evaluate("window.__noReload = true")
    expect(page.locator("#verdict .badge-AC")).to_be_visible(timeout=90_000)
    assert page.evaluate("window.__noReload") is True
    expect(page.locator("#results tr")).to_have_count(10)
    expect(page.locator("#progress-text")).to_have_text("10 / 10")


def test_wrong_answer_shows_the_failing_sample_and_the_list_updates(judge_site, browser_page):
    page = browser_page
    login(page, judge_site, "student", "student-pass-123")
    _submit(page, judge_site, WRONG)
    expect(page.locator("#verdict .badge-WA")).to_be_visible(timeout=90_000)
    expect(page.locator("#results tr").first).to_contain_text("sample")
    page.goto(f"{judge_site}/submissions/")
    expect(page.locator("tr[data-submission-id] .badge-WA").first).to_be_visible()


def test_math_is_typeset_with_the_bundled_katex(judge_site, browser_page):
    page = browser_page
    page.goto(f"{judge_site}/problems/triangle/")
    expect(page.locator(".math-display .katex").first).to_be_visible(timeout=10_000)
