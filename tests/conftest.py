"""Shared fixtures. Tests never reach the network, the Celery broker or a developer's running worker."""

import os

import docker
import pytest

from tests.factories import (
    MembershipFactory,
    ProblemFactory,
    SubmissionFactory,
    TenantFactory,
    TestCaseFactory,
    UserFactory,
)

# No worker runs in this process: submitting must not be refused for want of one (test_fail_fast turns
# the check on in-process). Also for the manage.py subprocesses some tests start.
os.environ.setdefault("JUDGE_REQUIRE_LIVE_WORKER", "false")

__all__ = [
    "MembershipFactory",
    "ProblemFactory",
    "SubmissionFactory",
    "TenantFactory",
    "TestCaseFactory",
    "UserFactory",
]


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
    settings.JUDGE_REQUIRE_LIVE_WORKER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JUDGE_AUDIT_SIGNING_KEY = b""  # each test signs with a key of its own, made on first use
    settings.JUDGE_AUDIT_KEY_FILE = tmp_path / "audit-signing-key"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # rate-limit counters must not leak from one test into the next
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def queued_tasks(monkeypatch):
    """Judging requests are recorded, not sent: a test judges explicitly with `judge_queued()`."""
    sent: list[int] = []
    from judge.submissions import dispatch

    monkeypatch.setattr(dispatch, "judging_request", lambda *, submission_id: sent.append(submission_id))
    return sent


@pytest.fixture
def judge_queued():
    """Judge every queued submission now, the way a worker would (claim fairly, then judge)."""
    from judge.judging.queue import submission_claim_next
    from judge.judging.services import submission_judge

    def run() -> list:
        judged = []
        while (submission := submission_claim_next()) is not None:
            judged.append(submission_judge(submission=submission))
        return judged

    return run


def _docker_ready() -> bool:
    try:
        docker.from_env(timeout=5).ping()
        return True
    except docker.errors.DockerException:
        return False


def pytest_collection_modifyitems(config, items):
    """Tests marked `docker` need the real engine. CI always has it; a missing engine fails them loudly,
    unless OJ_ALLOW_NO_DOCKER=1 (a laptop without Docker) turns that into a skip."""
    if not any(item.get_closest_marker("docker") for item in items) or _docker_ready():
        return
    if os.environ.get("OJ_ALLOW_NO_DOCKER") == "1":
        skip = pytest.mark.skip(reason="no Docker engine and OJ_ALLOW_NO_DOCKER=1")
        for item in items:
            if item.get_closest_marker("docker"):
                item.add_marker(skip)
        return
    raise pytest.UsageError("Docker engine unreachable: run `bash scripts/docker-engine.sh` (or `make test`)")
