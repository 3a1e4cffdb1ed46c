"""The Contest API's events, derived from the database: every object gets the moment it came to be (a
submission when made, a judgement when judged, a team when it joined, configuration when the contest was
set up, state changes when they happen), and the feed is every object in that order. A token names one
event's place in it: since_token resumes right after it, in this process or another, because the same
database gives the same feed.

The freeze: public clients get no judgement (nor run) of a submission made at or after the freeze until
the board is unfrozen; then those judgements appear, dated at the unfreeze, so a client that read the feed
before still gets them after its token. Limits: configuration changed after the start (problems renamed,
removed) is not sent as an update; read the endpoints again.
"""

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import Membership
from judge.ccs import objects
from judge.contests.clarifications import clarification_is_announcement
from judge.contests.models import Contest
from judge.contests.selectors import contest_problems, contest_window
from judge.submissions.forms import languages_offered
from judge.submissions.models import Submission, TestResult, Verdict
from problems.models import TestCase

TYPES = (
    "contest",
    "judgement-types",
    "languages",
    "problems",
    "organizations",
    "teams",
    "state",
    "submissions",
    "judgements",
    "runs",
    "clarifications",
)
TOKEN_RE = re.compile(r"^(\d{16})(\d{2})([A-Za-z0-9_.-]{0,36})$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
Key = tuple[int, int, str]


class FeedError(ValueError):
    """A since_token this server never gave out."""


@dataclass(frozen=True)
class Viewer:
    """Who reads: `role` admin | public | team; `team_id` for team tokens."""

    contest: Contest
    role: str
    team_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Event:
    time: dt.datetime
    type: str
    id: str | None
    data: dict | list | None

    @property
    def key(self) -> Key:
        return ((self.time - EPOCH) // dt.timedelta(microseconds=1), TYPES.index(self.type), self.id or "")

    @property
    def token(self) -> str:
        micros, order, id_ = self.key
        return f"{micros:016d}{order:02d}{id_}"

    def line(self) -> dict:
        return {"type": self.type, "id": self.id, "data": self.data, "token": self.token}


def token_key(token: str) -> Key:
    match = TOKEN_RE.match(token or "")
    if not match:
        raise FeedError(f"Unknown since_token {token[:60]!r}: use the token of an event this feed sent.")
    return int(match[1]), int(match[2]), match[3]


def _moment(key: Key) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=key[0])


@dataclass
class _Scope:
    """What every producer needs, read once."""

    viewer: Viewer
    now: dt.datetime
    since: dt.datetime | None
    config_at: dt.datetime = field(init=False)
    teams: dict[int, tuple[str, dt.datetime]] = field(init=False)  # user id -> (name, joined)
    starts: dict[int, dt.datetime] = field(init=False)
    windows: dict = field(init=False)
    codes: dict[int, str] = field(init=False)  # problem id -> problem code

    def __post_init__(self) -> None:
        contest = self.viewer.contest
        self.config_at = min(contest.created_at, contest.start_at)
        self.teams, participants = _teams(contest)
        self.windows = {
            uid: contest_window(contest=contest, participant=participants.get(uid)) for uid in self.teams
        }
        self.starts = {uid: w[0] if w else contest.start_at for uid, w in self.windows.items()}
        self.codes = dict(contest.contest_problems.values_list("problem_id", "problem__code"))

    def counted(self, submission: Submission) -> bool:
        window = self.windows.get(submission.user_id)
        return (
            submission.problem_id in self.codes
            and window is not None
            and window[0] <= submission.created_at < window[1]
        )

    def hidden(self, submission: Submission) -> bool:
        contest = self.viewer.contest
        if self.viewer.role != "public" or not contest.is_frozen(now=self.now):
            return False
        return submission.created_at >= contest.freeze_at


def _teams(contest: Contest) -> tuple[dict[int, tuple[str, dt.datetime]], dict]:
    participants = {p.user_id: p for p in contest.participants.select_related("user")}
    if contest.access == Contest.Access.INVITED:
        return {uid: (p.user.display_name, p.created_at) for uid, p in participants.items()}, participants
    students = Membership.objects.filter(tenant_id=contest.tenant_id, role=Membership.Role.STUDENT)
    teams = {m.user_id: (m.user.display_name, m.joined_at) for m in students.select_related("user")}
    return teams, participants


def feed_events(
    *, viewer: Viewer, since_token: str | None = None, types=TYPES, now: dt.datetime | None = None
) -> list[Event]:
    """The viewer's events after `since_token` (all of them without one), in feed order."""
    after = token_key(since_token) if since_token else None
    scope = _Scope(viewer=viewer, now=now or timezone.now(), since=_moment(after) if after else None)
    events: list[Event] = []
    for type_ in types:
        events.extend(_PRODUCERS[type_](scope))
    events = [e for e in events if e.time <= scope.now]
    events.sort(key=lambda e: e.key)
    return [e for e in events if after is None or e.key > after]


def _config(scope: _Scope) -> list[Event]:
    contest = scope.viewer.contest
    at = scope.config_at
    return [Event(at, "contest", None, objects.contest_object(contest))]


def _judgement_types(scope: _Scope) -> list[Event]:
    return [Event(scope.config_at, "judgement-types", t["id"], t) for t in objects.judgement_type_objects()]


def _languages(scope: _Scope) -> list[Event]:
    contest = scope.viewer.contest
    offered = languages_offered(allowed=contest.languages)
    return [Event(scope.config_at, "languages", key, objects.language_object(key)) for key in offered]


def _problems(scope: _Scope) -> list[Event]:
    entries = contest_problems(contest=scope.viewer.contest)
    tests = TestCase.objects.filter(problem_id__in=[e.problem_id for e in entries]).values("problem_id")
    counts = dict(tests.annotate(n=Count("id")).values_list("problem_id", "n"))
    return [
        Event(
            scope.config_at,
            "problems",
            e.problem.code,
            objects.problem_object(e, n, counts.get(e.problem_id, 0)),
        )
        for n, e in enumerate(entries, start=1)
    ]


def _organizations(scope: _Scope) -> list[Event]:
    contest = scope.viewer.contest
    return [
        Event(scope.config_at, "organizations", contest.tenant.slug, objects.organization_object(contest))
    ]


def _team_times(scope: _Scope) -> dict[int, dt.datetime]:
    """A team exists from when it joined (the setup, if before), and never later than its first question or
    submission, so no event refers to a team that comes later."""
    contest = scope.viewer.contest
    first = dict(contest.submissions.values_list("user_id").annotate(t=Min("created_at")))
    for uid, when in contest.clarifications.values_list("author_id").annotate(t=Min("created_at")):
        first[uid] = min(when, first.get(uid, when))
    times = {}
    for uid, (_, joined) in scope.teams.items():
        at = max(scope.config_at, joined)
        times[uid] = min(at, first[uid]) if uid in first else at
    return times


def _teams_events(scope: _Scope) -> list[Event]:
    contest, times = scope.viewer.contest, _team_times(scope)
    return [
        Event(times[uid], "teams", str(uid), objects.team_object(contest, uid, name))
        for uid, (name, _) in scope.teams.items()
    ]


def finalized_at(contest: Contest) -> dt.datetime | None:
    """When results became final: the end (or the unfreeze) once every counted submission was judged."""
    during = contest.submissions.filter(kind=Submission.Kind.NORMAL, created_at__lt=contest.end_at)
    if during.exclude(status=Submission.Status.DONE).exists():
        return None
    if contest.freeze_at is not None and contest.unfrozen_at is None:
        return None
    final = max(contest.end_at, contest.unfrozen_at or contest.end_at)
    last = during.aggregate(last=Max("judged_at"))["last"]
    return max(final, last) if last else final


def _state(scope: _Scope) -> list[Event]:
    contest = scope.viewer.contest
    final = finalized_at(contest)
    moments = {contest.start_at, contest.end_at, contest.freeze_at, contest.unfrozen_at, final} - {None}
    return [
        Event(moment, "state", None, objects.state_object(contest, now=moment, finalized_at=final))
        for moment in sorted(moments)
        if moment <= scope.now
    ]


def _submissions_query(scope: _Scope, *, since_field: str | None):
    contest, viewer = scope.viewer.contest, scope.viewer
    rows = contest.submissions.filter(kind=Submission.Kind.NORMAL).defer("source", "compile_output")
    if viewer.role == "team":
        rows = rows.filter(user_id=viewer.team_id)
    if scope.since is not None and since_field is not None:
        rows = rows.filter(**{f"{since_field}__gte": scope.since})
    return [s for s in rows if scope.counted(s)]


def _submissions(scope: _Scope) -> list[Event]:
    return [
        Event(
            s.created_at,
            "submissions",
            str(s.id),
            objects.submission_object(s, code=scope.codes[s.problem_id], start=scope.starts[s.user_id]),
        )
        for s in _submissions_query(scope, since_field="created_at")
    ]


def _judged(scope: _Scope) -> list[tuple[dt.datetime, Submission]]:
    """(when the viewer learns it, submission) for every judgement the viewer may see."""
    contest = scope.viewer.contest
    thawed = (
        scope.viewer.role == "public" and contest.unfrozen_at is not None and contest.freeze_at is not None
    )
    since_all = thawed and scope.since is not None and contest.unfrozen_at >= scope.since
    field_ = None if since_all else "judged_at"  # just unfrozen: every hidden judgement comes out now
    found = []
    for s in _submissions_query(scope, since_field=field_):
        if s.status != Submission.Status.DONE or s.verdict == Verdict.IE or s.judged_at is None:
            continue
        if scope.hidden(s):
            continue
        when = s.judged_at
        if thawed and s.created_at >= contest.freeze_at:
            when = max(when, contest.unfrozen_at)
        found.append((when, s))
    return found


def _judgements(scope: _Scope) -> list[Event]:
    return [
        Event(when, "judgements", str(s.id), objects.judgement_object(s, start=scope.starts[s.user_id]))
        for when, s in _judged(scope)
    ]


def _runs(scope: _Scope) -> list[Event]:
    judged = {s.id: (when, s) for when, s in _judged(scope)}
    results = TestResult.objects.filter(submission_id__in=list(judged)).only(
        "submission_id", "order", "verdict", "time"
    )
    events = []
    for result in results:
        when, s = judged[result.submission_id]
        data = objects.run_object(result, judged_at=s.judged_at, start=scope.starts[s.user_id])
        events.append(Event(when, "runs", data["id"], data))
    return events


def _clarifications(scope: _Scope) -> list[Event]:
    viewer = scope.viewer
    rows = viewer.contest.clarifications.select_related("problem__problem")
    events = []
    for clarification in rows:
        announcement = clarification_is_announcement(clarification)
        mine = viewer.role == "team" and clarification.author_id == viewer.team_id
        public = clarification.is_public and clarification.answered_at is not None
        if not (viewer.is_admin or mine or public):
            continue
        items = objects.clarification_objects(
            clarification,
            contest=viewer.contest,
            announcement=announcement,
            asker_is_team=clarification.author_id in scope.teams,
        )
        events.extend(Event(when, "clarifications", data["id"], data) for when, data in items)
    return events


_PRODUCERS = {
    "contest": _config,
    "judgement-types": _judgement_types,
    "languages": _languages,
    "problems": _problems,
    "organizations": _organizations,
    "teams": _teams_events,
    "state": _state,
    "submissions": _submissions,
    "judgements": _judgements,
    "runs": _runs,
    "clarifications": _clarifications,
}


KEEPALIVE_SECONDS = 120.0
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Pause:
    """feed_follow has nothing to send now: the server waits this long (asleep, not holding a thread)."""

    seconds: float


def feed_follow(
    *,
    viewer: Viewer,
    first: list[Event],
    since_token: str | None = None,
    keepalive: float = KEEPALIVE_SECONDS,
    poll: float = POLL_SECONDS,
    clock=time.monotonic,
):
    """The streaming feed: `first`, then new events as they happen, a bare newline after `keepalive`
    quiet seconds, ending once the results are final. Between polls it yields a Pause."""
    last = since_token
    quiet_since = clock()
    batch = first
    while True:
        for event in batch:
            yield event
            last = event.token
        if batch:
            quiet_since = clock()
        final = finalized_at(viewer.contest)
        if final is not None and final <= timezone.now():
            return  # the final state event was in this batch or an earlier one
        if clock() - quiet_since >= keepalive:
            yield "\n"
            quiet_since = clock()
        yield Pause(poll)
        viewer.contest.refresh_from_db()  # an unfreeze, or an edit, by another process
        batch = feed_events(viewer=viewer, since_token=last)
