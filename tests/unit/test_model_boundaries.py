"""Edges of model properties that read only their own row: the freeze instant."""

import datetime as dt

from judge.contests.models import Contest

END = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)


def contest(**fields) -> Contest:
    return Contest(start_at=END - dt.timedelta(hours=5), end_at=END, freeze_minutes=60, **fields)


def test_the_board_freezes_at_the_freeze_instant_itself():
    freeze_at = END - dt.timedelta(minutes=60)
    assert contest().freeze_at == freeze_at
    assert contest().is_frozen(now=freeze_at)
    assert not contest().is_frozen(now=freeze_at - TICK)
    assert contest().is_frozen(now=END + dt.timedelta(days=1))  # until staff unfreeze it


def test_an_unfrozen_board_or_no_freeze_is_never_frozen():
    assert not contest(unfrozen_at=END).is_frozen(now=END)
    assert not Contest(start_at=END - dt.timedelta(hours=5), end_at=END).is_frozen(now=END)
