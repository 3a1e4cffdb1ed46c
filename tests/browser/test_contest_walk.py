"""A contest as issue 16 describes it, in two real browsers: a student's contest submission keeps the
contest's header, timer and tabs; the instructor's answer fills the student's question card live, and an
announcement without a question arrives the same way; the scoreboard names its problems and counts
solves and tries per problem; on a phone the board scrolls inside its box, with a hint."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Tenant
from judge.contests.models import Contest, ContestProblem
from problems.models import Problem
from tests.browser.conftest import login

SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
PHONE = {"width": 390, "height": 844}


def _contest() -> Contest:
    now = timezone.now()
    contest = Contest.objects.create(
        tenant=Tenant.objects.get(slug="demo"),
        title="Spring Cup",
        slug="spring-cup",
        start_at=now - dt.timedelta(minutes=10),
        end_at=now + dt.timedelta(hours=2),
    )
    for order, (label, code) in enumerate((("A", "aplusb"), ("B", "triangle"))):
        problem = Problem.objects.get(code=code)
        ContestProblem.objects.create(contest=contest, problem=problem, label=label, order=order)
    return contest


def _submit_in_the_contest(page, base: str) -> None:
    page.goto(f"{base}/contests/spring-cup/problems/A/")
    page.select_option("select[name=language]", "python")
    page.click(".CodeMirror")
    page.keyboard.insert_text(SOLUTION)
    page.click("#submit-form button[type=submit]")
    page.wait_for_url("**/submissions/*/")
    expect(page.locator("#verdict .badge-AC")).to_be_visible(timeout=90_000)
    expect(page.locator(".contest-head")).to_contain_text("Spring Cup")  # still inside the contest
    expect(page.locator(".contest-head [role=timer]")).to_be_visible()
    expect(page.locator("nav.tabs[aria-label=Contest]")).to_be_visible()


def _ask(page, base: str) -> None:
    page.goto(f"{base}/contests/spring-cup/clarifications/")
    page.select_option("select[name=problem]", "A")
    page.fill("textarea[name=question]", "Can a be negative?")
    page.click(".ask-card button[type=submit]")
    expect(page.locator(".clar", has_text="Can a be negative?").locator(".clar-waiting")).to_be_visible()
    page.evaluate("window.__noReload = true")


def _answer_and_announce(page, base: str) -> None:
    page.goto(f"{base}/contests/spring-cup/clarifications/")
    card = page.locator(".clar", has_text="Can a be negative?")
    card.locator("textarea[name=answer]").fill("Yes, down to -10^18.")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.fill("#announce-title-input", "Problem B")
    page.fill("#announce-text", "Print the area with nine decimals.")
    page.locator("form", has=page.locator("#announce-text")).locator("button[type=submit]").click()
    page.wait_for_load_state()


def _scoreboard(page, base: str) -> None:
    page.goto(f"{base}/contests/spring-cup/scoreboard/")
    heads = page.locator(".board thead .board-cell")
    expect(heads.first).to_contain_text("Sum of Two Numbers")
    expect(heads.nth(1)).to_contain_text("Triangle Area")
    totals = page.locator(".board tfoot .board-cell")
    expect(totals).to_have_text(["1 / 1", "0 / 0"])  # solved / tried


def _phone_board(chromium, base: str) -> None:
    page = chromium.new_context(viewport=PHONE, is_mobile=True).new_page()
    login(page, base, "student", "student-pass-123")
    page.goto(f"{base}/contests/spring-cup/scoreboard/")
    expect(page.locator("#board-hint")).to_be_visible()
    box = page.locator("#board-table")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside its box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the page does not


def test_contest_submission_live_clarifications_and_the_board(judge_site, chromium):
    _contest()
    student = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(student, judge_site, "student", "student-pass-123")
    _submit_in_the_contest(student, judge_site)
    _ask(student, judge_site)

    teacher = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(teacher, judge_site, "instructor", "instructor-pass-123")
    _answer_and_announce(teacher, judge_site)

    card = student.locator(".clar", has_text="Can a be negative?")
    expect(card.locator(".clar-answer")).to_contain_text("Yes, down to -10^18.", timeout=30_000)
    expect(card.locator(".clar-waiting")).to_have_count(0)
    announcement = student.locator(".clar-announcement", has_text="Problem B")
    expect(announcement).to_contain_text("Print the area with nine decimals.", timeout=30_000)
    assert student.evaluate("window.__noReload") is True  # both arrived without a reload

    _scoreboard(teacher, judge_site)
    _phone_board(chromium, judge_site)
