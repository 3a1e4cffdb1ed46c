"""Finding problems (search, solve counts, acceptance) and filtering "My submissions"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judge.submissions.models import Submission, Verdict
from tests.factories import ProblemFactory, SubmissionFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db


def _done(**fields) -> Submission:
    return SubmissionFactory(status=Submission.Status.DONE, **fields)


def test_search_by_title_or_code(client):
    ProblemFactory(code="sum-two", title="Add them")
    ProblemFactory(code="maze", title="Shortest Path")

    by_title = client.get(reverse("problems:list"), {"q": "shortest"})
    by_code = client.get(reverse("problems:list"), {"q": "SUM"})
    nothing = client.get(reverse("problems:list"), {"q": "zebra"})

    assert [p.code for p in by_title.context["problems"]] == ["maze"]
    assert [p.code for p in by_code.context["problems"]] == ["sum-two"]
    assert 'value="SUM"' in by_code.content.decode()
    assert "No problem matches" in nothing.content.decode()


def test_list_shows_solvers_and_acceptance_in_one_query(client):
    problem = ProblemFactory(code="aaa")
    ProblemFactory(code="bbb")
    ann, bob = UserFactory(), UserFactory()
    _done(user=ann, problem=problem, verdict=Verdict.WA)
    _done(user=ann, problem=problem, verdict=Verdict.AC)
    _done(user=ann, problem=problem, verdict=Verdict.AC)
    _done(user=bob, problem=problem, verdict=Verdict.WA)
    SubmissionFactory(user=bob, problem=problem)  # still queued: not judged, not counted

    response = client.get(reverse("problems:list"))
    body = response.content.decode()

    assert '<td class="num solvers-cell">1</td>' in body  # ann, once
    assert '<td class="num hide-sm rate-cell">50%</td>' in body  # 2 of 4 judged
    assert '<td class="num solvers-cell">0</td>' in body and "—" in body  # bbb: never judged
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("problems:list"))
    for _ in range(5):
        _done(user=UserFactory(), problem=ProblemFactory(), verdict=Verdict.AC)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("problems:list"))
    assert len(many) == len(few)  # no query per problem


def test_contest_submissions_stay_out_of_the_list_figures(client):
    world = world_make()
    contest = contest_make(world)
    public = world.problems[0]
    public.visibility = public.Visibility.PUBLIC
    public.save(update_fields=["visibility"])
    _done(user=world.ann, problem=public, contest=contest, verdict=Verdict.AC)  # maybe frozen

    body = client.get(reverse("problems:list")).content.decode()

    assert '<td class="num solvers-cell">0</td>' in body


def test_my_submissions_filter_by_problem_verdict_and_language(client):
    me = UserFactory()
    sum_two, maze = ProblemFactory(code="sum-two"), ProblemFactory(code="maze")
    wanted = _done(user=me, problem=sum_two, verdict=Verdict.WA, language="python")
    _done(user=me, problem=sum_two, verdict=Verdict.AC, language="python")
    _done(user=me, problem=sum_two, verdict=Verdict.WA, language="cpp")
    _done(user=me, problem=maze, verdict=Verdict.WA, language="python")
    client.force_login(me)
    url = reverse("judge:submission_list")

    response = client.get(url, {"problem": "sum-two", "verdict": "WA", "language": "python"})

    assert [s.id for s in response.context["page_obj"]] == [wanted.id]
    body = response.content.decode()
    assert '<option value="sum-two" selected>' in body and '<option value="maze">' in body
    assert client.get(url).context["page_obj"].paginator.count == 4
    assert client.get(url, {"verdict": "bogus"}).context["page_obj"].paginator.count == 4
    assert "No submissions match" in client.get(url, {"verdict": "TLE"}).content.decode()


def test_filters_are_kept_across_pages(client):
    me = UserFactory()
    problem = ProblemFactory()
    for _ in range(26):
        _done(user=me, problem=problem, verdict=Verdict.WA, language="python")
    client.force_login(me)

    body = client.get(reverse("judge:submission_list"), {"verdict": "WA"}).content.decode()

    assert 'href="?verdict=WA&amp;page=2"' in body
