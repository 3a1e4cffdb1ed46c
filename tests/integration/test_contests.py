"""Contests through their pages and services: who may create and see what, submitting, boards, windows."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from judge.contests.models import Clarification, Contest, ContestParticipant, ContestProblem
from judge.contests.selectors import Phase, contest_phase, contest_scoreboard, contest_window
from judge.contests.services import (
    contest_rejudge,
    contest_submission_create,
    contest_unfreeze,
    contest_window_start,
)
from judge.submissions.errors import SubmissionRejected
from judge.submissions.models import Submission, Verdict
from problems.models import Problem
from tests.factories import MembershipFactory, ProblemFactory, UserFactory
from tests.integration.contest_world import HIDDEN_INPUT, backdate, contest_make, world_make
from tests.integration.fake_engine import problem_with_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_submits(settings):
    settings.JUDGE_SUBMIT_RATE = "1000/m"
    cache.clear()


@pytest.fixture
def world():
    return world_make()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, contest: Contest, *args) -> str:
    return reverse(f"contests:{name}", args=[contest.slug, *args])


def _submit(user, contest, label="A", source="ok"):
    return _client(user).post(_url("submit", contest, label), {"language": "python", "source": source})


def _form(world, **overrides) -> dict:
    start = timezone.now() + dt.timedelta(days=1)
    return {
        "tenant": world.tenant.id,
        "title": "Winter Round",
        "slug": "winter-round",
        "description": "Good *luck*.",
        "format": "icpc",
        "timing": "fixed",
        "start_at": start.strftime("%Y-%m-%dT%H:%M"),
        "end_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "window_minutes": "",
        "freeze_minutes": "30",
        "problems": f"{world.problems[0].code}\nC {world.problems[1].code}",
        "access": "tenant",
        "invitees": "",
        **overrides,
    }


# --- creating and editing ---


def test_staff_create_a_contest_on_the_page(world):
    response = _client(world.staff).post(reverse("contests:create"), _form(world))

    contest = Contest.objects.get(slug="winter-round")
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:detail", args=["winter-round"])
    assert (contest.tenant, contest.format, contest.freeze_minutes) == (world.tenant, "icpc", 30)
    assert [(e.label, e.problem.code) for e in contest.contest_problems.all()] == [
        ("A", "contest-a"),
        ("C", "contest-b"),
    ]


def test_students_and_other_tenants_staff_cannot_create_or_edit(world):
    contest = contest_make(world)
    other_staff = MembershipFactory(role=Membership.Role.INSTRUCTOR).user

    assert _client(world.ann).get(reverse("contests:create")).status_code == 403
    assert _client(world.ann).post(reverse("contests:create"), _form(world)).status_code == 403
    assert _client(world.ann).get(_url("edit", contest)).status_code == 403
    assert _client(world.ann).post(_url("edit", contest), _form(world, title="Hacked")).status_code == 403
    assert _client(other_staff).get(_url("edit", contest)).status_code == 404
    forged = _client(other_staff).post(reverse("contests:create"), _form(world, slug="forged"))
    assert forged.status_code == 200  # the form refuses a tenant the user does not manage
    assert not Contest.objects.filter(slug="forged").exists()
    contest.refresh_from_db()
    assert contest.title == "Spring Cup"


def test_problems_of_another_tenant_are_refused(world):
    ProblemFactory(code="elsewhere")

    response = _client(world.staff).post(reverse("contests:create"), _form(world, problems="elsewhere"))

    assert response.status_code == 200
    assert "Not problems of Delta College: elsewhere." in response.content.decode()
    assert not Contest.objects.exists()


def test_edit_swaps_labels_and_keeps_the_rest(world):
    contest = contest_make(world)
    a, b = world.problems

    response = _client(world.staff).post(
        _url("edit", contest),
        _form(world, slug=contest.slug, title="Spring Cup II", problems=f"A {b.code}\nB {a.code}"),
    )

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "Spring Cup II"
    assert [(e.label, e.problem.code) for e in contest.contest_problems.all()] == [
        ("A", b.code),
        ("B", a.code),
    ]


def test_invite_list_must_name_existing_users(world):
    response = _client(world.staff).post(
        reverse("contests:create"), _form(world, access="invited", invitees="ann, nobody-here")
    )

    assert "No such users: nobody-here." in response.content.decode()
    assert not Contest.objects.exists()


# --- who sees what ---


def test_outsiders_and_uninvited_members_get_404(world):
    contest = contest_make(world, access=Contest.Access.INVITED)
    ContestParticipant.objects.create(contest=contest, user=world.ann)
    outsider = UserFactory()

    assert _client(world.ann).get(_url("detail", contest)).status_code == 200
    assert _client(world.bob).get(_url("detail", contest)).status_code == 404
    assert _client(outsider).get(_url("scoreboard", contest)).status_code == 404
    assert _client(world.bob).get(_url("problem", contest, "A")).status_code == 404
    lists = _client(world.bob).get(reverse("contests:list")).content.decode()
    assert "Spring Cup" not in lists


def test_problems_stay_hidden_until_the_start(world):
    contest = contest_make(world, started_minutes_ago=-30)

    page = _client(world.ann).get(_url("detail", contest)).content.decode()

    assert "The problems appear when the contest starts." in page
    assert world.problems[0].title not in page
    assert _client(world.ann).get(_url("problem", contest, "A")).status_code == 404
    assert _client(world.staff).get(_url("problem", contest, "A")).status_code == 200
    with pytest.raises(SubmissionRejected, match="not started"):
        contest_submission_create(
            user=world.ann, contest=contest, problem_code="contest-a", language="python", source="ok"
        )


def test_contest_problem_page_shows_samples_but_never_hidden_tests(world):
    contest = contest_make(world)

    response = _client(world.ann).get(_url("problem", contest, "A"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'Add <span class="math math-inline">a</span>' in page
    assert "1 2" in page
    assert HIDDEN_INPUT.strip() not in page
    assert 'action="/contests/spring-cup/problems/A/submit/"' in page


def test_draft_contest_problems_are_not_reachable_outside_the_contest(world):
    contest_make(world)

    assert _client(world.staff).get(reverse("problems:detail", args=["contest-a"])).status_code == 200
    # a participant meets the lockdown first; a student of the school outside the contest, the 404
    outsider = MembershipFactory(tenant=world.tenant, user__username="cal").user
    contest = Contest.objects.get()
    contest.access = Contest.Access.INVITED
    contest.save(update_fields=["access"])
    assert _client(outsider).get(reverse("problems:detail", args=["contest-a"])).status_code == 404


def test_participants_see_only_their_own_submissions_and_code(world, engine, judge_queued):
    contest = contest_make(world)
    _submit(world.ann, contest)
    _submit(world.bob, contest, source="wrong")
    judge_queued()
    bobs = Submission.objects.get(user=world.bob)

    mine = _client(world.ann).get(_url("submissions", contest)).content.decode()
    staff = _client(world.staff).get(_url("submissions", contest)).content.decode()

    assert f"#{bobs.id}" not in mine
    assert f"#{bobs.id}" in staff
    # during the contest the lockdown refuses it (403, the same for any id); after it, the page is a 404
    assert _client(world.ann).get(reverse("judge:submission_detail", args=[bobs.id])).status_code == 403
    contest.end_at = contest.start_at + dt.timedelta(minutes=1)
    contest.save(update_fields=["end_at"])
    assert _client(world.ann).get(reverse("judge:submission_detail", args=[bobs.id])).status_code == 404


# --- submitting and the board ---


def test_submitting_through_the_contest_updates_the_board(world, engine, judge_queued):
    contest = contest_make(world)

    for user, label, source in [
        (world.ann, "A", "wrong"),
        (world.ann, "A", "syntax"),  # CE: not a try
        (world.ann, "A", "ok"),
        (world.bob, "B", "ok"),
        (world.bob, "A", "wrong"),
    ]:
        assert _submit(user, contest, label, source).status_code == 302
    pending = contest_scoreboard(contest=contest, live=True)
    judge_queued()
    board = contest_scoreboard(contest=contest, live=True)

    assert Submission.objects.filter(contest=contest).count() == 5
    ann_pending = next(r for r in pending.rows if r.user_id == world.ann.id)
    assert (ann_pending.cells[0].state, ann_pending.cells[0].pending) == ("pending", 3)
    ann, bob = (next(r for r in board.rows if r.user_id == u.id) for u in (world.ann, world.bob))
    assert (ann.solved, ann.penalty, ann.cells[0].tries) == (1, 60 + 20, 1)
    assert (bob.solved, bob.penalty, bob.cells[0].state) == (1, 60, "failed")
    assert (bob.rank, ann.rank) == (1, 2)
    page = _client(world.ann).get(_url("scoreboard", contest)).content.decode()
    assert "cell-solved" in page and "cell-first" in page


def test_staff_submissions_are_never_on_the_board(world, engine, judge_queued):
    contest = contest_make(world)

    assert _submit(world.staff, contest).status_code == 302
    judge_queued()

    assert contest_scoreboard(contest=contest, live=True).rows == []


def test_ioi_board_sums_best_scores(world, engine, judge_queued):
    contest = contest_make(world, format=Contest.Format.IOI)
    _submit(world.ann, contest, "A", "ok")
    _submit(world.ann, contest, "A", "wrong")
    _submit(world.ann, contest, "B", "ok")
    _submit(world.bob, contest, "A", "ok")
    judge_queued()

    board = contest_scoreboard(contest=contest, live=True)

    assert [(r.user_id, r.score, r.rank) for r in board.rows] == [
        (world.ann.id, 2.0, 1),
        (world.bob.id, 1.0, 2),
    ]


def test_ioi_board_uses_subtask_scores_from_judging(world, engine, judge_queued):
    grouped = problem_with_tests(
        tests=[("1 2\n", True, "small"), ("5000 6000\n", False, "big")],
        groups={"small": 30, "big": 70},
        tenant=world.tenant,
        scoring=Problem.Scoring.GROUPS,
        stop_on_first_failure=False,
        code="grouped",
    )
    contest = contest_make(world, format=Contest.Format.IOI)
    ContestProblem.objects.filter(contest=contest, label="B").update(problem=grouped)
    _submit(world.ann, contest, "B", "small")  # passes only the small subtask: 30
    _submit(world.bob, contest, "B", "small")
    _submit(world.bob, contest, "B", "ok")  # 100
    _submit(world.bob, contest, "B", "wrong")  # 0: the best stays
    judge_queued()

    board = contest_scoreboard(contest=contest, live=True)

    assert [(r.user_id, r.score) for r in board.rows] == [(world.bob.id, 100.0), (world.ann.id, 30.0)]


def test_freeze_hides_later_verdicts_from_participants_only(world, engine, judge_queued):
    contest = contest_make(
        world, started_minutes_ago=100, minutes=120, freeze_minutes=30
    )  # frozen 10 min ago
    early = backdate(
        contest_submission_create(
            user=world.bob, contest=contest, problem_code="contest-a", language="python", source="ok"
        ),
        minutes_after_start=5,
    )
    _submit(world.ann, contest, "A", "ok")
    judge_queued()

    public = contest_scoreboard(contest=contest, live=False)
    live = contest_scoreboard(contest=contest, live=True)
    ann_public = next(r for r in public.rows if r.user_id == world.ann.id)
    ann_live = next(r for r in live.rows if r.user_id == world.ann.id)
    assert early.contest_id == contest.id
    assert (ann_public.solved, ann_public.cells[0].state) == (0, "pending")
    assert (ann_live.solved, ann_live.cells[0].state) == (1, "solved")
    participant_page = _client(world.bob).get(_url("scoreboard", contest)).content.decode()
    staff_page = _client(world.staff).get(_url("scoreboard", contest)).content.decode()
    assert "The scoreboard is frozen" in participant_page
    assert participant_page.count("board-cell cell-solved") == 1  # Bob's early solve only
    assert staff_page.count("board-cell cell-solved") == 2


def test_unfreeze_only_by_staff_and_only_after_the_end(world, engine, judge_queued):
    contest = contest_make(world, started_minutes_ago=100, minutes=120, freeze_minutes=30)
    _submit(world.ann, contest)
    judge_queued()
    backdate(
        Submission.objects.get(user=world.ann), minutes_after_start=92
    )  # still inside when the end moves

    with pytest.raises(Exception, match="after the contest ends"):
        contest_unfreeze(user=world.staff, contest=contest)
    Contest.objects.filter(pk=contest.pk).update(end_at=timezone.now() - dt.timedelta(minutes=1))
    contest.refresh_from_db()
    assert _client(world.ann).post(_url("unfreeze", contest)).status_code == 403
    assert contest_scoreboard(contest=contest, live=False).rows[0].solved == 0
    assert _client(world.staff).post(_url("unfreeze", contest)).status_code == 302

    contest.refresh_from_db()
    assert contest.unfrozen_at is not None
    assert contest_scoreboard(contest=contest, live=False).rows[0].solved == 1


def test_after_the_end_submissions_are_practice(world, engine, judge_queued):
    contest = contest_make(world, started_minutes_ago=180, minutes=120)
    carol = MembershipFactory(tenant=world.tenant, user__username="carol").user

    response = _submit(carol, contest, "B", "ok")
    judge_queued()

    assert response.status_code == 302
    submission = Submission.objects.get(user=carol)
    assert submission.contest_id == contest.id and submission.verdict == Verdict.AC
    assert contest_scoreboard(contest=contest, live=True).rows == []
    assert contest_phase(user=carol, contest=contest) == Phase.PRACTICE
    assert "practice" in _client(carol).get(_url("submissions", contest)).content.decode()
    uninvited_practice = _client(carol).get(_url("problem", contest, "B"))
    assert uninvited_practice.status_code == 200


def test_a_problem_outside_the_contest_is_refused(world):
    contest = contest_make(world)
    ProblemFactory(code="not-in-it", tenant=world.tenant)

    with pytest.raises(SubmissionRejected, match="not part of the contest"):
        contest_submission_create(
            user=world.ann, contest=contest, problem_code="not-in-it", language="python", source="ok"
        )


def test_staff_rejudge_recomputes_the_board(world, engine, judge_queued, queued_tasks):
    contest = contest_make(world)
    _submit(world.ann, contest, "A", "wrong")
    judge_queued()
    assert contest_scoreboard(contest=contest, live=True).rows[0].solved == 0
    Submission.objects.filter(user=world.ann).update(source="ok")  # pretend the tests were fixed

    assert _client(world.ann).post(_url("rejudge", contest)).status_code == 403
    assert contest_rejudge(user=world.staff, contest=contest) == 1
    assert contest_scoreboard(contest=contest, live=True).rows[0].cells[0].state == "pending"
    judge_queued()

    assert contest_scoreboard(contest=contest, live=True).rows[0].solved == 1
    assert Submission.objects.get(user=world.ann).previous_verdict == Verdict.WA


# --- personal windows ---


def test_personal_windows(world, engine, judge_queued):
    contest = contest_make(
        world, started_minutes_ago=300, minutes=600, timing=Contest.Timing.WINDOW, window_minutes=90
    )

    assert contest_phase(user=world.ann, contest=contest) == Phase.READY
    assert _client(world.ann).get(_url("problem", contest, "A")).status_code == 404
    assert _submit(world.ann, contest).status_code == 404
    with pytest.raises(SubmissionRejected, match="Start your contest window first"):
        contest_submission_create(
            user=world.ann, contest=contest, problem_code="contest-a", language="python", source="ok"
        )
    assert _client(world.ann).post(_url("start", contest)).status_code == 302
    assert contest_phase(user=world.ann, contest=contest) == Phase.RUNNING
    with pytest.raises(Exception, match="already started"):
        contest_window_start(user=world.ann, contest=contest)
    participant = ContestParticipant.objects.get(contest=contest, user=world.ann)
    ContestParticipant.objects.filter(pk=participant.pk).update(
        started_at=participant.started_at - dt.timedelta(minutes=30)
    )
    assert _submit(world.ann, contest).status_code == 302
    judge_queued()

    row = contest_scoreboard(contest=contest, live=True).rows[0]
    assert (row.user_id, row.solved, row.penalty) == (world.ann.id, 1, 30)  # minutes since *her* start
    ContestParticipant.objects.filter(pk=participant.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=91)
    )
    assert contest_phase(user=world.ann, contest=contest) == Phase.WINDOW_OVER
    assert _submit(world.ann, contest).status_code == 403
    assert _client(world.bob).get(_url("detail", contest)).content.decode().count("Start my window") == 1


def test_a_window_cannot_outlast_the_contest(world):
    contest = contest_make(
        world, started_minutes_ago=50, minutes=60, timing=Contest.Timing.WINDOW, window_minutes=90
    )

    participant = contest_window_start(user=world.ann, contest=contest)

    assert contest_window(contest=contest, participant=participant)[1] == contest.end_at


# --- clarifications ---


def test_clarifications_private_and_public_answers(world):
    contest = contest_make(world)
    ann = _client(world.ann)

    assert (
        ann.post(_url("clarification_ask", contest), {"problem": "A", "question": "Is n > 0?"}).status_code
        == 302
    )
    question = Clarification.objects.get()
    answer_url = _url("clarification_answer", contest, question.id)
    assert _client(world.bob).post(answer_url, {"answer": "no"}).status_code == 404
    assert _client(world.staff).post(answer_url, {"answer": "Yes, always."}).status_code == 302

    assert "Yes, always." in ann.get(_url("clarifications", contest)).content.decode()
    assert "Is n &gt; 0?" not in _client(world.bob).get(_url("clarifications", contest)).content.decode()
    _client(world.staff).post(answer_url, {"answer": "Yes, always.", "public": "on"})
    bob_page = _client(world.bob).get(_url("clarifications", contest)).content.decode()
    assert "Is n &gt; 0?" in bob_page and "Yes, always." in bob_page
    article = bob_page.split(f'id="clar-{question.id}"', 1)[1].split("</article>", 1)[0]
    assert "ann" not in article and "You asked" not in article  # the asker stays anonymous
