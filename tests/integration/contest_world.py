"""A small contest world for the contest tests: a tenant with staff, students, two problems and a contest."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Membership, Tenant, User
from judge.contests.models import Contest, ContestProblem
from judge.submissions.models import Submission
from problems.models import Problem
from tests.factories import MembershipFactory, TenantFactory
from tests.integration.fake_engine import problem_with_tests

HIDDEN_INPUT = "777 111\n"


@dataclass
class World:
    tenant: Tenant
    staff: User
    ann: User
    bob: User
    problems: list[Problem]


def world_make() -> World:
    tenant = TenantFactory(name="Delta College")
    problems = [
        problem_with_tests(
            tests=[("1 2\n", True, ""), (HIDDEN_INPUT, False, "")],
            tenant=tenant,
            visibility=Problem.Visibility.DRAFT,  # only reachable through the contest
            code=f"contest-{letter}",
            title=f"Problem {letter.upper()}",
        )
        for letter in "ab"
    ]
    return World(
        tenant=tenant,
        staff=MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR, user__username="coach").user,
        ann=MembershipFactory(tenant=tenant, user__username="ann").user,
        bob=MembershipFactory(tenant=tenant, user__username="bob").user,
        problems=problems,
    )


def contest_make(world: World, *, started_minutes_ago: float = 60, minutes: float = 120, **fields) -> Contest:
    start = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    contest = Contest.objects.create(
        tenant=world.tenant,
        title=fields.pop("title", "Spring Cup"),
        slug=fields.pop("slug", "spring-cup"),
        start_at=start,
        end_at=start + dt.timedelta(minutes=minutes),
        **fields,
    )
    for order, (label, problem) in enumerate(zip("AB", world.problems, strict=True)):
        ContestProblem.objects.create(contest=contest, problem=problem, label=label, order=order)
    return contest


def backdate(submission: Submission, *, minutes_after_start: float) -> Submission:
    """Pretend the submission was made this long after the contest started."""
    when = submission.contest.start_at + dt.timedelta(minutes=minutes_after_start)
    Submission.objects.filter(pk=submission.pk).update(created_at=when)
    submission.created_at = when
    return submission
