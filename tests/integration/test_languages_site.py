"""Which languages the site offers: only those whose image is built (with the image's version), within a
contest's allowed list. The image lookup is replaced here; tests/integration/test_languages_real.py reads
the real labels."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judge.contests.forms import ContestForm
from judge.contests.models import Contest
from judge.contests.services import contest_submission_create
from judge.submissions import forms as submission_forms
from judge.submissions.errors import SubmissionRejected
from judge.submissions.forms import SubmissionForm
from sandbox import LANGUAGES, EngineUnavailable
from tests.factories import ProblemFactory, UserFactory
from tests.integration.contest_world import contest_make, world_make

pytestmark = pytest.mark.django_db

BUILT = {"python": "Python 3.11.2", "c": "gcc (Debian 12.2.0-14) 12.2.0"}


@pytest.fixture(autouse=True)
def _fast_submits(settings):
    settings.JUDGE_SUBMIT_RATE = "1000/m"
    cache.clear()


@pytest.fixture
def built(monkeypatch):
    versions = {key: BUILT.get(key, "") for key in LANGUAGES}
    monkeypatch.setattr(submission_forms, "language_versions", lambda **kw: dict(versions))
    return versions


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_lists_every_language_with_its_version_and_availability(built):
    response = Client().get("/api/languages/")

    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    assert list(rows) == list(LANGUAGES)
    assert rows["python"] == {
        "key": "python",
        "name": LANGUAGES["python"].name,
        "version": "Python 3.11.2",
        "available": True,
    }
    assert rows["haskell"]["available"] is False and rows["haskell"]["version"] == ""


def test_submit_form_offers_only_built_languages_with_versions(built):
    choices = dict(SubmissionForm().fields["language"].choices)

    assert set(choices) == {"python", "c"}
    assert choices["python"] == f"{LANGUAGES['python'].name} · Python 3.11.2"
    assert not SubmissionForm({"language": "haskell", "source": "main = pure ()"}).is_valid()


def test_without_docker_every_language_is_offered(monkeypatch):
    def unreachable(**kw):
        raise EngineUnavailable("no engine")

    monkeypatch.setattr(submission_forms, "language_versions", unreachable)
    assert set(dict(SubmissionForm().fields["language"].choices)) == set(LANGUAGES)


def test_api_refuses_a_language_whose_image_is_missing(built):
    problem = ProblemFactory()
    body = {"problem": problem.code, "language": "haskell", "source": "main = pure ()"}

    response = _client(UserFactory()).post("/api/submissions/", body, content_type="application/json")

    assert response.status_code == 400
    assert "not available" in response.json()["language"][0]


def test_contest_allows_only_its_languages(built):
    world = world_make()
    contest = contest_make(world, languages=["python"])
    code = world.problems[0].code

    with pytest.raises(SubmissionRejected, match="accepts only Python 3") as refused:
        contest_submission_create(
            user=world.ann, contest=contest, problem_code=code, language="c", source="x"
        )
    assert refused.value.field == "language"
    page = _client(world.ann).get(reverse("contests:problem", args=[contest.slug, "A"])).content.decode()
    assert 'value="python"' in page and 'value="c"' not in page


def test_contest_without_languages_allows_all(built):
    world = world_make()
    contest = contest_make(world)
    assert contest.languages == [] and contest.allows_language("c")


def test_contest_form_saves_the_allowed_languages(built):
    world = world_make()
    start = timezone.now() + dt.timedelta(days=1)
    form = {
        "tenant": world.tenant.id,
        "title": "Python Round",
        "slug": "python-round",
        "description": "",
        "format": "icpc",
        "timing": "fixed",
        "start_at": start.strftime("%Y-%m-%dT%H:%M"),
        "end_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "window_minutes": "",
        "freeze_minutes": "0",
        "problems": world.problems[0].code,
        "access": "tenant",
        "invitees": "",
        "languages": ["python", "pypy"],
    }

    response = _client(world.staff).post(reverse("contests:create"), form)

    assert response.status_code == 302, response.content.decode()[-2000:]
    contest = Contest.objects.get(slug="python-round")
    assert contest.languages == ["python", "pypy"]
    assert ContestForm.initial_for(contest)["languages"] == ["python", "pypy"]


def test_contest_refuses_unknown_languages():
    world = world_make()
    contest = contest_make(world)
    contest.languages = ["cobol"]
    with pytest.raises(ValidationError, match="Unknown languages: cobol"):
        contest.full_clean()
