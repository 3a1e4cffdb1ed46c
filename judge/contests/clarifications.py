"""Questions during a contest: participants ask, staff answer the asker alone or everyone. Staff also post
announcements: public clarifications they answer themselves, the question being the title."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from judge.contests import events
from judge.contests.models import Clarification, Contest
from judge.contests.selectors import clarification_list_for_user, contest_is_participant, contest_is_staff

QUESTION_LIMIT = 2000
ANSWER_LIMIT = 4000


@transaction.atomic
def clarification_ask(*, user: User, contest: Contest, label: str = "", question: str) -> Clarification:
    """`label`: the problem asked about; empty for a general question."""
    if not contest_is_participant(user=user, contest=contest) or timezone.now() < contest.start_at:
        raise PermissionDenied("Only participants can ask, once the contest has started.")
    question = question.strip()
    if not question or len(question) > QUESTION_LIMIT:
        raise ValidationError({"question": f"Write a question of at most {QUESTION_LIMIT} characters."})
    clarification = Clarification.objects.create(
        contest=contest, author=user, problem=_problem_for_label(contest, label), question=question
    )
    events.publish_clarification_asked(clarification)
    return clarification


def _problem_for_label(contest: Contest, label: str):
    if not label:
        return None
    problem = contest.contest_problems.filter(label=label).first()
    if problem is None:
        raise ValidationError({"problem": f"The contest has no problem {label}."})
    return problem


@transaction.atomic
def clarification_answer(
    *, user: User, clarification: Clarification, answer: str, public: bool
) -> Clarification:
    """Answer (or change the answer); `public` shows question and answer to everyone, without the asker."""
    if not contest_is_staff(user=user, contest=clarification.contest):
        raise PermissionDenied("Only staff of the contest answer questions.")
    answer = answer.strip()
    if not answer or len(answer) > ANSWER_LIMIT:
        raise ValidationError({"answer": f"Write an answer of at most {ANSWER_LIMIT} characters."})
    clarification.answer = answer
    clarification.is_public = public
    clarification.answered_by = user
    clarification.answered_at = timezone.now()
    clarification.save(update_fields=["answer", "is_public", "answered_by", "answered_at"])
    events.publish_clarification_answered(clarification)
    return clarification


def clarification_is_announcement(clarification: Clarification) -> bool:
    """Participants never answer, so a public clarification its own author answered was posted by staff."""
    return clarification.is_public and clarification.author_id == clarification.answered_by_id


def clarification_list_for_page(*, user: User, contest: Contest) -> list[Clarification]:
    """What clarification_list_for_user gives, each marked `is_announcement`."""
    clarifications = list(clarification_list_for_user(user=user, contest=contest))
    for clarification in clarifications:
        clarification.is_announcement = clarification_is_announcement(clarification)
    return clarifications


@transaction.atomic
def clarification_announce(
    *, user: User, contest: Contest, label: str = "", title: str, text: str
) -> Clarification:
    """Tell everyone in the contest, without a question; `label`: the problem it is about, or empty."""
    if not contest_is_staff(user=user, contest=contest):
        raise PermissionDenied("Only staff of the contest post announcements.")
    title, text = title.strip(), text.strip()
    if not title or len(title) > QUESTION_LIMIT:
        raise ValidationError({"question": f"Write a title of at most {QUESTION_LIMIT} characters."})
    if not text or len(text) > ANSWER_LIMIT:
        raise ValidationError({"answer": f"Write an announcement of at most {ANSWER_LIMIT} characters."})
    problem = _problem_for_label(contest, label)
    clarification = Clarification.objects.create(
        contest=contest,
        author=user,
        problem=problem,
        question=title,
        answer=text,
        is_public=True,
        answered_by=user,
        answered_at=timezone.now(),
    )
    events.publish_clarification_announced(clarification)
    return clarification
