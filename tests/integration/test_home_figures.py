"""The home page shows the viewer's own figures, never site-wide totals (which leaked other courses'
activity and, during a scoreboard freeze, the hidden verdicts through an "Accepted" count)."""

import re

import pytest

from judge.submissions.models import Submission, Verdict
from tests.factories import ProblemFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _figures(client) -> dict[str, str]:
    body = client.get("/").content.decode()
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", body))


def _done(**fields) -> Submission:
    return SubmissionFactory(status=Submission.Status.DONE, **fields)


def test_visitors_see_no_counters(client):
    _done(verdict=Verdict.AC)

    body = client.get("/").content.decode()

    assert "Accepted" not in body and "Submissions</dt>" not in body


def test_other_peoples_verdicts_do_not_move_my_figures(client):
    me, problem = UserFactory(), ProblemFactory()
    _done(user=me, problem=problem, verdict=Verdict.WA)
    client.force_login(me)
    before = _figures(client)

    for _ in range(3):
        _done(problem=problem, verdict=Verdict.AC)  # someone else, maybe during a freeze
    after = _figures(client)

    assert before == after
    assert after["Your submissions"] == "1" and after["Problems you solved"] == "0"


def test_my_solved_count_counts_problems_once(client):
    me, problem = UserFactory(), ProblemFactory()
    _done(user=me, problem=problem, verdict=Verdict.AC)
    _done(user=me, problem=problem, verdict=Verdict.AC)
    client.force_login(me)

    figures = _figures(client)
    assert figures["Your submissions"] == "2" and figures["Problems you solved"] == "1"
