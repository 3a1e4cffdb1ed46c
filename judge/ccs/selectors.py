"""Reads of the Contest API: the endpoints' objects for one viewer, folded from the feed's own events."""

import datetime as dt

from django.utils import timezone

from judge.ccs import feed, objects
from judge.contests.selectors import contest_problems, contest_scoreboard

COLLECTIONS = frozenset(feed.TYPES) - {"contest", "state"}


def ccs_collection(*, viewer: feed.Viewer, type_: str, now: dt.datetime | None = None) -> list[dict]:
    """The objects of one endpoint now: the last event of each id, in feed order."""
    latest: dict[str, dict] = {}
    for event in feed.feed_events(viewer=viewer, types=(type_,), now=now):
        latest.pop(event.id, None)  # a later update moves the object to where it last changed
        if event.data is not None:
            latest[event.id] = event.data
    return list(latest.values())


def ccs_state(*, viewer: feed.Viewer, now: dt.datetime | None = None) -> dict:
    contest = viewer.contest
    return objects.state_object(contest, now=now or timezone.now(), finalized_at=feed.finalized_at(contest))


def ccs_scoreboard(*, viewer: feed.Viewer, now: dt.datetime | None = None) -> dict:
    """The board the site shows this viewer: live for admins, the participants' (frozen) one otherwise."""
    contest, now = viewer.contest, now or timezone.now()
    board = contest_scoreboard(contest=contest, live=viewer.is_admin, now=now)
    codes = {entry.label: entry.problem.code for entry in contest_problems(contest=contest)}
    state = ccs_state(viewer=viewer, now=now)
    return objects.scoreboard_object(board, codes=codes, state=state, now=now, start=contest.start_at)


def ccs_access(*, viewer: feed.Viewer) -> dict:
    """What this client may read (the spec's access endpoint); nothing is written through this API yet."""
    endpoints = [
        {"type": "contests" if type_ == "contest" else type_, "properties": list(objects.FIELDS[type_])}
        for type_ in feed.TYPES
    ]
    access = {"capabilities": [], "endpoints": endpoints, "role": viewer.role}
    if viewer.team_id is not None:
        access["team_id"] = str(viewer.team_id)
    return access
