"""The ICPC Contest API: the event feed rebuilds the site's scoreboard, since_token resumes, the freeze
hides verdicts from public clients only, tokens and their roles, keep-alives, the contest package."""

import base64
import datetime as dt
import io
import json
import re
import zipfile

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judge.asgi import application
from judge.ccs import feed
from judge.ccs.models import ApiToken
from judge.ccs.services import api_token_create
from judge.contests.clarifications import clarification_answer, clarification_ask
from judge.contests.models import Contest
from judge.contests.services import contest_unfreeze
from judge.submissions.models import Submission, TestResult, Verdict
from tests.factories import MembershipFactory, SubmissionFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _judged(
    contest: Contest, user, problem, verdict: str, minute: float | None, *, tests: int = 2
) -> Submission:
    """A judged submission made `minute` minutes into the contest (None: now, as a live one is)."""
    submission = SubmissionFactory(user=user, problem=problem, contest=contest, tenant=contest.tenant)
    made = submission.created_at if minute is None else contest.start_at + dt.timedelta(minutes=minute)
    done = made + dt.timedelta(seconds=0 if minute is None else 20)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=made,
        started_at=made,
        judged_at=done,
        status=Submission.Status.DONE,
        verdict=verdict,
        max_time=0.25,
    )
    for order in range(1, tests + 1):
        TestResult.objects.create(submission=submission, order=order, verdict=Verdict.AC, time=0.1)
    submission.refresh_from_db()
    return submission


def _token(world, contest, role=ApiToken.Role.ADMIN, team="") -> str:
    return api_token_create(user=world.staff, contest=contest, role=role, label=role, team_username=team)[1]


def _get(path: str, key: str | None = None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return Client().get(f"/api/contests/{path}", params, **headers)


def _feed(contest, key, **params) -> list[dict]:
    response = _get(f"{contest.slug}/event-feed", key, stream="false", **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in response.content.decode().splitlines()]


def _finished_contest(world):
    """Ended 20 minutes ago, frozen for the last 30, unfrozen; ann and bob tie on one solve, cy solves two."""
    cy = MembershipFactory(tenant=world.tenant, user__username="cy").user
    contest = contest_make(world, started_minutes_ago=140, minutes=120, freeze_minutes=30)
    a, b = world.problems
    _judged(contest, world.ann, a, Verdict.WA, 3)
    _judged(contest, world.ann, a, Verdict.CE, 4)  # no penalty
    _judged(contest, world.ann, a, Verdict.AC, 10)  # 10 + 20
    _judged(contest, world.ann, a, Verdict.WA, 12)  # after the AC: nothing
    _judged(contest, world.bob, b, Verdict.AC, 30)  # 30: a tie with ann
    _judged(contest, cy, a, Verdict.TLE, 5)
    _judged(contest, cy, a, Verdict.AC, 50)
    _judged(contest, cy, b, Verdict.AC, 100)  # during the freeze
    contest_unfreeze(user=world.staff, contest=contest)
    return contest, cy


def _rebuild(events: list[dict]) -> dict[str, tuple[int, int]]:
    """A resolver's view: team id -> (solved, penalty), from nothing but the feed."""
    types = {e["id"]: e["data"] for e in events if e["type"] == "judgement-types"}
    penalty_time = next(e["data"]["penalty_time"] for e in events if e["type"] == "contest")
    teams = {e["id"] for e in events if e["type"] == "teams"}
    submissions = {e["id"]: e["data"] for e in events if e["type"] == "submissions"}
    verdicts = {
        e["data"]["submission_id"]: e["data"]["judgement_type_id"]
        for e in events
        if e["type"] == "judgements"
    }
    cells: dict[tuple[str, str], dict] = {}
    for sid, sub in sorted(submissions.items(), key=lambda item: item[1]["contest_time"].zfill(14)):
        assert sub["team_id"] in teams  # referential integrity: the team came first
        cell = cells.setdefault((sub["team_id"], sub["problem_id"]), {"tries": 0, "minute": None})
        kind = types[verdicts[sid]]
        if cell["minute"] is not None:
            continue
        if kind["solved"]:
            h, m, s = sub["contest_time"].split(":")
            cell["minute"] = int(h) * 60 + int(m)
        elif kind["penalty"]:
            cell["tries"] += 1
    board: dict[str, tuple[int, int]] = {}
    for (team, _), cell in cells.items():
        solved, penalty = board.get(team, (0, 0))
        if cell["minute"] is not None:
            solved, penalty = solved + 1, penalty + cell["minute"] + penalty_time * cell["tries"]
        board[team] = (solved, penalty)
    return board


def _ranks(board: dict[str, tuple[int, int]]) -> dict[str, int]:
    keys = sorted((-s, p) for s, p in board.values())
    return {team: keys.index((-s, p)) + 1 for team, (s, p) in board.items()}


SITE_ROW = re.compile(
    r'<tr data-user-id="(\d+)"[^>]*><td class="num board-rank">(\d+)</td><td class="board-name">[^<]*</td>'
    r'<td class="num board-total">(\d+)</td><td class="num muted">(\d+)</td>'
)


def _site_board(user, contest) -> dict[str, tuple[int, int, int]]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("contests:scoreboard", args=[contest.slug])).content.decode()
    return {uid: (int(rank), int(solved), int(pen)) for uid, rank, solved, pen in SITE_ROW.findall(page)}


def test_the_event_feed_of_a_finished_contest_rebuilds_the_scoreboard_the_site_shows():
    world = world_make()
    contest, cy = _finished_contest(world)

    events = _feed(contest, _token(world, contest, ApiToken.Role.PUBLIC))
    rebuilt = _rebuild(events)
    ranks = _ranks(rebuilt)

    site = _site_board(world.bob, contest)
    assert len(site) == 3
    assert {uid: (ranks[uid], *rebuilt[uid]) for uid in site} == site
    assert site[str(cy.id)] == (1, 2, 50 + 20 + 100)
    assert site[str(world.ann.id)] == site[str(world.bob.id)] == (2, 1, 30)
    state = [e["data"] for e in events if e["type"] == "state"][-1]
    assert state["thawed"] and state["end_of_updates"]
    assert [e["type"] for e in events[:2]] == ["contest", "judgement-types"]
    scoreboard = _get(f"{contest.slug}/scoreboard", _token(world, contest)).json()
    assert [(r["team_id"], r["rank"], r["score"]["num_solved"]) for r in scoreboard["rows"]][0] == (
        str(cy.id),
        1,
        2,
    )


def test_objects_follow_the_spec_types():
    world = world_make()
    contest, _ = _finished_contest(world)
    key = _token(world, contest)

    submission = _get(f"{contest.slug}/submissions", key).json()[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", submission["time"])
    assert submission["contest_time"] == "0:03:00.000" and submission["problem_id"] == "contest-a"
    judgement = _get(f"{contest.slug}/judgements/{submission['id']}", key).json()
    assert judgement["judgement_type_id"] == "WA" and judgement["end_contest_time"] == "0:03:20.000"
    runs = _get(f"{contest.slug}/runs", key, judgement_id=submission["id"]).json()
    assert [r["ordinal"] for r in runs] == [1, 2]
    contest_object = _get(contest.slug, key).json()
    assert contest_object["duration"] == "2:00:00.000" and contest_object["penalty_time"] == 20
    types = {t["id"]: t for t in _get(f"{contest.slug}/judgement-types", key).json()}
    assert set(types) == {"AC", "WA", "TLE", "RTE", "MLE", "OLE", "CE"}
    assert types["CE"]["penalty"] is False and types["RTE"]["penalty"] is True
    assert [p["label"] for p in _get(f"{contest.slug}/problems", key).json()] == ["A", "B"]
    assert _get(f"{contest.slug}/teams/nobody", key).status_code == 404
    assert _get(f"{contest.slug}/awards", key).status_code == 404


def test_since_token_resumes_right_after_the_event_it_names():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=30, minutes=120)
    key = _token(world, contest)
    _judged(contest, world.ann, world.problems[0], Verdict.WA, 5)
    everything = _feed(contest, key)

    middle = len(everything) // 2
    assert _feed(contest, key, since_token=everything[middle]["token"]) == everything[middle + 1 :]
    assert _feed(contest, key, since_token=everything[-1]["token"]) == []

    later = _judged(contest, world.bob, world.problems[1], Verdict.AC, None)
    new = _feed(contest, key, since_token=everything[-1]["token"])
    assert [(e["type"], e["id"]) for e in new if e["type"] in ("submissions", "judgements")] == [
        ("submissions", str(later.id)),
        ("judgements", str(later.id)),
    ]
    bad = _get(f"{contest.slug}/event-feed", key, stream="false", since_token="not-a-token")
    assert bad.status_code == 400 and bad.json()["code"] == 400


def test_the_freeze_hides_judgements_from_public_tokens_until_the_unfreeze_and_never_from_admins():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)  # frozen at 90
    public, admin = _token(world, contest, ApiToken.Role.PUBLIC), _token(world, contest)
    early = _judged(contest, world.ann, world.problems[0], Verdict.WA, 10)
    late = _judged(contest, world.ann, world.problems[0], Verdict.AC, 95)

    def judged(events):
        return {e["id"] for e in events if e["type"] == "judgements"}

    seen = _feed(contest, public)
    assert judged(seen) == {str(early.id)}
    assert {e["id"] for e in seen if e["type"] == "submissions"} == {str(early.id), str(late.id)}
    assert str(late.id) not in {e["data"]["judgement_id"] for e in seen if e["type"] == "runs"}
    assert judged(_feed(contest, admin)) == {str(early.id), str(late.id)}
    assert _get(f"{contest.slug}/judgements/{late.id}", public).status_code == 404
    row = _get(f"{contest.slug}/scoreboard", public).json()["rows"][0]
    assert row["score"]["num_solved"] == 0 and row["problems"][0]["num_pending"] == 1
    assert _get(f"{contest.slug}/scoreboard", admin).json()["rows"][0]["score"]["num_solved"] == 1

    Contest.objects.filter(pk=contest.pk).update(end_at=timezone.now() - dt.timedelta(minutes=1))
    contest.refresh_from_db()
    contest_unfreeze(user=world.staff, contest=contest)
    resumed = _feed(contest, public, since_token=seen[-1]["token"])
    assert judged(resumed) == {str(late.id)}  # dated at the unfreeze, so after the old token
    assert any(e["type"] == "state" and e["data"]["thawed"] for e in resumed)


def test_tokens_are_refused_when_missing_unknown_revoked_or_for_another_contest():
    world = world_make()
    contest = contest_make(world)
    other = contest_make(world, slug="other-cup")
    key = _token(world, contest, ApiToken.Role.PUBLIC)

    assert _get(f"{contest.slug}/problems").status_code == 401
    assert _get(f"{contest.slug}/problems", "ccs_wrong").status_code == 401
    assert _get(f"{other.slug}/problems", key).status_code == 404
    assert (
        Client()
        .post(f"/api/contests/{contest.slug}/problems", HTTP_AUTHORIZATION=f"Bearer {key}")
        .status_code
        == 405
    )
    basic = base64.b64encode(f"viewer:{key}".encode()).decode()
    assert (
        Client()
        .get(f"/api/contests/{contest.slug}/access", HTTP_AUTHORIZATION=f"Basic {basic}")
        .json()["role"]
        == "public"
    )
    assert ApiToken.objects.get().key_hash != key and key not in ApiToken.objects.get().prefix + "…"

    ApiToken.objects.all().delete()
    assert _get(f"{contest.slug}/problems", key).status_code == 401


def test_a_team_token_sees_its_own_submissions_and_the_public_board():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)
    mine = _judged(contest, world.ann, world.problems[0], Verdict.AC, 95)  # after the freeze
    _judged(contest, world.bob, world.problems[0], Verdict.AC, 20)
    key = _token(world, contest, ApiToken.Role.TEAM, team="ann")

    access = _get(f"{contest.slug}/access", key).json()
    assert access["role"] == "team" and access["team_id"] == str(world.ann.id)
    assert {e["type"]: e["properties"] for e in access["endpoints"]}["submissions"][0] == "id"
    assert [s["id"] for s in _get(f"{contest.slug}/submissions", key).json()] == [str(mine.id)]
    assert [j["id"] for j in _get(f"{contest.slug}/judgements", key).json()] == [str(mine.id)]
    board = {
        r["team_id"]: r["score"]["num_solved"] for r in _get(f"{contest.slug}/scoreboard", key).json()["rows"]
    }
    assert board == {str(world.ann.id): 0, str(world.bob.id): 1}  # the frozen board, like the site's

    mine = clarification_ask(user=world.ann, contest=contest, label="A", question="Can n be 0?")
    theirs = clarification_ask(user=world.bob, contest=contest, label="A", question="Is n < 10?")
    clarification_answer(user=world.staff, clarification=theirs, answer="Yes.", public=False)
    clarifications = _get(f"{contest.slug}/clarifications", key).json()
    assert [(c["id"], c["from_team_id"], c["problem_id"]) for c in clarifications] == [
        (str(mine.id), str(world.ann.id), "contest-a")
    ]
    public = _token(world, contest, ApiToken.Role.PUBLIC)
    assert _get(f"{contest.slug}/clarifications", public).json() == []  # private questions and answers
    answers = _get(f"{contest.slug}/clarifications", _token(world, contest)).json()
    assert [(c["id"], c["reply_to_id"], c["to_team_ids"]) for c in answers if c["reply_to_id"]] == [
        (f"{theirs.id}-r", str(theirs.id), [str(world.bob.id)])
    ]


def test_staff_make_tokens_on_the_contest_page_and_see_the_key_once():
    world = world_make()
    contest = contest_make(world)
    url = reverse("contests_api:api_tokens", args=[contest.slug])
    staff, student = Client(), Client()
    staff.force_login(world.staff)
    student.force_login(world.ann)

    made = staff.post(url, {"label": "resolver", "role": "admin"})
    key = re.search(r'<code class="token-key">(ccs_[^<]+)</code>', made.content.decode())[1]
    assert made.status_code == 201 and _get(f"{contest.slug}/access", key).json()["role"] == "admin"
    assert key not in staff.get(url).content.decode()
    refused = staff.post(url, {"label": "team", "role": "team", "team": "nobody"})
    assert refused.status_code == 400 and "not a participant" in refused.content.decode()
    assert ApiToken.objects.count() == 1
    assert (
        student.get(url).status_code == 403
        and student.post(url, {"label": "x", "role": "admin"}).status_code == 403
    )
    staff.post(reverse("contests_api:api_token_revoke", args=[contest.slug, ApiToken.objects.get().id]))
    assert _get(f"{contest.slug}/access", key).status_code == 401


def test_the_streaming_feed_sends_keepalives_when_quiet_and_new_events_as_they_come():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=30, minutes=120)
    viewer = feed.Viewer(contest=contest, role="admin")
    first = feed.feed_events(viewer=viewer)
    clock = {"t": 0.0}
    items = feed.feed_follow(viewer=viewer, first=first, keepalive=3, poll=1, clock=lambda: clock["t"])

    def following():  # what the view does: wait out each pause (here on a clock of our own)
        while isinstance(item := next(items), feed.Pause):
            clock["t"] += item.seconds
        return item

    assert [following() for _ in first] == first
    assert (following(), clock["t"]) == ("\n", 3)  # three quiet seconds
    assert (following(), clock["t"]) == ("\n", 6)
    made = _judged(contest, world.ann, world.problems[0], Verdict.AC, None)
    arrived = following()
    assert (arrived.type, arrived.id, clock["t"]) == ("submissions", str(made.id), 7)
    assert [following().type for _ in range(3)] == ["judgements", "runs", "runs"]


def test_the_feed_ends_once_the_results_are_final():
    world = world_make()
    contest, _ = _finished_contest(world)
    viewer = feed.Viewer(contest=contest, role="public")
    first = feed.feed_events(viewer=viewer)

    assert list(feed.feed_follow(viewer=viewer, first=first)) == first
    assert list(feed.feed_follow(viewer=viewer, first=[], since_token=first[-1].token)) == []


def test_contest_export_writes_a_package_for_resolvers(tmp_path):
    world = world_make()
    contest, _ = _finished_contest(world)
    out = tmp_path / "cup.zip"

    call_command("contest_export", contest.slug, str(out), stdout=io.StringIO())

    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["contest.json", "event-feed.ndjson", "scoreboard.json"]
        events = [json.loads(line) for line in package.read("event-feed.ndjson").decode().splitlines()]
        scoreboard = json.loads(package.read("scoreboard.json"))
        assert json.loads(package.read("contest.json"))["id"] == contest.slug
    rebuilt = _rebuild(events)
    assert {
        r["team_id"]: (r["score"]["num_solved"], r["score"]["total_time"]) for r in scoreboard["rows"]
    } == rebuilt


@pytest.mark.django_db(transaction=True)
def test_the_stream_through_the_asgi_app_sends_events_before_the_contest_is_over():
    world = world_make()
    contest = contest_make(world, started_minutes_ago=30, minutes=120)
    key = _token(world, contest)
    _judged(contest, world.ann, world.problems[0], Verdict.WA, 5)
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/api/contests/{contest.slug}/event-feed",
        "query_string": b"",
        "headers": [(b"authorization", f"Bearer {key}".encode()), (b"host", b"127.0.0.1")],
    }

    async def run():
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        body = b""
        while b'"type":"judgements"' not in body:
            body += (await communicator.receive_output(timeout=10))["body"]
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(timeout=5)
        return start, body

    start, body = async_to_sync(run)()
    assert start["status"] == 200
    assert body.decode().startswith('{"type":"contest"')
