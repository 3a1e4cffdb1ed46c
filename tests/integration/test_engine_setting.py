"""settings.SANDBOX_ENGINE decides which engine judges (it was read nowhere: the sandbox looked at the
environment on its own)."""

import pytest

import sandbox
from judge.judging.services import judging_engine
from sandbox.engines import engine_choice
from sandbox.engines.docker import DockerEngine
from tests.factories import SubmissionFactory
from tests.integration.fake_engine import FakeEngine, problem_with_tests


def test_the_setting_names_the_engine_the_judge_uses(settings):
    settings.SANDBOX_ENGINE = "tests.integration.fake_engine.FakeEngine"

    assert isinstance(judging_engine(), FakeEngine)


def test_docker_can_be_named(settings):
    settings.SANDBOX_ENGINE = "sandbox.engines.docker.DockerEngine"

    assert isinstance(judging_engine(), DockerEngine)


def test_unset_it_is_the_sandbox_default(settings, monkeypatch):
    settings.SANDBOX_ENGINE = ""
    monkeypatch.delenv("SANDBOX_ENGINE", raising=False)

    assert judging_engine() is sandbox.engine_get(engine_choice()[0])


@pytest.mark.django_db
def test_judging_goes_to_the_configured_engine(settings, judge_queued):
    settings.SANDBOX_ENGINE = "tests.integration.fake_engine.FakeEngine"
    engine = judging_engine()
    before = len(engine.requests)
    SubmissionFactory(problem=problem_with_tests(tests=[("1 2\n", True, "")]), source="ok")

    judge_queued()

    assert len(engine.requests) > before
