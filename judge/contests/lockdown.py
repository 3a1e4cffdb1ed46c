"""Contest lockdown: while a participant's contest runs, their account reaches only that contest.

One question, "is this user locked into a contest now?", answered by one query (`contest_lockdown_for_user`),
and one rule for which paths stay open (`lockdown_allows_path`). The HTTP middleware and the socket check
(judge/contests/middleware.py) ask both; staff of the contest's course, school or club and everyone who
is not a participant are never locked, and once the contest (or a personal window) ends, all is open.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import STAFF_ROLES
from judge.contests.models import Contest, ContestParticipant
from judge.submissions.models import Submission

# Paths a locked participant still reaches besides their contest's: logging in and out, static files,
# the health check, the language list (the submit form asks it).
ALWAYS_OPEN = re.compile(r"^/(static/|accounts/(login|logout)/$|healthz$|api/languages/$)")
CONTEST_PATH = re.compile(r"^/(?:ws/)?contests/(?P<slug>[-\w]+)/")
OWN_SUBMISSION_PATH = re.compile(r"^/(?:api/|ws/)?submissions/(?P<id>\d+)/$")
OWN_SUBMISSIONS = frozenset({"/submissions/", "/ws/my-submissions/"})  # "My submissions": theirs only


@dataclass(frozen=True)
class Lockdown:
    """The running contests this user takes part in now, and when the first of them ends for them."""

    contests: tuple[Contest, ...]
    ends_at: dt.datetime

    @property
    def contest(self) -> Contest:
        return self.contests[0]

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(contest.slug for contest in self.contests)


def _user_end(contest: Contest, now: dt.datetime) -> dt.datetime | None:
    """When this participant's part of a running contest ends; None if it is not running for them."""
    if not contest.is_window:
        return contest.end_at
    if contest.my_started_at is None:
        return None  # not started: they may still browse
    end = min(contest.my_started_at + dt.timedelta(minutes=contest.window_minutes or 0), contest.end_at)
    return end if now < end else None


def contest_lockdown_for_user(*, user: User, now: dt.datetime | None = None) -> Lockdown | None:
    """The lockdown `user` is under now, or None. One query; superusers and visitors are never locked."""
    if not user.is_authenticated or user.is_superuser:
        return None
    now = now or timezone.now()
    memberships = Membership.objects.filter(user=user, tenant=OuterRef("tenant"))
    mine = ContestParticipant.objects.filter(user=user, contest=OuterRef("pk"))
    running = (
        Contest.objects.filter(start_at__lte=now, end_at__gt=now)
        .annotate(
            my_staff=Exists(memberships.filter(role__in=STAFF_ROLES)),
            my_student=Exists(memberships.filter(role=Membership.Role.STUDENT)),
            my_invited=Exists(mine),
            my_started_at=Subquery(mine.values("started_at")[:1]),
        )
        .filter(my_staff=False)
        .filter(
            Q(access=Contest.Access.INVITED, my_invited=True)
            | Q(access=Contest.Access.TENANT, my_student=True)
        )
    )
    ends = [(end, contest) for contest in running if (end := _user_end(contest, now)) is not None]
    if not ends:
        return None
    ends.sort(key=lambda pair: (pair[0], pair[1].pk))
    return Lockdown(contests=tuple(contest for _, contest in ends), ends_at=ends[0][0])


def lockdown_allows_path(*, lockdown: Lockdown, user: User, path: str) -> bool:
    """Whether a locked user may open `path` (a page, an API endpoint or a socket)."""
    if ALWAYS_OPEN.match(path) or path in OWN_SUBMISSIONS:
        return True
    if match := CONTEST_PATH.match(path):
        return match["slug"] in lockdown.slugs
    if match := OWN_SUBMISSION_PATH.match(path):
        return Submission.objects.filter(pk=int(match["id"]), user=user).exists()
    return False
