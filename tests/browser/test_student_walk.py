"""A new student's first session in a real browser, as issue 16 describes it: sign up and join the course
with its code right there, find a problem by tag, difficulty and search, try code in the Run box, read
the feedback on a failed sample, copy the source and edit and resubmit it, filter "My submissions",
then the home page, in dark mode too."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot

WRONG = "a, b = map(int, input().split())\nprint(a - b)\n"
SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"


def _sign_up_and_join(page, base: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=username]", "newbie")
    page.fill("input[name=password1]", "a-long-pass-phrase-42")
    page.fill("input[name=password2]", "a-long-pass-phrase-42")
    page.click("form button[type=submit]")
    page.wait_for_url("**/problems/")
    join = page.locator(".join-box")
    expect(join).to_be_visible()  # the next step, offered on the page sign-up lands on
    expect(page.locator("code", has_text="vowels")).to_have_count(0)  # a course problem: not yet
    join.locator("input[name=code]").fill("demo2026")  # the code is DEMO2026: any case will do
    join.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".join-box")).to_have_count(0)
    expect(page.locator("code", has_text="vowels")).to_be_visible()


def _find_problems(page, base: str) -> None:
    rows = page.locator(".table-problems tbody tr")
    screenshot(page, "problems")
    page.locator(".pill-tag", has_text="geometry").first.click()  # a chip filters by its tag
    page.wait_for_url("**/problems/?tag=geometry")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Triangle Area")
    page.goto(f"{base}/problems/")
    page.select_option("select[name=difficulty]", "hard")
    page.click(".search-form button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Maximum Subarray")
    expect(rows.first.locator(".pill-hard")).to_have_text("Hard")
    page.select_option("select[name=difficulty]", "")
    page.select_option("select[name=tag]", "math")
    page.fill("input[name=q]", "sum")
    page.click(".search-form button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sum of Two Numbers")
    rows.first.locator("a.row-link").click()
    page.wait_for_url("**/problems/aplusb/")


def _run_on_a_sample(page) -> None:
    page.select_option("select[name=language]", "python")
    page.click(".CodeMirror")
    page.keyboard.insert_text(WRONG)
    page.select_option("#run-on", "1")
    page.click("[data-run-button]")
    status = page.locator("[data-run-status]")
    expect(status).to_contain_text("differs from the sample's answer", timeout=90_000)
    expect(page.locator("[data-run-stdout]")).to_have_text("-1")  # sample 1 is "1 2"
    assert "/submissions/" not in page.url  # trying is not submitting
    screenshot(page, "problem")


def _wrong_answer_feedback(page) -> None:
    page.click("#submit-form button[type=submit]")
    page.wait_for_url("**/submissions/*/")
    expect(page.locator("#verdict .badge-WA")).to_be_visible(timeout=90_000)
    feedback = page.locator("#results tr").first.locator(".sample-feedback")
    expect(feedback).to_have_attribute("open", "")
    expect(feedback.locator("summary")).to_contain_text("first difference: line 1")
    expect(feedback.locator(".diff-first")).to_have_text(["3", "-1"])  # expected, then the student's
    expect(page.locator("#progress-text")).to_contain_text("skipped")  # stopped at the first failure
    screenshot(page, "submission")


def _source_copy_and_resubmit(page) -> None:
    expect(page.locator(".CodeMirror.source-view")).to_contain_text("print(a - b)")
    page.click("#source-copy")
    expect(page.locator("#source-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == WRONG
    page.click("#source-resubmit")
    page.wait_for_url("**/problems/aplusb/?from=*")
    expect(page.locator("select[name=language]")).to_have_value("python")
    editor = page.locator("#submit-form .CodeMirror")
    expect(editor).to_contain_text("print(a - b)")
    page.evaluate(f"document.querySelector('#submit-form .CodeMirror').CodeMirror.setValue({SOLUTION!r})")
    page.click("#submit-form button[type=submit]")
    page.wait_for_url("**/submissions/*/")
    expect(page.locator("#verdict .badge-AC")).to_be_visible(timeout=90_000)
    expect(page.locator("#progress-text")).to_have_text("10 / 10")


def _my_submissions_and_home(page, base: str) -> None:
    page.goto(f"{base}/submissions/")
    rows = page.locator("tr[data-submission-id]")
    expect(rows).to_have_count(2)
    page.select_option("select[name=verdict]", "WA")
    page.click(".filter-form button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".badge-WA")).to_be_visible()
    page.goto(f"{base}/")
    expect(page.locator("aside", has_text="Your courses")).to_contain_text("Demo School")
    expect(page.locator("#home-recent li")).to_have_count(2)
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 18, 22)"  # --bg of the dark palette


def test_a_new_student_signs_up_joins_finds_tries_and_solves(judge_site, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=judge_site)
    page = context.new_page()
    _sign_up_and_join(page, judge_site)
    _find_problems(page, judge_site)
    _run_on_a_sample(page)
    _wrong_answer_feedback(page)
    _source_copy_and_resubmit(page)
    _my_submissions_and_home(page, judge_site)
