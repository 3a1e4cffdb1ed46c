"""Scoreboard rules, as pure functions: ICPC penalties and ranks, IOI best scores, the freeze."""

import datetime as dt

from judge.contests.models import Contest
from judge.contests.scoreboard import Attempt, Entrant, scoreboard_build
from judge.submissions.models import Verdict

START = dt.datetime(2030, 1, 1, 10, 0, tzinfo=dt.UTC)
ICPC, IOI = Contest.Format.ICPC, Contest.Format.IOI
ANN, BOB, CY = Entrant(1, "Ann"), Entrant(2, "Bob"), Entrant(3, "Cy")

_ids = iter(range(1, 10_000))


def at(minutes: float, user: Entrant, label: str, verdict: str = Verdict.AC, score: float = 0.0) -> Attempt:
    return Attempt(
        id=next(_ids),
        user_id=user.user_id,
        label=label,
        submitted_at=START + dt.timedelta(minutes=minutes),
        elapsed=minutes * 60,
        verdict=verdict,
        score=score,
    )


def icpc(attempts, entrants=(ANN, BOB, CY), labels=("A", "B"), hidden_from=None):
    return scoreboard_build(
        format=ICPC, labels=list(labels), entrants=entrants, attempts=attempts, hidden_from=hidden_from
    )


def row_of(board, entrant):
    return next(r for r in board.rows if r.user_id == entrant.user_id)


def cell(board, entrant, label):
    row = row_of(board, entrant)
    return row.cells[board.labels.index(label)]


def test_icpc_penalty_is_minutes_to_first_ac_plus_20_per_earlier_wrong_try():
    board = icpc(
        [
            at(5, ANN, "A", Verdict.WA),
            at(12, ANN, "A", Verdict.TLE),
            at(30.9, ANN, "A", Verdict.AC),
            at(40, ANN, "A", Verdict.WA),  # after the AC: ignored
            at(50, ANN, "B", Verdict.AC),
        ]
    )

    ann = row_of(board, ANN)
    assert (ann.solved, ann.penalty) == (2, (30 + 2 * 20) + 50)
    a = cell(board, ANN, "A")
    assert (a.solved, a.tries, a.minute, a.state) == (True, 2, 30, "solved")


def test_compile_errors_and_internal_errors_are_not_tries():
    board = icpc([at(1, ANN, "A", Verdict.CE), at(2, ANN, "A", Verdict.IE), at(3, ANN, "A", Verdict.AC)])

    assert cell(board, ANN, "A").tries == 0
    assert row_of(board, ANN).penalty == 3


def test_unsolved_wrong_tries_cost_nothing_but_show():
    board = icpc([at(1, BOB, "A", Verdict.WA), at(2, BOB, "A", Verdict.RE), at(3, BOB, "A", Verdict.CE)])

    bob = row_of(board, BOB)
    assert (bob.solved, bob.penalty) == (0, 0)
    assert (cell(board, BOB, "A").tries, cell(board, BOB, "A").state) == (2, "failed")


def test_icpc_ranks_by_solved_then_penalty_and_ties_share_a_rank():
    board = icpc(
        [
            at(10, ANN, "A"),
            at(20, ANN, "B"),  # 2 solved, 30
            at(5, BOB, "A"),  # 1 solved, 5
            at(5, CY, "A"),  # 1 solved, 5: tied with Bob
        ],
        entrants=(ANN, BOB, CY, Entrant(4, "Dee")),
    )

    assert [(r.name, r.rank) for r in board.rows] == [("Ann", 1), ("Bob", 2), ("Cy", 2), ("Dee", 4)]


def test_fewer_penalty_minutes_win_among_equal_solves():
    board = icpc([at(30, ANN, "A"), at(1, BOB, "A", Verdict.WA), at(15, BOB, "A")])

    assert row_of(board, ANN).penalty == 30
    assert row_of(board, BOB).penalty == 35
    assert (row_of(board, ANN).rank, row_of(board, BOB).rank) == (1, 2)


def test_first_solve_goes_to_the_earliest_ac_of_each_problem():
    board = icpc(
        [at(9, ANN, "A"), at(4, BOB, "A"), at(4, CY, "A"), at(20, ANN, "B"), at(3, CY, "B", Verdict.WA)]
    )

    assert board.first_solvers == {"A": [BOB.user_id, CY.user_id], "B": [ANN.user_id]}
    assert not cell(board, ANN, "A").first_solve
    assert cell(board, BOB, "A").first_solve and cell(board, CY, "A").first_solve
    assert cell(board, ANN, "B").first_solve


def test_first_solve_with_personal_windows_uses_time_since_each_start():
    late_start = Attempt(
        id=1,
        user_id=BOB.user_id,
        label="A",
        submitted_at=START + dt.timedelta(hours=2),
        elapsed=60,
        verdict=Verdict.AC,
    )
    board = icpc([at(10, ANN, "A"), late_start])

    assert board.first_solvers["A"] == [BOB.user_id]
    assert cell(board, BOB, "A").minute == 1


def test_not_yet_judged_attempts_are_pending():
    pending = Attempt(id=99, user_id=ANN.user_id, label="B", submitted_at=START, elapsed=0, verdict="")

    board = icpc([at(1, ANN, "B", Verdict.WA), pending])

    b = cell(board, ANN, "B")
    assert (b.state, b.tries, b.pending) == ("pending", 1, 1)


def test_ioi_sums_the_best_score_per_problem_and_ties_share_a_rank():
    board = scoreboard_build(
        format=IOI,
        labels=["A", "B"],
        entrants=[ANN, BOB, CY],
        attempts=[
            at(1, ANN, "A", Verdict.WA, score=30),
            at(2, ANN, "A", Verdict.WA, score=70),
            at(3, ANN, "A", Verdict.WA, score=40),  # worse later: the best stays
            at(4, ANN, "B", Verdict.AC, score=20),
            at(1, BOB, "A", Verdict.AC, score=90),
            at(1, CY, "B", Verdict.CE, score=0),
        ],
    )

    assert [(r.name, r.score, r.rank) for r in board.rows] == [("Ann", 90, 1), ("Bob", 90, 1), ("Cy", 0, 3)]
    assert cell(board, ANN, "A").score == 70
    assert cell(board, CY, "A").score is None
    assert cell(board, CY, "B").state == "failed"


def test_freeze_hides_later_attempts_from_participants_as_pending():
    attempts = [
        at(10, ANN, "A", Verdict.WA),
        at(50, ANN, "A", Verdict.AC),  # after the freeze at minute 45
        at(20, BOB, "A", Verdict.AC),
        at(46, BOB, "B", Verdict.WA),
    ]
    freeze = START + dt.timedelta(minutes=45)

    frozen = icpc(attempts, hidden_from=freeze)
    live = icpc(attempts)

    assert frozen.frozen and not live.frozen
    ann_frozen = cell(frozen, ANN, "A")
    assert (ann_frozen.solved, ann_frozen.tries, ann_frozen.pending, ann_frozen.state) == (
        False,
        1,
        1,
        "pending",
    )
    assert (row_of(frozen, ANN).solved, row_of(frozen, ANN).rank) == (0, 2)
    assert cell(frozen, BOB, "B").state == "pending"
    assert cell(frozen, BOB, "B").tries == 0
    assert cell(live, ANN, "A").solved and row_of(live, ANN).penalty == 50 + 20
    assert [r.name for r in live.rows][0] == "Bob"  # 1 solved at 20 beats 1 solved at 70
    assert cell(live, BOB, "B").state == "failed"


def test_freeze_also_hides_ioi_scores():
    attempts = [at(10, ANN, "A", Verdict.WA, score=40), at(50, ANN, "A", Verdict.AC, score=100)]

    frozen = scoreboard_build(
        format=IOI,
        labels=["A"],
        entrants=[ANN],
        attempts=attempts,
        hidden_from=START + dt.timedelta(minutes=45),
    )

    a = cell(frozen, ANN, "A")
    assert (a.score, a.pending) == (40, 1)
    assert row_of(frozen, ANN).score == 40


def test_entrants_without_attempts_are_listed_with_empty_cells():
    board = icpc([], entrants=(ANN,))

    assert [c.state for c in board.rows[0].cells] == ["empty", "empty"]
    assert board.rows[0].rank == 1
