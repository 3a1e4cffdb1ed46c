"""Live contest updates, published after the transaction commits (like judge/events.py).

Groups of contest <id>:
    contest-<id>-board-live     the scoreboard as it is (staff)
    contest-<id>-board-public   the participants' scoreboard, frozen while the contest is
    contest-<id>-staff          new questions (staff)
    contest-<id>-all            answers given to everyone, announcements (everyone who can see the contest)
    contest-<id>-user-<uid>     answers given to one asker
Each board group gets its own payload, computed once per change, so a participant's socket never
carries what the freeze hides. A verdict sends only the rows it changed (judge.contests.boards).
"""

from django.db import transaction
from django.utils import timezone

from judge.contests import boards
from judge.contests.models import Clarification, Contest
from judge.sockets.events import group_send_safe
from judge.submissions.models import Submission


def board_group(contest_id: int, *, live: bool) -> str:
    return f"contest-{contest_id}-board-{'live' if live else 'public'}"


def staff_group(contest_id: int) -> str:
    return f"contest-{contest_id}-staff"


def everyone_group(contest_id: int) -> str:
    return f"contest-{contest_id}-all"


def asker_group(contest_id: int, user_id: int) -> str:
    return f"contest-{contest_id}-user-{user_id}"


def clarification_payload(
    clarification: Clarification, *, for_staff: bool, announcement: bool = False
) -> dict:
    """`announcement`: staff posted it to everyone without a question; `question` is then its title."""
    payload = {
        "id": clarification.id,
        "problem": clarification.problem.label if clarification.problem_id else "",
        "question": clarification.question,
        "answer": clarification.answer,
        "is_public": clarification.is_public,
        "answered": clarification.is_answered,
        "announcement": announcement,
    }
    if for_staff:
        payload["author"] = clarification.author.display_name
    return payload


def _publish_boards(contest_id: int) -> None:
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return
    boards.board_forget(contest_id=contest_id)
    live = boards.board_payload(boards.board_get(contest=contest, live=True))
    group_send_safe(board_group(contest_id, live=True), {"type": "scoreboard.update", "board": live})
    # Participants see the same board unless it is frozen: compute and render a second one only then.
    frozen = contest.is_frozen(now=timezone.now())
    public = boards.board_payload(boards.board_get(contest=contest, live=False)) if frozen else live
    group_send_safe(board_group(contest_id, live=False), {"type": "scoreboard.update", "board": public})


def _publish_rows(contest_id: int, user_id: int) -> None:
    """One team's row changed: each board group gets only the rows that changed on its board."""
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return
    changes = boards.board_row_update(contest=contest, user_id=user_id)
    live = changes.get(boards.LIVE)
    public = changes.get(boards.FROZEN) if contest.is_frozen(now=timezone.now()) else live
    for is_live, change in ((True, live), (False, public)):
        if change:
            group_send_safe(
                board_group(contest_id, live=is_live), {"type": "scoreboard.rows", "change": change}
            )


def publish_board(contest: Contest) -> None:
    """A change that may touch every row: both boards are computed again and sent whole."""
    transaction.on_commit(lambda: _publish_boards(contest.id))


def publish_contest_submission(submission: Submission) -> None:
    """A contest submission was made or judged: its author's row is updated once the change commits."""
    if submission.contest_id is not None:
        contest_id, user_id = submission.contest_id, submission.user_id
        transaction.on_commit(lambda: _publish_rows(contest_id, user_id))


def publish_clarification_asked(clarification: Clarification) -> None:
    message = {
        "type": "clarification.notify",
        "event": "asked",
        "clarification": clarification_payload(clarification, for_staff=True),
    }
    transaction.on_commit(lambda: group_send_safe(staff_group(clarification.contest_id), message))


def publish_clarification_answered(clarification: Clarification) -> None:
    contest_id = clarification.contest_id
    to_staff = {
        "type": "clarification.notify",
        "event": "answered",
        "clarification": clarification_payload(clarification, for_staff=True),
    }
    to_others = {**to_staff, "clarification": clarification_payload(clarification, for_staff=False)}
    if clarification.is_public:
        transaction.on_commit(lambda: group_send_safe(everyone_group(contest_id), to_others))
    else:
        transaction.on_commit(
            lambda: (
                group_send_safe(asker_group(contest_id, clarification.author_id), to_others),
                group_send_safe(staff_group(contest_id), to_staff),
            )
        )


def publish_clarification_announced(clarification: Clarification) -> None:
    message = {
        "type": "clarification.notify",
        "event": "announced",
        "clarification": clarification_payload(clarification, for_staff=False, announcement=True),
    }
    transaction.on_commit(lambda: group_send_safe(everyone_group(clarification.contest_id), message))
