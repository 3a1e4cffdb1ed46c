"""Edges of model properties that read only their own row: the freeze instant, the time-limit rounding."""

import datetime as dt

import pytest

from judge.contests.models import Contest
from problems.models import Problem

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


@pytest.mark.parametrize(
    ("slowest", "multiplier", "limit"),
    [
        (0.6, 2.0, 1.2),  # 0.6 × 2 = 1.2000000000000002 in floats: not 1.3
        (0.1, 3.0, 0.3),  # 0.30000000000000004: not 0.4
        (0.61, 2.0, 1.3),  # 1.22 rounds up
        (0.5, 2.0, 1.0),
        (0.01, 1.0, 0.1),
    ],
)
def test_time_limit_rounds_up_to_a_tenth_without_float_noise(slowest, multiplier, limit):
    assert Problem(time_multiplier=multiplier).time_limit_for(slowest) == limit
