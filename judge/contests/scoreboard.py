"""From judged attempts to ranked scoreboard rows. Pure functions: no database, no clock.

ICPC: rank by problems solved (more first), then penalty (less first). A solved problem's penalty is the
whole minutes from the participant's start to the first AC, plus 20 minutes per earlier judged wrong try;
CE and IE never count as tries, and nothing after the first AC counts at all.
IOI: rank by the sum over problems of the best score of any attempt (the judge scores each attempt from
its subtasks).
Equal keys share a rank (1, 2, 2, 4). During a freeze, attempts submitted at or after the freeze time are
shown to participants as pending ("?"), whatever their verdict.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from judge.contests.models import Contest
from judge.submissions.models import Verdict

PENALTY_PER_TRY = 20
NOT_TRIES = frozenset({Verdict.CE, Verdict.IE})


@dataclass(frozen=True)
class Attempt:
    """One counted submission: `elapsed` is seconds since the participant's start; verdict "" = not judged."""

    id: int
    user_id: int
    label: str
    submitted_at: dt.datetime
    elapsed: float
    verdict: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Entrant:
    user_id: int
    name: str


@dataclass
class Cell:
    label: str
    tries: int = 0  # ICPC: judged wrong tries (before the first AC); IOI: judged attempts
    pending: int = 0  # attempts not judged yet, or hidden by the freeze
    solved: bool = False
    minute: int | None = None  # ICPC: minute of the first AC
    score: float | None = None  # IOI: best score; None = nothing judged yet
    first_solve: bool = False
    solved_elapsed: float | None = None

    @property
    def state(self) -> str:
        """solved | failed | pending | empty, for styling."""
        if self.solved:
            return "solved"
        if self.pending:
            return "pending"
        if self.tries or self.score is not None:
            return "failed"
        return "empty"


@dataclass
class Row:
    user_id: int
    name: str
    cells: list[Cell]
    solved: int = 0
    penalty: int = 0
    score: float = 0.0
    rank: int = 0


@dataclass(frozen=True)
class ProblemTotal:
    """A column's footer: how many entrants solved (IOI: scored above 0) and tried it, as the viewer sees."""

    label: str
    title: str
    solved: int
    attempted: int


@dataclass
class Board:
    format: str
    labels: list[str]
    rows: list[Row]
    frozen: bool = False
    first_solvers: dict[str, list[int]] = field(default_factory=dict)
    totals: list[ProblemTotal] = field(default_factory=list)


def scoreboard_build(
    *,
    format: str,
    labels: list[str],
    entrants: Iterable[Entrant],
    attempts: Iterable[Attempt],
    hidden_from: dt.datetime | None = None,
    titles: list[str] | None = None,
) -> Board:
    """Rank `entrants` by their `attempts`; attempts submitted at or after `hidden_from` count as pending.
    `titles` (the problems' names, in the order of `labels`) head the columns and their footer totals."""
    by_cell = _by_cell(attempts)
    rows = [_row_build(format, labels, entrant, by_cell, hidden_from) for entrant in entrants]
    board = Board(format=format, labels=list(labels), rows=rows, frozen=hidden_from is not None)
    _refresh(board, titles or [""] * len(labels))
    return board


def scoreboard_row(
    *, format: str, labels: list[str], entrant: Entrant, attempts: Iterable[Attempt], hidden_from=None
) -> Row:
    """One entrant's row from their attempts, as scoreboard_build makes it, but neither ranked nor marked
    for first solves (both need every row)."""
    return _row_build(format, labels, entrant, _by_cell(attempts), hidden_from)


def cell_counts(cell: Cell) -> tuple[int, int]:
    """What a cell adds to its column's footer: (solved, or IOI scored above 0; attempted)."""
    return int(cell.solved or (cell.score or 0) > 0), int(cell.state != "empty")


def standing_key(row: Row, format: str) -> tuple:
    """Smaller is better; equal keys share a rank."""
    if format == Contest.Format.ICPC:
        return (-row.solved, row.penalty)
    return (-row.score,)


def _by_cell(attempts: Iterable[Attempt]) -> dict[tuple[int, str], list[Attempt]]:
    by_cell: dict[tuple[int, str], list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: (a.submitted_at, a.id)):
        by_cell.setdefault((attempt.user_id, attempt.label), []).append(attempt)
    return by_cell


def _row_build(format: str, labels, entrant: Entrant, by_cell: dict, hidden_from: dt.datetime | None) -> Row:
    score_cell = _icpc_cell if format == Contest.Format.ICPC else _ioi_cell
    cells = [score_cell(label, by_cell.get((entrant.user_id, label), []), hidden_from) for label in labels]
    return _row_total(entrant, cells)


def _refresh(board: Board, titles: list[str]) -> None:
    """Footer totals, first solves and ranks, from the rows' cells."""
    board.totals = _totals(board.rows, board.labels, titles)
    if board.format == Contest.Format.ICPC:
        for row in board.rows:
            for cell in row.cells:
                cell.first_solve = False
        board.first_solvers = _mark_first_solves(board.rows, board.labels)
    _rank(board.rows, board.format)


def _hidden(attempt: Attempt, hidden_from: dt.datetime | None) -> bool:
    return hidden_from is not None and attempt.submitted_at >= hidden_from


def _icpc_cell(label: str, attempts: list[Attempt], hidden_from: dt.datetime | None) -> Cell:
    cell = Cell(label=label)
    for attempt in attempts:
        if not attempt.verdict or _hidden(attempt, hidden_from):
            cell.pending += 1
        elif attempt.verdict == Verdict.AC:
            cell.solved, cell.solved_elapsed = True, attempt.elapsed
            cell.minute = int(attempt.elapsed // 60)
            break
        elif attempt.verdict not in NOT_TRIES:
            cell.tries += 1
    if cell.solved:
        cell.pending = 0  # a solved cell is final; an earlier attempt still judging only re-ranks it later
    return cell


def _ioi_cell(label: str, attempts: list[Attempt], hidden_from: dt.datetime | None) -> Cell:
    cell = Cell(label=label)
    for attempt in attempts:
        if not attempt.verdict or _hidden(attempt, hidden_from):
            cell.pending += 1
            continue
        cell.tries += 1
        cell.score = max(cell.score or 0.0, attempt.score)
    return cell


def _row_total(entrant: Entrant, cells: list[Cell]) -> Row:
    row = Row(user_id=entrant.user_id, name=entrant.name, cells=cells)
    solved = [c for c in cells if c.solved]
    row.solved = len(solved)
    row.penalty = sum(c.minute + PENALTY_PER_TRY * c.tries for c in solved)
    row.score = round(sum(c.score or 0.0 for c in cells), 6)
    return row


def _totals(rows: list[Row], labels: list[str], titles: list[str]) -> list[ProblemTotal]:
    # Built from the cells, so a freeze hides from the counts exactly what it hides from the cells.
    totals = []
    for index, (label, title) in enumerate(zip(labels, titles, strict=True)):
        counts = [cell_counts(row.cells[index]) for row in rows]
        solved, attempted = sum(c[0] for c in counts), sum(c[1] for c in counts)
        totals.append(ProblemTotal(label=label, title=title, solved=solved, attempted=attempted))
    return totals


def _mark_first_solves(rows: list[Row], labels: list[str]) -> dict[str, list[int]]:
    """Per problem, whoever solved it soonest after their start (ties: all of them)."""
    firsts: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        solved = [r.cells[index] for r in rows if r.cells[index].solved]
        if not solved:
            continue
        best = min(c.solved_elapsed for c in solved)
        for row in rows:
            cell = row.cells[index]
            if cell.solved and cell.solved_elapsed == best:
                cell.first_solve = True
                firsts.setdefault(label, []).append(row.user_id)
    return firsts


def _rank(rows: list[Row], format: str) -> None:
    rows.sort(key=lambda r: (standing_key(r, format), r.name.lower(), r.user_id))
    previous = None
    for position, row in enumerate(rows, start=1):
        key = standing_key(row, format)
        row.rank = rows[position - 2].rank if key == previous else position
        previous = key
