"""Finding problems (search, solve counts, acceptance) and filtering "My submissions"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judge.submissions.models import Submission, Verdict
from problems.models import Problem
from tests.factories import MembershipFactory, ProblemFactory, SubmissionFactory, UserFactory
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


# ---------- tags and difficulty ----------


def _codes(response) -> list[str]:
    return [problem.code for problem in response.context["problems"]]


def test_filter_by_tag_and_difficulty_combined_with_search(client):
    ProblemFactory(code="maze", title="Maze", tags=["graphs", "bfs"], difficulty="medium")
    ProblemFactory(code="roads", title="Roads", tags=["graphs"], difficulty="hard")
    ProblemFactory(code="graphsum", title="Graph Sum", tags=["graphs-extra"], difficulty="medium")
    ProblemFactory(code="plain", title="Plain")
    url = reverse("problems:list")

    assert _codes(client.get(url, {"tag": "graphs"})) == ["maze", "roads"]  # not "graphs-extra"
    assert _codes(client.get(url, {"difficulty": "medium"})) == ["graphsum", "maze"]
    assert _codes(client.get(url, {"tag": "graphs", "difficulty": "hard"})) == ["roads"]
    assert _codes(client.get(url, {"tag": "graphs", "q": "MAZ"})) == ["maze"]
    nothing = client.get(url, {"tag": "bfs", "difficulty": "hard"})
    assert "No problem matches with the tag “bfs” rated hard" in nothing.content.decode()


def test_the_list_shows_tags_and_difficulty_as_chips_that_filter(client):
    ProblemFactory(code="maze", tags=["graphs", "c++"], difficulty="hard")

    body = client.get(reverse("problems:list")).content.decode()

    assert '<a class="pill pill-tag" href="/problems/?tag=graphs"' in body
    assert '<a class="pill pill-tag" href="/problems/?tag=c%2B%2B"' in body
    assert '<a class="pill pill-hard" href="/problems/?difficulty=hard"' in body
    assert '<option value="c++">c++</option>' in body


def test_bad_filters_get_a_clear_error_and_filter_nothing(client):
    ProblemFactory(code="maze", tags=["graphs"])
    ProblemFactory(code="plain")

    response = client.get(reverse("problems:list"), {"tag": "<b>x</b>", "difficulty": "impossible"})
    body = response.content.decode()

    assert response.status_code == 400
    assert "No problem you can see has the tag “&lt;b&gt;x&lt;/b&gt;”." in body
    assert "“impossible” is not a difficulty" in body
    assert "<b>x</b>" not in body
    assert _codes(response) == ["maze", "plain"]


def test_tags_of_problems_the_viewer_cannot_see_never_appear(client):
    other = ProblemFactory(code="secret", tags=["hidden-topic"], visibility="tenant")
    ProblemFactory(code="open", tags=["graphs"])
    member = MembershipFactory(tenant=other.tenant).user

    anonymous = client.get(reverse("problems:list"), {"tag": "hidden-topic"})
    client.force_login(member)
    seen_by_member = client.get(reverse("problems:list"), {"tag": "hidden-topic"})

    assert anonymous.status_code == 400 and _codes(anonymous) == ["open"]
    assert "hidden-topic" not in anonymous.content.decode().replace("“hidden-topic”", "")  # only the error
    assert _codes(seen_by_member) == ["secret"]
    assert '<option value="hidden-topic" selected>' in seen_by_member.content.decode()


def test_the_practice_page_shows_the_chips_and_a_contest_page_does_not(client):
    world = world_make()
    contest = contest_make(world)
    problem = world.problems[0]
    problem.tags, problem.difficulty, problem.visibility = ["greedy"], "hard", Problem.Visibility.PUBLIC
    problem.save(update_fields=["tags", "difficulty", "visibility"])

    practice = client.get(reverse("problems:detail", args=[problem.code])).content.decode()  # anonymous
    client.force_login(world.ann)  # in the running contest: locked out of the practice page, so second
    label = contest.contest_problems.get(problem=problem).label
    in_contest = client.get(reverse("contests:problem", args=[contest.slug, label])).content.decode()

    assert 'href="/problems/?tag=greedy"' in practice and "pill-hard" in practice
    assert "greedy" not in in_contest and "pill-hard" not in in_contest  # a tag is a hint
