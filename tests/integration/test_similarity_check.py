"""Similarity checks: a problem's or a contest's final submissions compared in a worker, for that school's
staff only; a renamed copy is flagged and shown side by side, escaped; honest solutions are not."""

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from judge.similarity import services
from judge.similarity.models import SimilarityCheck
from judge.similarity.selectors import similarity_finals
from judge.submissions.models import Submission
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db
PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "similarity"


def _source(name: str) -> str:
    return (PROGRAMS / name).read_text()


@pytest.fixture
def sent(monkeypatch):
    """The worker, run in place of the broker message (the task only calls the service)."""
    calls = []

    def send_task(name, args):
        calls.append(name)
        services.similarity_check_run(check_id=args[0])

    monkeypatch.setattr(services.app, "send_task", send_task)
    return calls


@pytest.fixture
def world():
    return world_make()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit(user, problem, name: str, language: str, **fields) -> Submission:
    return SubmissionFactory(user=user, problem=problem, language=language, source=_source(name), **fields)


def _start(user, django_capture_on_commit_callbacks, **form):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(user).post(reverse("similarity:start"), form)
    return response


@pytest.mark.parametrize(("ext", "languages"), [("cpp", ("cpp", "cpp")), ("py", ("python", "pypy"))])
def test_a_copy_is_flagged_and_independent_solutions_are_not(
    world, sent, django_capture_on_commit_callbacks, ext, languages
):
    problem = world.problems[0]
    carl = MembershipFactory(tenant=world.tenant, user__username="carl").user
    _submit(world.ann, problem, "independent.cpp" if ext == "py" else "independent.py", "cpp")  # not final
    original = _submit(world.ann, problem, f"original.{ext}", languages[0], score=1)
    copy = _submit(world.bob, problem, f"copy.{ext}", languages[1], score=1)  # PyPy is compared with Python
    _submit(carl, problem, f"independent.{ext}", languages[0])

    response = _start(world.staff, django_capture_on_commit_callbacks, problem=problem.code)

    check = SimilarityCheck.objects.get()
    assert sent == [services.CHECK_TASK]
    assert response.url == reverse("similarity:detail", args=[check.id])
    assert check.status == SimilarityCheck.Status.DONE and check.progress == 1.0
    assert [(p["a"], p["b"]) for p in check.pairs] == [(original.id, copy.id)]
    assert check.pairs[0]["score"] >= 0.9
    assert check.submissions_compared == 3 and check.pairs_total == 3
    page = _client(world.staff).get(response.url).content.decode()
    assert "ann" in page and "bob" in page and "carl" not in page


def test_finals_are_each_users_best_per_problem(world):
    problem = world.problems[0]
    best = SubmissionFactory(user=world.ann, problem=problem, score=1)
    SubmissionFactory(user=world.ann, problem=problem, score=0)  # later, worse
    latest = SubmissionFactory(user=world.bob, problem=problem, score=0)
    SubmissionFactory(user=world.bob, problem=problem, score=0, kind=Submission.Kind.REFERENCE)
    SubmissionFactory(user=world.staff, problem=problem, source="x" * 70_000)  # too large: skipped

    finals, skipped = similarity_finals(problem=problem)

    assert sorted(f.id for f in finals) == sorted([best.id, latest.id]) and skipped == 1


def test_a_contest_check_and_the_side_by_side_view_escapes_sources(
    world, sent, django_capture_on_commit_callbacks
):
    contest = contest_make(world)
    problem = world.problems[1]
    html = "\n# <script>alert(1)</script>\n"
    a = _submit(world.ann, problem, "original.py", "python", contest=contest)
    Submission.objects.filter(pk=a.pk).update(source=a.source + html)
    b = _submit(world.bob, problem, "copy.py", "python", contest=contest)
    _submit(world.bob, world.problems[0], "copy.py", "python")  # not a contest submission

    _start(world.staff, django_capture_on_commit_callbacks, contest=contest.slug)
    check = SimilarityCheck.objects.get()
    assert [(p["a"], p["b"]) for p in check.pairs] == [(a.id, b.id)]

    body = _client(world.staff).get(reverse("similarity:pair", args=[check.id, a.id, b.id])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert body.count("similarity-match") >= 15  # most of both programs is marked
    status = _client(world.staff).get(reverse("similarity:status", args=[check.id])).json()
    assert status["finished"] and status["progress"] == 1.0


def test_only_staff_of_the_school_start_or_read_a_check(world, sent, django_capture_on_commit_callbacks):
    problem = world.problems[0]
    contest = contest_make(world, started_minutes_ago=600)
    other_staff = MembershipFactory(role=Membership.Role.INSTRUCTOR, user__username="rival").user
    check = SimilarityCheck.objects.create(tenant=world.tenant, problem=problem, status="done")
    urls = [
        reverse("similarity:detail", args=[check.id]),
        reverse("similarity:status", args=[check.id]),
        reverse("similarity:pair", args=[check.id, 1, 2]),
    ]
    for user in (other_staff, world.ann):
        assert _start(user, django_capture_on_commit_callbacks, problem=problem.code).status_code == 404
        assert _start(user, django_capture_on_commit_callbacks, contest=contest.slug).status_code == 404
        for url in urls:
            assert _client(user).get(url).status_code == 404
    assert _client(world.ann).get(reverse("similarity:list")).status_code == 404
    for url in [*urls, reverse("similarity:list")]:
        assert Client().get(url).status_code == 302  # to the login page
    assert SimilarityCheck.objects.count() == 1 and sent == []
    assert _client(world.staff).get(urls[2]).status_code == 404  # a pair the check did not report
    assert check.id not in [c.id for c in _list_checks(other_staff)]


def _list_checks(user):
    return _client(user).get(reverse("similarity:list")).context["checks"]


def test_a_second_delivery_does_nothing(world):
    check = SimilarityCheck.objects.create(tenant=world.tenant, problem=ProblemFactory(tenant=world.tenant))
    services.similarity_check_run(check_id=check.id)
    check.refresh_from_db()
    finished = check.finished_at
    services.similarity_check_run(check_id=check.id)
    check.refresh_from_db()
    assert check.status == SimilarityCheck.Status.DONE and check.finished_at == finished


def test_unrelated_user_cannot_see_the_list(world):
    assert _client(UserFactory()).get(reverse("similarity:list")).status_code == 404


def test_the_list_page_offers_the_staffs_problems_and_contests(world):
    contest_make(world, started_minutes_ago=600)

    body = _client(world.staff).get(reverse("similarity:list")).content.decode()

    assert 'value="contest-a"' in body and 'value="spring-cup"' in body


def test_a_check_whose_worker_died_is_claimed_again(world, settings):
    check = SimilarityCheck.objects.create(
        tenant=world.tenant, problem=world.problems[0], status=SimilarityCheck.Status.RUNNING
    )
    SimilarityCheck.objects.filter(pk=check.pk).update(started_at=timezone.now())
    services.similarity_check_run(check_id=check.id)  # another worker is on it
    assert SimilarityCheck.objects.get(pk=check.pk).status == SimilarityCheck.Status.RUNNING

    past = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    SimilarityCheck.objects.filter(pk=check.pk).update(started_at=past)
    services.similarity_check_run(check_id=check.id)
    assert SimilarityCheck.objects.get(pk=check.pk).status == SimilarityCheck.Status.DONE
