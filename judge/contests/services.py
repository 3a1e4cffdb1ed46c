"""Writes about contests: create and edit (staff of the tenant), submissions, personal windows,
unfreeze, rejudge."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import staff_action_note
from accounts.models import Tenant, User
from accounts.selectors import user_is_staff_of
from judge.contests import events
from judge.contests.models import Contest, ContestParticipant, ContestProblem
from judge.contests.selectors import contest_is_participant, contest_problem_for_submission
from judge.submissions.errors import SubmissionRejected
from judge.submissions.models import Submission
from judge.submissions.services import submission_create, submission_rejudge_many
from problems.models import Problem
from sandbox import LANGUAGES

CONTEST_FIELDS = (
    "title",
    "slug",
    "description",
    "format",
    "timing",
    "access",
    "start_at",
    "end_at",
    "window_minutes",
    "freeze_minutes",
    "languages",
)


def _require_staff(user: User, tenant_id: int) -> None:
    if not user_is_staff_of(user=user, tenant_id=tenant_id):
        raise PermissionDenied("Only staff of the course, school or club manage its contests.")


@transaction.atomic
def contest_create(
    *, user: User, tenant: Tenant, problems: list[tuple[str, str]], invitees: list[str], **fields
) -> Contest:
    """`problems`: (label, problem code) in order; `invitees`: usernames (invite-only contests)."""
    _require_staff(user, tenant.id)
    contest = Contest(tenant=tenant, created_by=user, **fields)
    contest.full_clean()
    contest.save()
    _problems_set(contest, problems)
    _invitees_set(contest, invitees)
    staff_action_note(action="contest.create", tenant_id=tenant.id, target=_target(contest), actor=user)
    return contest


def _target(contest: Contest) -> str:
    return f"contest {contest.slug}"


@transaction.atomic
def contest_update(
    *, user: User, contest: Contest, problems: list[tuple[str, str]], invitees: list[str], **fields
) -> Contest:
    _require_staff(user, contest.tenant_id)
    unknown = set(fields) - set(CONTEST_FIELDS)
    if unknown:
        raise ValueError(f"not contest fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.full_clean()
    contest.save(update_fields=list(fields))
    _problems_set(contest, problems)
    _invitees_set(contest, invitees)
    staff_action_note(
        action="contest.update", tenant_id=contest.tenant_id, target=_target(contest), actor=user, **fields
    )
    events.publish_board(contest)  # labels, times or the format may have changed
    return contest


def _problems_set(contest: Contest, entries: list[tuple[str, str]]) -> None:
    if not entries:
        raise ValidationError({"problems": "Add at least one problem."})
    codes = [code for _, code in entries]
    found = {p.code: p for p in Problem.objects.filter(tenant_id=contest.tenant_id, code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({"problems": f"Not problems of {contest.tenant.name}: {', '.join(missing)}."})
    wanted = {found[code].id: (order, label) for order, (label, code) in enumerate(entries)}
    contest.contest_problems.exclude(problem_id__in=wanted).delete()
    kept = list(contest.contest_problems.all())
    for entry in kept:  # two steps, so swapping labels (A <-> B) never breaks the unique constraint
        entry.label = f"~{entry.id}"
    ContestProblem.objects.bulk_update(kept, ["label"])
    for entry in kept:
        entry.order, entry.label = wanted.pop(entry.problem_id)
    ContestProblem.objects.bulk_update(kept, ["order", "label"])
    ContestProblem.objects.bulk_create(
        ContestProblem(contest=contest, problem_id=pid, order=order, label=label)
        for pid, (order, label) in wanted.items()
    )


def _invitees_set(contest: Contest, usernames: list[str]) -> None:
    """Invite-only contests: the participant rows are exactly the invite list."""
    if contest.access != Contest.Access.INVITED:
        return
    users = {u.username.lower(): u for u in User.objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name.lower() not in users]
    if missing:
        raise ValidationError({"invitees": f"No such users: {', '.join(missing)}."})
    contest.participants.exclude(user__in=users.values()).delete()
    ContestParticipant.objects.bulk_create(
        [ContestParticipant(contest=contest, user=user) for user in users.values()], ignore_conflicts=True
    )


def contest_submission_create(
    *, user: User, contest: Contest, problem_code: str, language: str, source: str
) -> Submission:
    """A submission to a contest's problem: the problem must be in the contest and the user may submit to
    it now (contest_problem_for_submission); the boards show it as pending once it is saved."""
    problem = contest_problem_for_submission(user=user, contest=contest, code=problem_code)
    if not contest.allows_language(language):
        names = ", ".join(LANGUAGES[key].name for key in contest.languages if key in LANGUAGES)
        raise SubmissionRejected(f"This contest accepts only {names}.", field="language")
    # No transaction around: submission_create owns its own, and a quota refusal is counted after it.
    submission = submission_create(
        user=user, problem=problem, language=language, source=source, contest=contest
    )
    events.publish_contest_submission(submission)
    return submission


@transaction.atomic
def contest_window_start(
    *, user: User, contest: Contest, now: dt.datetime | None = None
) -> ContestParticipant:
    """A participant starts their personal window; it ends after `window_minutes` or at the contest end."""
    now = now or timezone.now()
    if not contest.is_window:
        raise ValidationError("This contest has no personal windows.")
    if not contest_is_participant(user=user, contest=contest):
        raise PermissionDenied("You are not a participant of this contest.")
    if not contest.start_at <= now < contest.end_at:
        raise ValidationError("Windows can be started only while the contest is open.")
    participant, _ = ContestParticipant.objects.select_for_update().get_or_create(contest=contest, user=user)
    if participant.started_at is not None:
        raise ValidationError("You have already started this contest.")
    participant.started_at = now
    participant.save(update_fields=["started_at"])
    events.publish_board(contest)
    return participant


@transaction.atomic
def contest_unfreeze(*, user: User, contest: Contest, now: dt.datetime | None = None) -> Contest:
    """Reveal the final board to participants. Boards stay frozen after the end until staff do this."""
    _require_staff(user, contest.tenant_id)
    now = now or timezone.now()
    if now < contest.end_at:
        raise ValidationError("The board can be unfrozen only after the contest ends.")
    contest.unfrozen_at = now
    contest.save(update_fields=["unfrozen_at"])
    staff_action_note(
        action="contest.unfreeze", tenant_id=contest.tenant_id, target=_target(contest), actor=user
    )
    events.publish_board(contest)
    return contest


@transaction.atomic
def contest_rejudge(*, user: User, contest: Contest) -> int:
    """Rejudge every finished submission of the contest at low priority; boards follow the new verdicts."""
    _require_staff(user, contest.tenant_id)
    count = submission_rejudge_many(submissions=contest.submissions.all())
    staff_action_note(
        action="contest.rejudge",
        tenant_id=contest.tenant_id,
        target=_target(contest),
        actor=user,
        count=count,
    )
    events.publish_board(contest)
    return count
