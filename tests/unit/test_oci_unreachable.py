"""OciEngine.unreachable(): why no box can be made now, asked after every failed judging (an answer gives
the submission back to the queue instead of an internal error) and at every heartbeat. The runtime here is
a fake: a shell script that answers `--version` and fails `create` when told, or a path with nothing."""

import os
import stat
import time

import docker.errors
import pytest

import sandbox.engines.oci.engine as oci_engine
from sandbox.engines.oci import OciEngine
from sandbox.engines.oci import health as health_module
from sandbox.engines.oci.box import Box, _runtime_create, box_destroy
from sandbox.engines.oci.health import Failures
from sandbox.errors import EngineUnavailable, SandboxError

RUNTIME = """#!/bin/sh
case " $* " in
  *" --version "*)
    [ -e "$0.dead" ] && { echo "cannot execute binary file" >&2; exit 126; }
    echo "runc version 9.9";;
  *" create "*)
    [ -e "$0.failing" ] && { echo "mkdir /run/ojudge-oci: no space left on device" >&2; exit 1; };;
esac
exit 0
"""


class DockerAway:
    class images:  # noqa: N801 - the shape of docker.DockerClient.images
        @staticmethod
        def get(image):
            raise docker.errors.DockerException("connection refused")


@pytest.fixture
def runtime(tmp_path):
    fake = tmp_path / "bin" / "runc"
    fake.parent.mkdir()
    fake.write_text(RUNTIME)
    fake.chmod(0o755)
    return fake


@pytest.fixture
def engine(tmp_path, runtime, monkeypatch):
    monkeypatch.setattr(oci_engine, "oci_usable", lambda: (True, "runc 9.9, cgroup v2"))
    engine = OciEngine(client=DockerAway(), state_dir=tmp_path / "state", cache_dir=tmp_path / "cache")
    engine.runtime = str(runtime)
    return engine


def _create(engine, tmp_path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir(exist_ok=True)
    _runtime_create(engine, Box(f"ojoci-{os.getpid()}-ab", bundle, cgroup=None))


def test_a_working_runtime_with_writable_dirs_is_reachable(engine):
    assert engine.unreachable() == ""  # nothing made yet: the dirs can still be made


def test_a_host_that_cannot_run_the_engine_is_unreachable(engine, monkeypatch):
    monkeypatch.setattr(oci_engine, "oci_usable", lambda: (False, "neither runc nor crun is installed"))
    assert engine.unreachable() == "OciEngine unusable: neither runc nor crun is installed"


def test_a_runtime_binary_that_is_gone_is_unreachable(engine, runtime):
    runtime.unlink()
    assert "is gone or not executable" in engine.unreachable()


def test_a_runtime_binary_that_is_not_executable_is_unreachable(engine, runtime):
    runtime.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if os.access(runtime, os.X_OK):  # root may execute a file any execute bit is set on, and none is
        pytest.skip("this user may execute any file")
    assert "is gone or not executable" in engine.unreachable()


def test_a_runtime_that_fails_to_run_at_all_is_unreachable(engine, runtime):
    runtime.with_name("runc.dead").touch()
    problem = engine.unreachable()
    assert "`--version` exits 126" in problem and "cannot execute binary file" in problem


def test_a_state_dir_that_cannot_be_written_is_unreachable(engine, monkeypatch):
    """As root only a read-only or immutable file system refuses a write: stand in for one."""
    refused = engine.state_dir.parent
    real = os.access
    monkeypatch.setattr(health_module.os, "access", lambda path, mode: path != refused and real(path, mode))
    assert engine.unreachable() == f"{refused} is not writable (to make {engine.state_dir / 'runtime'})"


def test_a_create_the_runtime_fails_is_an_outage_until_a_create_works(engine, runtime, tmp_path):
    runtime.with_name("runc.failing").touch()
    with pytest.raises(SandboxError, match="no space left on device"):
        _create(engine, tmp_path)
    problem = engine.unreachable()
    assert "could not create box" in problem and "(exit 1): mkdir /run/ojudge-oci: no space left" in problem

    runtime.with_name("runc.failing").unlink()
    _create(engine, tmp_path)
    assert engine.unreachable() == ""


class Cgroup:
    """A box's per-run cgroups, without the kernel: a process of the box is left until `leaves_after`
    removals (never, by default), or until a kill if `killable`."""

    def __init__(self, alive: bool, leaves_after: int = -1, killable: bool = False):
        self.alive, self.leaves_after, self.killable = alive, leaves_after, killable

    def kill(self, wait: float = 2.0) -> int:
        was = self.alive
        self.alive = self.alive and not self.killable
        return int(was)

    def remove(self) -> None:
        self.leaves_after -= 1
        if self.leaves_after == 0:
            self.alive = False

    def remains(self) -> bool:
        return self.alive


def _made_box(engine, tmp_path, **cgroup) -> Box:
    box = Box(f"ojoci-{os.getpid()}-cd", tmp_path / "bundle-cd", cgroup=Cgroup(**cgroup))
    (engine.state_dir / "runtime" / box.id).mkdir(parents=True)
    box.bundle.mkdir()
    return box


def test_a_box_the_broken_runtime_cannot_delete_is_ended_through_its_cgroups(engine, runtime, tmp_path):
    runtime.write_text("#!/bin/sh\necho 'runc: broken' >&2\nexit 1\n")
    box = _made_box(engine, tmp_path, alive=True, killable=True)  # a spare never started: its init waits
    box_destroy(engine, box)
    assert not (engine.state_dir / "runtime" / box.id).exists() and not box.bundle.exists()


def test_a_box_neither_the_runtime_nor_a_kill_ends_is_left_whole_and_counts(engine, runtime, tmp_path):
    runtime.write_text("#!/bin/sh\necho 'runc: broken' >&2\nexit 1\n")
    box = _made_box(engine, tmp_path, alive=True)  # a process stuck in the kernel, say
    with pytest.raises(SandboxError, match="could not delete box"):
        box_destroy(engine, box)
    assert (engine.state_dir / "runtime" / box.id).exists() and box.bundle.exists()
    assert "could not delete box" in engine.unreachable()


def test_a_stopped_box_goes_even_when_the_runtime_refuses_to_delete_it(engine, runtime, tmp_path):
    """Its last process was leaving as the runtime was asked: all a delete does then is the state dir."""
    runtime.write_text('#!/bin/sh\necho delete >> "$0.asked"\nexit 1\n')
    box = _made_box(engine, tmp_path, alive=True, leaves_after=2)  # gone by the second look
    box_destroy(engine, box)
    assert runtime.with_name("runc.asked").read_text() == "delete\n"
    assert not (engine.state_dir / "runtime" / box.id).exists() and not box.bundle.exists()


def test_a_runtime_failure_counts_for_the_hold_only(monkeypatch):
    """Nothing makes a box while the engine counts as down: after the hold, a judging may try again."""
    now = [100.0]
    monkeypatch.setattr(health_module.time, "monotonic", lambda: now[0])
    failures = Failures(hold=5)
    failures.failed("runtime", "the runtime could not create box x (exit 1): boom")
    now[0] += 4.9
    assert failures.problem() == "the runtime could not create box x (exit 1): boom (4.9 s ago)"
    now[0] += 0.2
    assert failures.problem() == ""


def test_docker_away_for_an_image_not_exported_yet_is_an_outage(engine):
    with pytest.raises(EngineUnavailable):
        engine.rootfs("ojudge/python:latest")
    assert "cannot reach the Docker engine to look up ojudge/python:latest" in engine.unreachable()


def test_docker_away_for_an_image_exported_already_is_no_outage(engine, tmp_path):
    engine._images["ojudge/python:latest"] = (time.monotonic() - 3600, tmp_path / "cache" / "abc")
    assert engine.rootfs("ojudge/python:latest") == tmp_path / "cache" / "abc"
    assert engine.unreachable() == ""


def test_the_probe_makes_nothing(engine):
    engine.unreachable()
    assert not engine.state_dir.exists()
