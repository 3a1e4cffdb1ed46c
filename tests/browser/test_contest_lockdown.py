"""During a contest its participant reaches only the contest; another student and the instructor browse
freely; once the contest ends, the participant does too."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Tenant
from accounts.services import membership_set, user_create
from judge.contests.models import Contest, ContestParticipant, ContestProblem
from problems.models import Problem
from tests.browser.conftest import login

PASSWORD = "other-pass-12345"


def _contest() -> Contest:
    tenant = Tenant.objects.get(slug="demo")
    now = timezone.now()
    contest = Contest.objects.create(
        tenant=tenant,
        title="Lock Cup",
        slug="lock-cup",
        access=Contest.Access.INVITED,
        start_at=now - dt.timedelta(minutes=5),
        end_at=now + dt.timedelta(hours=1),
    )
    ContestProblem.objects.create(contest=contest, problem=Problem.objects.get(code="aplusb"), label="A")
    ContestParticipant.objects.create(
        contest=contest, user=Membership.objects.get(user__username="student").user
    )
    other = user_create(username="other", password=PASSWORD)
    membership_set(user=other, tenant=tenant, role=Membership.Role.STUDENT)
    return contest


def _page(chromium):
    return chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_lockdown_holds_the_participant_only_and_lifts_at_the_end(judge_site, chromium):
    contest = _contest()

    student = _page(chromium)
    login(student, judge_site, "student", "student-pass-123")
    student.goto(f"{judge_site}/problems/sorting/")
    expect(student.locator("h1")).to_have_text("Contest Lock Cup is running")
    expect(student.locator("main")).to_contain_text("you can reach only its problems")
    student.click("text=Go to Lock Cup")
    student.wait_for_url("**/contests/lock-cup/")
    student.goto(f"{judge_site}/contests/lock-cup/problems/A/")
    expect(student.locator(".statement")).to_be_visible()
    student.goto(f"{judge_site}/")
    student.wait_for_url("**/contests/lock-cup/")  # the home page leads to the contest

    for username, password in (("other", PASSWORD), ("instructor", "instructor-pass-123")):
        page = _page(chromium)
        login(page, judge_site, username, password)
        page.goto(f"{judge_site}/problems/sorting/")
        expect(page.locator(".statement")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("is running")

    contest.start_at = timezone.now() - dt.timedelta(hours=2)
    contest.end_at = timezone.now() - dt.timedelta(seconds=1)
    contest.save(update_fields=["start_at", "end_at"])
    student.goto(f"{judge_site}/problems/sorting/")
    expect(student.locator(".statement")).to_be_visible()
