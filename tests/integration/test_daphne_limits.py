"""Body caps inside a real daphne process: refused as the headers arrive, before the body is buffered."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

MiB = 1024 * 1024
CAP = 1 * MiB
UPLOAD_CAP = 3 * MiB
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def daphne(tmp_path_factory):
    port = _free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "DEBUG": "false",
        "OJ_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "JUDGE_MAX_REQUEST_BYTES": str(CAP),
        "JUDGE_MAX_UPLOAD_BYTES": str(UPLOAD_CAP),
    }
    daphne_bin = Path(sys.executable).with_name("daphne")
    proc = subprocess.Popen(
        [str(daphne_bin), "-b", "127.0.0.1", "-p", str(port), "judge.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(TIMEOUT)


def _wait_until_listening(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "daphne exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("daphne did not start")


def _post(port: int, path: str, headers: str, body_chunks=()) -> bytes:
    """Send the headers, then as much body as the server takes; return the start of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:  # the server answered and closed mid-body: that is the point
            pass
        return sock.recv(4096)


def test_a_declared_150_mib_body_is_refused_before_it_is_sent(daphne):
    started = time.monotonic()

    answer = _post(daphne, "/accounts/login/", f"Content-Length: {150 * MiB}\r\n")  # and no body at all

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert time.monotonic() - started < 5


def test_a_chunked_body_reaches_django_until_it_passes_the_cap(daphne):
    chunk = b"%x\r\n%s\r\n" % (256 * 1024, b"x" * 256 * 1024)
    chunked = "Transfer-Encoding: chunked\r\n"

    small = _post(daphne, "/accounts/login/", chunked, [chunk, b"0\r\n\r\n"])
    large = _post(daphne, "/accounts/login/", chunked, [chunk] * 40)

    assert small.startswith(b"HTTP/1.1 403 ")  # Django's CSRF check answered: the app saw the request
    assert large.startswith(b"HTTP/1.1 413 ")


def test_the_api_413_is_json(daphne):
    answer = _post(daphne, "/api/submissions/", f"Content-Length: {CAP + 1}\r\n")

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"Content-Type: application/json" in answer


def test_the_upload_route_takes_more_than_the_default_cap(daphne):
    body = b"x" * (2 * MiB)
    length = f"Content-Length: {len(body)}\r\n"

    upload = _post(daphne, "/manage/problems/aplusb/tests/upload/", length, [body])
    other = _post(daphne, "/manage/problems/aplusb/edit/", length, [body])

    assert upload.startswith(b"HTTP/1.1 403 ")  # CSRF again: through to Django
    assert other.startswith(b"HTTP/1.1 413 ")
