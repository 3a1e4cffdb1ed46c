"""Reads about contests: who may see what, when, and the scoreboard each viewer gets."""

import datetime as dt
import enum
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import tenant_ids_for_member, tenant_ids_for_staff, user_is_staff_of
from judge.contests.models import Clarification, Contest, ContestParticipant, ContestProblem
from judge.contests.scoreboard import Attempt, Board, Entrant, scoreboard_build
from judge.submissions.errors import SubmissionRejected
from judge.submissions.models import Submission, Verdict
from problems.models import Problem

Window = tuple[dt.datetime, dt.datetime]


class Phase(enum.StrEnum):
    """Where the contest stands for one user."""

    UPCOMING = "upcoming"  # not started yet
    READY = "ready"  # personal windows: open, but this participant has not started
    RUNNING = "running"  # this participant's time is running (or: staff watching a running contest)
    WINDOW_OVER = "window_over"  # personal windows: theirs is over, the contest is not
    PRACTICE = "practice"  # the contest is over: problems open, nothing counts any more


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def contest_is_staff(*, user: User, contest: Contest) -> bool:
    return user_is_staff_of(user=user, tenant_id=contest.tenant_id)


def contest_participant_get(*, user: User, contest: Contest) -> ContestParticipant | None:
    if not user.is_authenticated:
        return None
    return ContestParticipant.objects.filter(contest=contest, user=user).first()


def _student_ids(contest: Contest, user_ids) -> set[int]:
    students = Membership.objects.filter(
        tenant_id=contest.tenant_id, role=Membership.Role.STUDENT, user_id__in=user_ids
    )
    return set(students.values_list("user_id", flat=True))


def contest_is_participant(*, user: User, contest: Contest) -> bool:
    """Invited users of an invite-only contest; otherwise the tenant's students (staff only watch)."""
    if not user.is_authenticated:
        return False
    if contest.access == Contest.Access.INVITED:
        return ContestParticipant.objects.filter(contest=contest, user=user).exists()
    return bool(_student_ids(contest, [user.id]))


def _can_see(user: User, contest: Contest, now: dt.datetime) -> bool:
    if not user.is_authenticated:
        return False
    if contest_is_staff(user=user, contest=contest) or contest_is_participant(user=user, contest=contest):
        return True
    return now >= contest.end_at and contest.tenant_id in tenant_ids_for_member(user=user)


def contest_get_for_user(*, user: User, slug: str, now: dt.datetime | None = None) -> Contest:
    """The one way to reach a contest: staff of its tenant, its participants, and once it is over
    (practice) every member of the tenant. Anyone else gets a 404."""
    contest = Contest.objects.select_related("tenant").filter(slug=slug).first()
    if contest is None or not _can_see(user, contest, _now(now)):
        raise Http404("No such contest")
    return contest


def contest_list_for_user(*, user: User, now: dt.datetime | None = None) -> dict[str, list[Contest]]:
    """Visible contests by state: upcoming (soonest first), running, past (latest first)."""
    now = _now(now)
    if not user.is_authenticated:
        return {"running": [], "upcoming": [], "past": []}
    members = tenant_ids_for_member(user=user)
    visible = (
        Q(tenant_id__in=tenant_ids_for_staff(user=user))
        | Q(tenant_id__in=members, access=Contest.Access.TENANT)
        | Q(participants__user=user)
        | Q(tenant_id__in=members, end_at__lte=now)
    )
    contests = list(Contest.objects.filter(visible).select_related("tenant").distinct())
    if contests and not user.is_superuser:
        contests = [c for c in contests if _can_see(user, c, now)]  # tenant access: students and staff only
    return {
        "running": [c for c in contests if c.start_at <= now < c.end_at],
        "upcoming": sorted((c for c in contests if now < c.start_at), key=lambda c: c.start_at),
        "past": [c for c in contests if c.end_at <= now],
    }


def contest_window(*, contest: Contest, participant: ContestParticipant | None) -> Window | None:
    """When this participant's attempts count; None for a personal window not started yet."""
    if not contest.is_window:
        return contest.start_at, contest.end_at
    if participant is None or participant.started_at is None:
        return None
    end = participant.started_at + dt.timedelta(minutes=contest.window_minutes or 0)
    return participant.started_at, min(end, contest.end_at)


def contest_phase(*, user: User, contest: Contest, now: dt.datetime | None = None) -> Phase:
    now = _now(now)
    if now < contest.start_at:
        return Phase.UPCOMING
    if now >= contest.end_at:
        return Phase.PRACTICE
    if not contest.is_window or not contest_is_participant(user=user, contest=contest):
        return Phase.RUNNING
    window = contest_window(contest=contest, participant=contest_participant_get(user=user, contest=contest))
    if window is None:
        return Phase.READY
    return Phase.RUNNING if now < window[1] else Phase.WINDOW_OVER


@dataclass(frozen=True)
class Clock:
    """What the countdown on contest pages shows."""

    phase: Phase
    label: str
    until: dt.datetime | None


def contest_clock(*, user: User, contest: Contest, now: dt.datetime | None = None) -> Clock:
    phase = contest_phase(user=user, contest=contest, now=now)
    if phase == Phase.UPCOMING:
        return Clock(phase, "Starts in", contest.start_at)
    if phase == Phase.RUNNING and contest.is_window and contest_is_participant(user=user, contest=contest):
        participant = contest_participant_get(user=user, contest=contest)
        return Clock(phase, "Your time ends in", contest_window(contest=contest, participant=participant)[1])
    if phase in (Phase.RUNNING, Phase.READY, Phase.WINDOW_OVER):
        return Clock(phase, "Ends in", contest.end_at)
    return Clock(phase, "Finished", None)


def contest_problems(*, contest: Contest) -> list[ContestProblem]:
    return list(contest.contest_problems.select_related("problem").order_by("order", "label"))


def contest_problems_open(*, user: User, contest: Contest, now: dt.datetime | None = None) -> bool:
    if contest_is_staff(user=user, contest=contest):
        return True
    return contest_phase(user=user, contest=contest, now=now) in (
        Phase.RUNNING,
        Phase.WINDOW_OVER,
        Phase.PRACTICE,
    )


def contest_problem_get(*, user: User, contest: Contest, label: str) -> ContestProblem:
    """A problem through its contest: a 404 until this user's contest has started."""
    if not contest_problems_open(user=user, contest=contest):
        raise Http404("No such problem")
    entry = contest.contest_problems.select_related("problem").filter(label=label).first()
    if entry is None:
        raise Http404("No such problem")
    return entry


def contest_submit_refusal(*, user: User, contest: Contest, now: dt.datetime | None = None) -> str:
    """Why `user` may not submit to `contest` now; "" when they may."""
    if contest_is_staff(user=user, contest=contest):
        return ""  # staff may try the problems; they are never on the board
    phase = contest_phase(user=user, contest=contest, now=now)
    if phase == Phase.PRACTICE:
        return ""
    if not contest_is_participant(user=user, contest=contest):
        return "You are not a participant of this contest."
    return _CLOSED.get(phase, "")


_CLOSED = {
    Phase.UPCOMING: "The contest has not started yet.",
    Phase.READY: "Start your contest window first.",
    Phase.WINDOW_OVER: "Your contest window is over; practice opens when the contest ends.",
}


def contest_problem_for_submission(
    *, user: User, contest: Contest, code: str, now: dt.datetime | None = None
) -> Problem:
    """The problem to judge, if `user` may submit it to `contest` now; else SubmissionRejected."""
    entry = contest.contest_problems.select_related("problem").filter(problem__code=code).first()
    if entry is None:
        raise SubmissionRejected("This problem is not part of the contest.", status=404)
    refusal = contest_submit_refusal(user=user, contest=contest, now=now)
    if refusal:
        raise SubmissionRejected(refusal, status=403)
    return entry.problem


def _entrant_windows(
    contest: Contest, user_ids: list[int] | None = None
) -> dict[int, tuple[Entrant, Window | None]]:
    """Who is on the board and when their attempts count; `user_ids`: only these users."""
    participants = contest.participants.select_related("user")
    during = contest.submissions.filter(created_at__gte=contest.start_at, created_at__lt=contest.end_at)
    if user_ids is not None:
        participants, during = participants.filter(user_id__in=user_ids), during.filter(user_id__in=user_ids)
    rows = {p.user_id: p for p in participants}
    submitters = set(during.values_list("user_id", flat=True))
    if contest.access == Contest.Access.INVITED:
        ids = set(rows)
    else:
        ids = _student_ids(contest, submitters | set(rows))
    users = {u.id: u for u in User.objects.filter(id__in=ids)}
    return {
        uid: (
            Entrant(uid, users[uid].display_name),
            contest_window(contest=contest, participant=rows.get(uid)),
        )
        for uid in ids
        if uid in users
    }


def _attempts(contest: Contest, windows: dict[int, Window | None]) -> list[Attempt]:
    labels = dict(contest.contest_problems.values_list("problem_id", "label"))
    rows = contest.submissions.filter(kind=Submission.Kind.NORMAL, user_id__in=list(windows)).values(
        "id", "user_id", "problem_id", "created_at", "status", "verdict", "score"
    )
    attempts = []
    for row in rows:
        window = windows.get(row["user_id"])
        if (
            row["problem_id"] not in labels
            or window is None
            or not window[0] <= row["created_at"] < window[1]
        ):
            continue  # practice, or a problem no longer in the contest
        done = row["status"] == Submission.Status.DONE
        attempts.append(
            Attempt(
                id=row["id"],
                user_id=row["user_id"],
                label=labels[row["problem_id"]],
                submitted_at=row["created_at"],
                elapsed=(row["created_at"] - window[0]).total_seconds(),
                verdict=row["verdict"] if done else "",
                score=row["score"] if done else 0.0,
            )
        )
    return attempts


def contest_scoreboard(*, contest: Contest, live: bool, now: dt.datetime | None = None) -> Board:
    """`live`: everything (staff). Otherwise the participants' view, frozen while the contest is."""
    entrants = _entrant_windows(contest)
    hidden_from = None if live or not contest.is_frozen(now=_now(now)) else contest.freeze_at
    entries = contest_problems(contest=contest)
    return scoreboard_build(
        format=contest.format,
        labels=[entry.label for entry in entries],
        titles=[entry.problem.title for entry in entries],
        entrants=sorted((e for e, _ in entrants.values()), key=lambda e: e.user_id),
        attempts=_attempts(contest, {uid: window for uid, (_, window) in entrants.items()}),
        hidden_from=hidden_from,
    )


def contest_entrant_attempts(*, contest: Contest, user_id: int) -> tuple[Entrant | None, list[Attempt]]:
    """One user's place on the board: their entrant (None: not on it) and every attempt that counts."""
    found = _entrant_windows(contest, [user_id]).get(user_id)
    if found is None:
        return None, []
    entrant, window = found
    return entrant, _attempts(contest, {user_id: window})


def contest_submissions_for_user(
    *, user: User, contest: Contest, own: bool = False, problem_id: int | None = None
) -> list[Submission]:
    """Staff: every submission of the contest (unless `own`); others: only their own. Each gets `.label`
    and `.counted` (False: practice, or by staff)."""
    submissions = contest.submissions.filter(kind=Submission.Kind.NORMAL).select_related("problem", "user")
    if own or not contest_is_staff(user=user, contest=contest):
        submissions = submissions.filter(user=user)
    if problem_id is not None:
        submissions = submissions.filter(problem_id=problem_id)
    submissions = list(submissions.defer("source"))
    entrants = _entrant_windows(contest)
    labels = dict(contest.contest_problems.values_list("problem_id", "label"))
    for submission in submissions:
        window = entrants.get(submission.user_id, (None, None))[1]
        submission.label = labels.get(submission.problem_id, "")
        submission.counted = window is not None and window[0] <= submission.created_at < window[1]
    return submissions


def contest_problem_marks(*, user: User, contest: Contest) -> dict[int, dict]:
    """problem id -> this user's attempts, whether solved, and best score (practice included)."""
    marks: dict[int, dict] = {}
    rows = contest.submissions.filter(user_id=user.id, status=Submission.Status.DONE)
    for problem_id, verdict, score in rows.values_list("problem_id", "verdict", "score"):
        mark = marks.setdefault(problem_id, {"attempts": 0, "solved": False, "best": 0.0})
        mark["attempts"] += 1
        mark["solved"] |= verdict == Verdict.AC
        mark["best"] = max(mark["best"], score)
    return marks


def clarification_list_for_user(*, user: User, contest: Contest) -> QuerySet[Clarification]:
    """Staff see every question; participants their own and the ones answered to everyone."""
    clarifications = contest.clarifications.select_related("problem", "author")
    if contest_is_staff(user=user, contest=contest):  # open questions first
        return clarifications.order_by(F("answered_at").desc(nulls_first=True), "-created_at")
    return clarifications.filter(Q(author_id=user.id) | Q(is_public=True, answered_at__isnull=False))


def clarification_get_for_staff(*, user: User, contest: Contest, clarification_id: int) -> Clarification:
    if not contest_is_staff(user=user, contest=contest):
        raise Http404("No such clarification")
    clarification = contest.clarifications.filter(pk=clarification_id).first()
    if clarification is None:
        raise Http404("No such clarification")
    return clarification


def clarification_unanswered_count(*, contest: Contest) -> int:
    return contest.clarifications.filter(answered_at__isnull=True).count()


def contest_page_context(*, user: User, contest: Contest, tab: str) -> dict:
    """What every contest page shows around its content: header, clock, tabs (judge/contests/_head.html)."""
    is_staff = contest_is_staff(user=user, contest=contest)
    return {
        "contest": contest,
        "tab": tab,
        "is_staff": is_staff,
        "is_participant": contest_is_participant(user=user, contest=contest),
        "clock": contest_clock(user=user, contest=contest),
        "now": timezone.now(),
        "unanswered": clarification_unanswered_count(contest=contest) if is_staff else 0,
    }
