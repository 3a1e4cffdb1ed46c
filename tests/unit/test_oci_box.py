"""The OCI engine's box helpers that need no runtime: waiting on a runtime command, starting a box
through its exec fifo."""

import os
import sys
import threading
import time

import pytest

from sandbox.engines.oci import box as box_module
from sandbox.engines.oci.box import Box, _fifo_start, runtime_call
from sandbox.errors import SandboxError


def test_runtime_call_returns_the_exit_code_as_soon_as_it_ends():
    began = time.monotonic()
    assert runtime_call([sys.executable, "-c", "import sys; sys.exit(3)"]) == 3
    assert time.monotonic() - began < 5


def test_runtime_call_kills_a_command_that_hangs(monkeypatch):
    monkeypatch.setattr(box_module, "RUNTIME_TIMEOUT", 0.2)
    began = time.monotonic()
    assert runtime_call(["sleep", "30"]) == -9
    assert time.monotonic() - began < 5


def _box(tmp_path) -> Box:
    return Box("ojoci-1-ab", tmp_path, cgroup=None)


def _init_writes(fifo, payload: bytes) -> threading.Thread:
    def init() -> None:  # what runc's init does: open the fifo for writing (blocks for a reader), write
        fd = os.open(fifo, os.O_WRONLY)
        os.write(fd, payload)
        os.close(fd)

    thread = threading.Thread(target=init, daemon=True)
    thread.start()
    return thread


def test_a_box_starts_when_its_init_writes_the_fifo(tmp_path):
    fifo = tmp_path / "exec.fifo"
    os.mkfifo(fifo)
    thread = _init_writes(fifo, b"0")
    _fifo_start(_box(tmp_path), fifo)
    thread.join(5)
    assert not fifo.exists()  # as `runc start` leaves it: the container now counts as running


def test_a_box_whose_init_says_something_else_does_not_start(tmp_path):
    fifo = tmp_path / "exec.fifo"
    os.mkfifo(fifo)
    _init_writes(fifo, b"x")
    with pytest.raises(SandboxError, match="did not start"):
        _fifo_start(_box(tmp_path), fifo)


def test_a_box_whose_init_is_gone_fails_within_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(box_module, "RUNTIME_TIMEOUT", 0.2)
    fifo = tmp_path / "exec.fifo"
    os.mkfifo(fifo)
    with pytest.raises(SandboxError, match="init is gone"):
        _fifo_start(_box(tmp_path), fifo)
