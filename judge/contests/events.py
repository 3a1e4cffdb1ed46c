"""Live contest updates, published after the transaction commits (like judge/events.py).

Groups of contest <id>:
    contest-<id>-board-live     the scoreboard as it is (staff)
    contest-<id>-board-public   the participants' scoreboard, frozen while the contest is
    contest-<id>-staff          new questions (staff)
    contest-<id>-all            answers given to everyone, announcements (everyone who can see the contest)
    contest-<id>-user-<uid>     answers given to one asker
Each board group gets its own payload, computed once per change, so a participant's socket never
carries what the freeze hides.
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from judge.contests.models import Clarification, Contest
from judge.contests.scoreboard import Board
from judge.contests.selectors import contest_scoreboard
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


def board_payload(board: Board) -> dict:
    """The rendered table (the page swaps it in) and the numbers behind it."""
    rows = [
        {
            "rank": row.rank,
            "user_id": row.user_id,
            "name": row.name,
            "solved": row.solved,
            "penalty": row.penalty,
            "score": row.score,
            "cells": {
                cell.label: {
                    "state": cell.state,
                    "tries": cell.tries,
                    "pending": cell.pending,
                    "minute": cell.minute,
                    "score": cell.score,
                    "first": cell.first_solve,
                }
                for cell in row.cells
            },
        }
        for row in board.rows
    ]
    html = render_to_string("judge/contests/_board.html", {"board": board})
    return {"frozen": board.frozen, "format": board.format, "rows": rows, "html": html}


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
    live = board_payload(contest_scoreboard(contest=contest, live=True))
    group_send_safe(board_group(contest_id, live=True), {"type": "scoreboard.update", "board": live})
    # Participants see the same board unless it is frozen: compute and render a second one only then.
    frozen = contest.is_frozen(now=timezone.now())
    public = board_payload(contest_scoreboard(contest=contest, live=False)) if frozen else live
    group_send_safe(board_group(contest_id, live=False), {"type": "scoreboard.update", "board": public})


def publish_board(contest: Contest) -> None:
    transaction.on_commit(lambda: _publish_boards(contest.id))


def publish_contest_submission(submission: Submission) -> None:
    """A contest submission was made or judged: both boards are recomputed once the change commits."""
    if submission.contest_id is not None:
        contest_id = submission.contest_id
        transaction.on_commit(lambda: _publish_boards(contest_id))


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
