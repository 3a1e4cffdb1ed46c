"""Scoreboard edges left open by test_scoreboard.py: solved cells are final, pending counts, rounding."""

import datetime as dt

from judge.contests.models import Contest
from judge.contests.scoreboard import Attempt, Entrant, scoreboard_build
from judge.submissions.models import Verdict

START = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)


def attempt(id: int, minute: int, verdict: str = "") -> Attempt:
    at = START + dt.timedelta(minutes=minute)
    return Attempt(id=id, user_id=1, label="A", submitted_at=at, elapsed=minute * 60.0, verdict=verdict)


def cell(attempts: list[Attempt]):
    board = scoreboard_build(
        format=Contest.Format.ICPC, labels=["A"], entrants=[Entrant(1, "ann")], attempts=attempts
    )
    return board.rows[0].cells[0]


def test_a_solved_cell_drops_the_pending_count_of_earlier_attempts():
    solved = cell([attempt(1, 5), attempt(2, 7, Verdict.WA), attempt(3, 9, Verdict.AC)])

    assert (solved.solved, solved.pending, solved.tries, solved.minute) == (True, 0, 1, 9)
    assert solved.state == "solved"


def test_an_unsolved_cell_keeps_its_pending_count():
    pending = cell([attempt(1, 5), attempt(2, 7, Verdict.WA)])

    assert (pending.solved, pending.pending, pending.tries, pending.state) == (False, 1, 1, "pending")


def board(format: str, attempts: list[Attempt], labels=("A",), hidden_from=None):
    return scoreboard_build(
        format=format,
        labels=list(labels),
        entrants=[Entrant(1, "ann")],
        attempts=attempts,
        hidden_from=hidden_from,
    )


def test_cells_and_board_keep_their_label_and_format():
    for format in (Contest.Format.ICPC, Contest.Format.IOI):
        built = board(format, [attempt(1, 5, Verdict.WA)])
        assert (built.format, built.rows[0].cells[0].label) == (format, "A")


def test_an_attempt_at_the_freeze_instant_is_hidden():
    at = START + dt.timedelta(minutes=9)
    hidden = board(Contest.Format.ICPC, [attempt(1, 9, Verdict.AC)], hidden_from=at).rows[0].cells[0]
    assert (hidden.solved, hidden.pending) == (False, 1)


def test_every_pending_attempt_counts():
    icpc = board(Contest.Format.ICPC, [attempt(1, 5), attempt(2, 6)]).rows[0].cells[0]
    ioi = board(Contest.Format.IOI, [attempt(1, 5), attempt(2, 6)]).rows[0].cells[0]
    assert (icpc.pending, ioi.pending) == (2, 2)


def test_ioi_cell_counts_every_judged_attempt_after_a_pending_one():
    attempts = [attempt(1, 5), _scored(2, 6, 0.5), _scored(3, 7, 0.25)]
    cell = board(Contest.Format.IOI, attempts).rows[0].cells[0]
    assert (cell.pending, cell.tries, cell.score) == (1, 2, 0.5)


def test_ioi_row_score_is_rounded_to_six_places_not_to_an_integer():
    attempts = [_scored(1, 5, 1 / 3, "A"), _scored(2, 6, 0.25, "B")]
    row = board(Contest.Format.IOI, attempts, labels=("A", "B")).rows[0]
    assert row.score == 0.583333


def test_first_solvers_are_found_after_an_unsolved_problem():
    built = board(Contest.Format.ICPC, [_scored(1, 5, 0, "B", Verdict.AC)], labels=("A", "B"))
    assert built.first_solvers == {"B": [1]}
    assert built.rows[0].cells[1].first_solve


def _scored(id: int, minute: int, score: float, label: str = "A", verdict: str = Verdict.WA) -> Attempt:
    at = START + dt.timedelta(minutes=minute)
    return Attempt(
        id=id, user_id=1, label=label, submitted_at=at, elapsed=minute * 60.0, verdict=verdict, score=score
    )


def test_ties_are_listed_by_name_ignoring_case():
    entrants = [Entrant(1, "aab"), Entrant(2, "A_b"), Entrant(3, "Aaa")]
    built = scoreboard_build(format=Contest.Format.ICPC, labels=["A"], entrants=entrants, attempts=[])
    assert [(r.name, r.rank) for r in built.rows] == [("A_b", 1), ("Aaa", 1), ("aab", 1)]
