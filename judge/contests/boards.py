"""Scoreboards at contest scale: each board is computed once and kept in the cache as one small summary
plus one entry per row (its numbers, packed cells and markup), and a verdict rewrites only its team's row:
it reads the summary and that row, updates the footer counts and first solves from the difference, and
sends the browsers that row. What a verdict costs does not grow with the number of teams.

Two boards per contest: "live" (staff; also the participants' board while it is not frozen) and "frozen"
(the participants' board during a freeze). Changes that touch every row (the contest edited, a window
started, the board unfrozen, a rejudge) forget both, and the next reader computes them again. The cache
is a copy, never the record: a board is computed afresh every REBUILD_SECONDS, and a row update always
rebuilds that row from the database.
"""

import datetime as dt
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from judge.contests.models import Contest
from judge.contests.scoreboard import (
    Board,
    Cell,
    ProblemTotal,
    Row,
    cell_counts,
    scoreboard_row,
    standing_key,
)
from judge.contests.selectors import contest_entrant_attempts, contest_scoreboard

CACHE_SECONDS = 24 * 3600
REBUILD_SECONDS = 15 * 60
LOCK_SECONDS = 30
LOCK_WAIT_SECONDS = 5.0
LIVE, FROZEN = "live", "frozen"
ICPC = Contest.Format.ICPC

# A row entry: (name, solved, penalty, score, cells, markup after the rank cell); cells as Cell field tuples.
Entry = tuple


@dataclass
class CachedBoard:
    meta: dict  # format, labels, titles, frozen, totals, firsts {label: [elapsed, [uids]]}, keys {uid: key}
    entries: dict[int, Entry] = field(default_factory=dict)

    def ranked(self) -> list[Row]:
        """Rows without cells, best first with their ranks, the way scoreboard_build ranks."""
        rows = [Row(uid, e[0], [], e[1], e[2], e[3]) for uid, e in self.entries.items()]
        rows.sort(key=lambda r: (tuple(self.meta["keys"][r.user_id]), r.name.lower(), r.user_id))
        previous = None
        for position, row in enumerate(rows, start=1):
            key = self.meta["keys"][row.user_id]
            row.rank = rows[position - 2].rank if key == previous else position
            previous = key
        return rows


def _key(contest_id: int, view: str, uid: int | str | None = None) -> str:
    return f"contest-board:{contest_id}:{view}" + ("" if uid is None else f":{uid}")


def board_view(*, contest: Contest, live: bool, now: dt.datetime | None = None) -> str:
    return LIVE if live or not contest.is_frozen(now=now or timezone.now()) else FROZEN


def board_forget(*, contest_id: int) -> None:
    cache.delete_many([_key(contest_id, LIVE), _key(contest_id, FROZEN)])


@contextmanager
def _locked(contest_id: int, view: str):
    """One writer of a board at a time (two workers judging at once); yields whether it got the lock."""
    key, deadline = f"{_key(contest_id, view)}:lock", time.monotonic() + LOCK_WAIT_SECONDS
    got = cache.add(key, 1, LOCK_SECONDS)
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
        got = cache.add(key, 1, LOCK_SECONDS)
    try:
        yield got
    finally:
        if got:
            cache.delete(key)


def _meta(contest_id: int, view: str) -> dict | None:
    meta = cache.get(_key(contest_id, view))
    if meta is None or time.time() - meta["built_at"] > REBUILD_SECONDS:
        return None
    return meta


def board_get(*, contest: Contest, live: bool, now: dt.datetime | None = None) -> CachedBoard:
    """The board this viewer gets (`live`: staff), from the cache, or computed and cached now."""
    view = board_view(contest=contest, live=live, now=now)
    meta = _meta(contest.id, view)
    if meta is not None:
        entries = cache.get_many([_key(contest.id, view, uid) for uid in meta["keys"]])
        if len(entries) == len(meta["keys"]):
            return CachedBoard(meta, {uid: entries[_key(contest.id, view, uid)] for uid in meta["keys"]})
    with _locked(contest.id, view) as got:
        cached = _build(contest, view, now)
        if got:
            _store(contest.id, view, cached, cached.entries)
    return cached


def _build(contest: Contest, view: str, now: dt.datetime | None) -> CachedBoard:
    board = contest_scoreboard(contest=contest, live=view == LIVE, now=now)
    meta = {
        "format": board.format,
        "labels": board.labels,
        "titles": [total.title for total in board.totals],
        "frozen": board.frozen,
        "totals": [[total.solved, total.attempted] for total in board.totals],
        "firsts": {},
        "keys": {row.user_id: standing_key(row, board.format) for row in board.rows},
        "built_at": time.time(),
    }
    for label, uids in board.first_solvers.items():
        cell = next(r.cells[board.labels.index(label)] for r in board.rows if r.user_id == uids[0])
        meta["firsts"][label] = [cell.solved_elapsed, list(uids)]
    return CachedBoard(meta, {row.user_id: _entry(board.format, row) for row in board.rows})


def _store(contest_id: int, view: str, cached: CachedBoard, entries: dict[int, Entry]) -> None:
    # Rows first, then the summary that lists them: a reader never finds a row missing.
    cache.set_many({_key(contest_id, view, uid): e for uid, e in entries.items()}, CACHE_SECONDS)
    cached.meta["version"] = cached.meta.get("version", 0) + 1
    cache.set(_key(contest_id, view), cached.meta, CACHE_SECONDS)


def board_page_html(*, contest: Contest, live: bool, now: dt.datetime | None = None) -> str:
    """The page's table. Between two changes every reader gets the same markup, kept whole in the cache
    with the version of the board it shows, so a page view costs two cache reads."""
    view = board_view(contest=contest, live=live, now=now)
    meta = _meta(contest.id, view)
    kept = cache.get(_key(contest.id, view, "html"))
    if meta is not None and kept is not None and kept[0] == meta["version"]:
        return mark_safe(kept[1])
    cached = board_get(contest=contest, live=live, now=now)
    html = board_html(cached)
    cache.set(_key(contest.id, view, "html"), (cached.meta.get("version"), str(html)), REBUILD_SECONDS)
    return html


def _entry(format: str, row: Row) -> Entry:
    cells = tuple(
        (c.label, c.tries, c.pending, c.solved, c.minute, c.score, c.first_solve, c.solved_elapsed)
        for c in row.cells
    )
    return (row.name, row.solved, row.penalty, row.score, cells, row_html(format, row))


def _row(uid: int, entry: Entry) -> Row:
    return Row(uid, entry[0], [Cell(*c) for c in entry[4]], entry[1], entry[2], entry[3])


def row_key(format: str, solved: int, penalty: int, score: float) -> str:
    """What the browser sorts rows by (then by name): solved and penalty (ICPC), or the score (IOI)."""
    return f"{solved}:{penalty}" if format == ICPC else f"{score:g}"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _icpc_cell(cell: Cell) -> str:
    if cell.solved:
        return f"<b>+{cell.tries or ''}</b><small>{cell.minute}</small>"
    if cell.pending:
        return f"<b>?</b><small>{cell.tries} + {cell.pending}</small>"
    return f"<b>−{cell.tries}</b>" if cell.tries else ""


def _ioi_cell(cell: Cell) -> str:
    html = f"<b>{_num(cell.score)}</b>" if cell.score is not None else ""
    if cell.pending:
        html += "<b>?</b>" if cell.score is None else "<small>+ ?</small>"
    return html


def row_html(format: str, row: Row) -> str:
    """One row's cells after the rank, compact: <b> is a cell's main line, <small> the line under it."""
    icpc = format == ICPC
    totals = (
        f'<td class="num board-total">{row.solved}</td><td class="num muted">{row.penalty}</td>'
        if icpc
        else f'<td class="num board-total">{_num(row.score)}</td>'
    )
    cells = []
    for cell in row.cells:
        first = f' cell-first" title="First to solve {escape(cell.label)}' if cell.first_solve else ""
        inner = _icpc_cell(cell) if icpc else _ioi_cell(cell)
        cells.append(f'<td class="board-cell cell-{cell.state}{first}">{inner}</td>')
    return f'<td class="board-name">{escape(row.name)}</td>{totals}{"".join(cells)}'


def board_html(cached: CachedBoard) -> str:
    """The whole table: header and footer from the template, the rows joined from their cached markup."""
    meta, rows = cached.meta, cached.ranked()
    fmt = meta["format"]
    markup = "".join(
        f'<tr data-user-id="{row.user_id}" data-key="{row_key(fmt, row.solved, row.penalty, row.score)}">'
        f'<td class="num board-rank">{row.rank}</td>{cached.entries[row.user_id][5]}</tr>'
        for row in rows
    )
    board = Board(format=fmt, labels=meta["labels"], rows=rows, frozen=meta["frozen"], totals=_totals(meta))
    return render_to_string("judge/contests/_board.html", {"board": board, "rows_html": mark_safe(markup)})


def _totals(meta: dict) -> list[ProblemTotal]:
    return [
        ProblemTotal(label, title, solved, attempted)
        for label, title, (solved, attempted) in zip(
            meta["labels"], meta["titles"], meta["totals"], strict=True
        )
    ]


def row_payload(format: str, uid: int, entry: Entry, rank: int) -> dict:
    name, solved, penalty, score, cells, html = entry
    return {
        "user_id": uid,
        "name": name,
        "rank": rank,
        "solved": solved,
        "penalty": penalty,
        "score": score,
        "key": row_key(format, solved, penalty, score),
        "html": html,
        "cells": {
            c.label: {
                "state": c.state,
                "tries": c.tries,
                "pending": c.pending,
                "minute": c.minute,
                "score": c.score,
                "first": c.first_solve,
            }
            for c in (Cell(*packed) for packed in cells)
        },
    }


def board_payload(cached: CachedBoard) -> dict:
    """A whole board for a socket's first message (and after changes to every row): rows and markup."""
    fmt = cached.meta["format"]
    return {
        "frozen": cached.meta["frozen"],
        "format": fmt,
        "rows": [row_payload(fmt, r.user_id, cached.entries[r.user_id], r.rank) for r in cached.ranked()],
        "html": board_html(cached),
    }


def _rank_of(meta: dict, uid: int) -> int:
    mine = tuple(meta["keys"][uid])
    return 1 + sum(1 for key in meta["keys"].values() if tuple(key) < mine)


def board_row_update(*, contest: Contest, user_id: int, now: dt.datetime | None = None) -> dict[str, dict]:
    """One user's submission changed: rebuild their row in each cached board. Per view, what the browsers
    need ("rows" that changed, "removed" user ids, footer "totals"); a view where nothing changed is left
    out, so a verdict the freeze hides sends participants nothing."""
    now = now or timezone.now()
    views = [LIVE, FROZEN] if contest.is_frozen(now=now) else [LIVE]
    entrant, attempts = contest_entrant_attempts(contest=contest, user_id=user_id)
    changes = {}
    for view in views:
        with _locked(contest.id, view) as got:
            meta = _meta(contest.id, view)
            if not got or meta is None:
                cached = _build(contest, view, now)  # holds this verdict already: send the row as it is
                if got:
                    _store(contest.id, view, cached, cached.entries)
                change = _change_from(cached, [user_id] if user_id in cached.entries else [], [])
            else:
                hidden_from = contest.freeze_at if view == FROZEN else None
                row = None
                if entrant is not None:
                    row = scoreboard_row(
                        format=meta["format"],
                        labels=meta["labels"],
                        entrant=entrant,
                        attempts=attempts,
                        hidden_from=hidden_from,
                    )
                change = _apply(contest.id, view, meta, user_id, row)
        if change:
            changes[view] = change
    return changes


def _change_from(cached: CachedBoard, changed: list[int], removed: list[int]) -> dict | None:
    if not changed and not removed:
        return None
    meta = cached.meta
    rows = [row_payload(meta["format"], uid, cached.entries[uid], _rank_of(meta, uid)) for uid in changed]
    totals = [
        [label, solved, attempted]
        for label, (solved, attempted) in zip(meta["labels"], meta["totals"], strict=True)
    ]
    return {
        "format": meta["format"],
        "frozen": meta["frozen"],
        "rows": rows,
        "removed": removed,
        "totals": totals,
    }


def _apply(contest_id: int, view: str, meta: dict, uid: int, row: Row | None) -> dict | None:
    """Put `row` (None: off the board) in place of the cached one: footer counts from the difference, first
    solves moved (the whole column read again only if its first solver got slower), entries stored."""
    old = cache.get(_key(contest_id, view, uid)) if uid in meta["keys"] else None
    old_cells = [Cell(*c) for c in old[4]] if old else None
    for index, totals in enumerate(meta["totals"]):
        for cells, sign in ((old_cells, -1), (row.cells if row else None, 1)):
            if cells:
                solved, attempted = cell_counts(cells[index])
                totals[0], totals[1] = totals[0] + sign * solved, totals[1] + sign * attempted
    moved = _firsts_move(contest_id, view, meta, uid, row) if meta["format"] == ICPC else set()
    writes: dict[int, Entry] = {}
    if row is not None:
        writes[uid] = _entry(meta["format"], row)
        meta["keys"][uid] = standing_key(row, meta["format"])
    else:
        meta["keys"].pop(uid, None)
    for other in moved - {uid}:
        entry = cache.get(_key(contest_id, view, other))
        if entry is not None:
            marked = _row(other, entry)
            _mark_firsts(meta, other, marked)
            writes[other] = _entry(meta["format"], marked)
    cached = CachedBoard(meta, writes)
    _store(contest_id, view, cached, writes)
    changed = [u for u in writes if u != uid or old is None or old[5] != writes[uid][5]]
    return _change_from(cached, changed, [uid] if old is not None and row is None else [])


def _mark_firsts(meta: dict, uid: int, row: Row) -> None:
    for cell in row.cells:
        first = meta["firsts"].get(cell.label)
        cell.first_solve = first is not None and uid in first[1]


def _firsts_move(contest_id: int, view: str, meta: dict, uid: int, row: Row | None) -> set[int]:
    """Update meta's first solvers for `uid`'s new row; marks its cells; returns everyone whose mark moved."""
    moved: set[int] = set()
    for index, label in enumerate(meta["labels"]):
        best = meta["firsts"].get(label)
        cell = row.cells[index] if row else None
        mine = cell.solved_elapsed if cell is not None and cell.solved else None
        before = set(best[1]) if best else set()
        if best and uid in best[1] and (mine is None or mine > best[0]):
            best = _column_first(contest_id, view, meta, index, uid, mine)
        elif mine is not None and (best is None or mine < best[0]):
            best = [mine, [uid]]
        elif mine is not None and mine == best[0] and uid not in best[1]:
            best = [best[0], [*best[1], uid]]
        if best:
            meta["firsts"][label] = best
        else:
            meta["firsts"].pop(label, None)
        moved |= before ^ (set(best[1]) if best else set())
    if row is not None:
        _mark_firsts(meta, uid, row)
    return moved


def _column_first(contest_id: int, view: str, meta: dict, index: int, uid: int, mine: float | None):
    """The first solvers of one column, from every row (rare: only when the first solver got slower)."""
    others = [u for u in meta["keys"] if u != uid]
    entries = cache.get_many([_key(contest_id, view, u) for u in others])
    cells = [(u, entries.get(_key(contest_id, view, u))) for u in others]
    solved = {u: e[4][index][7] for u, e in cells if e is not None and e[4][index][3]}
    if mine is not None:
        solved[uid] = mine
    if not solved:
        return None
    best = min(solved.values())
    return [best, [u for u, t in solved.items() if t == best]]
