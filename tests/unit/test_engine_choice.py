"""Which engine runs boxes when none is named: OciEngine where this host can run it, else DockerEngine,
and `python -m sandbox check` says which and why."""

import pytest

import sandbox.engines.oci.engine as oci_engine
from sandbox import __main__ as cli
from sandbox.engines import DOCKER_ENGINE, OCI_ENGINE, engine_choice


@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv("SANDBOX_ENGINE", raising=False)


def _usable(monkeypatch, answer: tuple[bool, str]):
    monkeypatch.setattr(oci_engine, "oci_usable", lambda: answer)
    monkeypatch.setattr("sandbox.engines.oci.oci_usable", lambda: answer)


def test_the_oci_engine_where_it_is_usable(unset, monkeypatch):
    _usable(monkeypatch, (True, "runc 1.1.5, cgroup v2"))

    path, why = engine_choice()

    assert path == OCI_ENGINE
    assert "the default" in why


def test_docker_where_it_is_not_and_the_reason_is_given(unset, monkeypatch):
    _usable(monkeypatch, (False, "neither runc nor crun is installed (apt install runc)"))

    path, why = engine_choice()

    assert path == DOCKER_ENGINE
    assert "neither runc nor crun is installed" in why


def test_the_environment_wins(monkeypatch):
    monkeypatch.setenv("SANDBOX_ENGINE", DOCKER_ENGINE)
    _usable(monkeypatch, (True, "runc 1.1.5, cgroup v2"))

    assert engine_choice() == (DOCKER_ENGINE, "set by SANDBOX_ENGINE")


@pytest.mark.parametrize(
    ("euid", "writable", "expected"),
    [
        (1000, True, "needs root"),
        (0, False, "is not writable"),
        (0, True, None),
    ],
)
def test_usable_needs_root_and_writable_cgroups(monkeypatch, euid, writable, expected):
    monkeypatch.setattr(oci_engine, "runtime_pick", lambda: ("/usr/bin/runc", "runc 1.1.5, cgroup v2"))
    monkeypatch.setattr(oci_engine.os, "geteuid", lambda: euid)
    monkeypatch.setattr(oci_engine.os, "access", lambda path, mode: writable)

    usable, why = oci_engine.oci_usable()

    assert usable is (expected is None)
    assert expected is None or expected in why


def test_check_names_the_engine_and_why(unset, monkeypatch):
    _usable(monkeypatch, (False, "neither runc nor crun is installed (apt install runc)"))

    line = cli._engine_line()

    assert line.startswith("engine: DockerEngine")
    assert "OciEngine is not usable here: neither runc nor crun is installed" in line
