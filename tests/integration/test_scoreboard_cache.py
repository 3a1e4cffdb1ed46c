"""The cached boards, updated one row per verdict, stay equal to the board computed from scratch: ranks,
totals, first solves (also when a rejudge takes the first solve away), the freeze, teams arriving."""

import datetime as dt
import random

import pytest

from judge.contests import boards
from judge.contests.models import Contest
from judge.contests.selectors import contest_scoreboard
from judge.submissions.models import Submission, Verdict
from tests.factories import MembershipFactory, SubmissionFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _shape_cached(contest: Contest, live: bool):
    payload = boards.board_payload(boards.board_get(contest=contest, live=live))
    rows = [
        (
            r["user_id"],
            r["rank"],
            r["solved"],
            r["penalty"],
            [(c["state"], c["first"]) for c in r["cells"].values()],
        )
        for r in payload["rows"]
    ]
    return rows, payload["frozen"]


def _shape_fresh(contest: Contest, live: bool):
    board = contest_scoreboard(contest=contest, live=live)
    rows = [
        (r.user_id, r.rank, r.solved, r.penalty, [(c.state, c.first_solve) for c in r.cells])
        for r in board.rows
    ]
    return rows, board.frozen


def _totals(contest: Contest, live: bool):
    cached = boards.board_get(contest=contest, live=live)
    fresh = contest_scoreboard(contest=contest, live=live)
    return cached.meta["totals"], [[t.solved, t.attempted] for t in fresh.totals]


def test_row_updates_keep_the_cached_boards_equal_to_a_fresh_computation():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)  # frozen at 90
    users = [world.ann, world.bob] + [MembershipFactory(tenant=world.tenant).user for _ in range(6)]
    rng = random.Random(3)
    for live in (True, False):
        boards.board_page_html(contest=contest, live=live)
    built = [boards.board_get(contest=contest, live=live).meta["built_at"] for live in (True, False)]
    made = []
    for step in range(40):
        if made and step % 5 == 4:  # a rejudge flips an earlier verdict (may take a first solve away)
            submission = rng.choice(made)
            verdict = Verdict.WA if submission.verdict == Verdict.AC else Verdict.AC
        else:
            submission = SubmissionFactory(
                user=rng.choice(users),
                problem=rng.choice(world.problems),
                contest=contest,
                tenant=world.tenant,
            )
            verdict = rng.choice([Verdict.AC, Verdict.WA, Verdict.CE, ""])
            minute = rng.uniform(0, 99)
            Submission.objects.filter(pk=submission.pk).update(
                created_at=contest.start_at + dt.timedelta(minutes=minute)
            )
            made.append(submission)
        done = Submission.Status.DONE if verdict else Submission.Status.QUEUED
        Submission.objects.filter(pk=submission.pk).update(status=done, verdict=verdict)
        submission.verdict = verdict
        boards.board_row_update(contest=contest, user_id=submission.user_id)
        for live in (True, False):
            assert _shape_cached(contest, live) == _shape_fresh(contest, live), (step, live)
            cached, fresh = _totals(contest, live)
            assert cached == fresh, (step, live)
            page = boards.board_page_html(contest=contest, live=live)  # the whole table, kept between changes
            assert page == boards.board_html(boards.board_get(contest=contest, live=live)), (step, live)
    # every step went through the row updates: neither board was computed again
    assert [boards.board_get(contest=contest, live=live).meta["built_at"] for live in (True, False)] == built
