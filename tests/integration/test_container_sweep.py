"""Leftover boxes (a create whose reply was cut off, a remove that failed) are removed by the sweep."""

import time

import docker
import pytest

from sandbox import LANGUAGES
from sandbox.engines.docker import DEADLINE_LABEL, RUN_LABEL, DockerEngine

pytestmark = pytest.mark.docker


@pytest.fixture
def made():
    client = docker.from_env(timeout=30)
    ids: list[str] = []

    def make(deadline: float) -> str:
        labels = {RUN_LABEL: "1", DEADLINE_LABEL: str(int(deadline))}
        container = client.containers.create(LANGUAGES["python"].image, command=["true"], labels=labels)
        ids.append(container.id)
        return container.id

    yield make
    for container_id in ids:
        try:
            client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass


def _exists(container_id: str) -> bool:
    try:
        docker.from_env(timeout=30).api.inspect_container(container_id)
    except docker.errors.NotFound:
        return False
    return True


def test_sweep_removes_boxes_past_their_deadline_and_keeps_live_ones(made):
    leftover, live = made(time.time() - 5), made(time.time() + 600)

    assert DockerEngine().sweep() >= 1

    assert not _exists(leftover)
    assert _exists(live)


def test_a_box_whose_remove_failed_goes_at_the_next_sweep(made):
    engine = DockerEngine()
    failed = made(time.time() + 600)
    engine._leftovers.add(failed)

    engine.sweep()

    assert not _exists(failed)
    assert not engine._leftovers


def test_every_run_carries_its_deadline():
    from sandbox import Limits, RunRequest
    from sandbox.cgroups import RunCgroup

    request = RunRequest(image="x", argv=("true",), limits=Limits(cpu_time=1.0))
    labels = DockerEngine().container_kwargs(request, RunCgroup(name="t", version=2))["labels"]

    assert float(labels[DEADLINE_LABEL]) > time.time() + request.limits.wall


def test_an_engine_that_refuses_is_unreachable_and_its_sweep_does_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'none.sock'}")
    refusing = DockerEngine()

    assert "cannot reach the Docker engine" in refusing.unreachable()
    assert refusing.sweep() == 0
    monkeypatch.undo()
    assert DockerEngine().unreachable() == ""
