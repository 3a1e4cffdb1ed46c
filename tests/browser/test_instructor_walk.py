"""An instructor's authoring session in a real browser, as issue 16 describes it: /manage/ lands on the
problem list; tags and difficulty on the edit page (refused when bad, then shown to students); the Tests
tab with previews, bulk sample marks and the no-sample warning; the Validate tab with a reference
solution run live, the suggested time limit applied, the solution edited in the code editor and
deleted; a contest form that fills the slug and picks problems; a student's submission, seen as staff."""

from playwright.sync_api import expect

from accounts.models import User
from judge.contests.models import Contest
from judge.submissions.models import Submission, Verdict
from problems.models import Problem
from tests.browser.conftest import login, screenshot
from tests.factories import SubmissionFactory

ACCEPTED = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG = "print(0)\n"


def _tags_and_difficulty(page, base: str) -> None:
    page.goto(f"{base}/manage/")
    page.wait_for_url("**/manage/problems/")
    page.locator("a.row-link", has_text="Sum of Two Numbers").click()
    page.wait_for_url("**/manage/problems/aplusb/edit/")
    page.fill("input[name=tags]", "math, <b>bold</b>")
    page.click("#problem-form button[type=submit].btn-primary")
    expect(page.locator(".field-invalid .field-error")).to_contain_text("may use only lowercase letters")
    assert Problem.objects.get(code="aplusb").tags == ["math", "implementation"]  # nothing changed
    page.fill("input[name=tags]", "Math, Big Numbers")
    page.select_option("select[name=difficulty]", "medium")
    page.click("#problem-form button[type=submit].btn-primary")
    expect(page.locator(".message-success")).to_have_text("Saved.")
    expect(page.locator("input[name=tags]")).to_have_value("math, big-numbers")
    page.goto(f"{base}/problems/?tag=big-numbers")
    row = page.locator(".table-problems tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".pill-medium")).to_have_text("Medium")


def _tests_tab(page, base: str) -> None:
    page.goto(f"{base}/manage/problems/aplusb/edit/")
    page.locator("nav.tabs a", has_text="Tests").click()
    page.wait_for_url("**/manage/problems/aplusb/tests/")
    first = page.locator(".table-tests tbody tr").first
    expect(first.locator(".test-preview").first).to_have_text("1 2")  # its input's first line
    expect(page.locator("#no-sample-warning")).to_have_count(0)
    for box in page.locator("input[name=samples]").all():
        box.uncheck()
    page.click("#samples-form button[type=submit]")
    expect(page.locator("#no-sample-warning")).to_be_visible()
    page.locator("input[name=samples]").first.check()
    page.click("#samples-form button[type=submit]")
    expect(page.locator("#no-sample-warning")).to_have_count(0)
    assert Problem.objects.get(code="aplusb").tests.filter(is_sample=True).count() == 1


def _validate_tab(page) -> None:
    Problem.objects.filter(code="aplusb").update(time_limit=3.0)  # the suggestion (whole seconds) is 1 s
    page.locator("nav.tabs a", has_text="Validate").click()
    page.wait_for_url("**/staff/problems/aplusb/validate/")
    page.fill("input[name=name]", "accepted/sum.py")
    page.select_option("select[name=language]", "python")
    page.select_option("select[name=expected]", "accepted")
    page.fill("textarea[name=source]", ACCEPTED)
    page.click(".reference-form button[type=submit]")
    expect(page.locator(".message-success")).to_contain_text("Added accepted/sum.py")
    page.click("#validation-report form.inline-form button.btn-primary")  # Run all
    row = page.locator("#validation-report tr", has_text="accepted/sum.py")
    expect(row.locator(".verdict-cell .badge-AC")).to_be_visible(timeout=120_000)  # live, no reload
    screenshot(page, "validate")
    page.click("#time-limit-apply")
    expect(page.locator(".message-success")).to_contain_text("The time limit is now")
    assert Problem.objects.get(code="aplusb").time_limit == 1.0

    row.locator("a", has_text="Edit").click()
    page.wait_for_url("**/validate/solutions/*/")
    page.evaluate(f"document.querySelector('.reference-form .CodeMirror').CodeMirror.setValue({WRONG!r})")
    page.select_option("select[name=expected]", "wrong_answer")
    page.click(".reference-form button[type=submit]")
    expect(page.locator(".message-success")).to_contain_text("Saved accepted/sum.py")
    solution = Problem.objects.get(code="aplusb").reference_solutions.get()
    # The browser sends the textarea's lines ending in CRLF, and the form keeps them as sent.
    assert (solution.source.replace("\r\n", "\n"), solution.expected) == (WRONG, "wrong_answer")
    row = page.locator("#validation-report tr", has_text="accepted/sum.py")
    row.locator("button", has_text="Delete").click()
    expect(page.locator(".message-success")).to_contain_text("Deleted accepted/sum.py")
    expect(row).to_have_count(0)


def _contest_form(page, base: str) -> None:
    page.goto(f"{base}/contests/new/")
    page.fill("input[name=title]", "Friday Cup")
    expect(page.locator("input[name=slug]")).to_have_value("friday-cup")  # follows the title
    picker = page.locator("#problem-picker")
    expect(picker).to_be_visible()
    picker.locator(".picker-row", has_text="aplusb").locator(".picker-check").check()
    picker.locator(".picker-row", has_text="triangle").locator(".picker-check").check()
    picker.locator(".picker-row", has_text="triangle").locator(".picker-label").fill("z")
    expect(page.locator("textarea[name=problems]")).to_have_value("aplusb\nZ triangle")
    page.check("input[name=access][value=tenant]")  # the times, format and freeze keep their defaults
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url("**/contests/friday-cup/")
    entries = Contest.objects.get(slug="friday-cup").contest_problems.order_by("order")
    assert [(entry.label, entry.problem.code) for entry in entries] == [("A", "aplusb"), ("Z", "triangle")]


def _a_students_submission(page, base: str) -> None:
    submission = SubmissionFactory(
        user=User.objects.get(username="student"),
        problem=Problem.objects.get(code="triangle"),
        status=Submission.Status.DONE,
        verdict=Verdict.WA,
    )
    page.goto(f"{base}/submissions/{submission.id}/")
    expect(page.locator("#submitter")).to_contain_text("@student")


def test_an_instructor_tags_checks_validates_and_sets_up_a_contest(judge_site, browser_page):
    page = browser_page
    login(page, judge_site, "instructor", "instructor-pass-123")
    _tags_and_difficulty(page, judge_site)
    _tests_tab(page, judge_site)
    _validate_tab(page)
    _contest_form(page, judge_site)
    _a_students_submission(page, judge_site)
