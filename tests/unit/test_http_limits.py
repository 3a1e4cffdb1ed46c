"""The body-size middleware, called as a raw ASGI app: no server, no database."""

import json

import pytest
from asgiref.sync import async_to_sync

from judge.http_limits import BodySizeLimitMiddleware, request_body_cap

CAP = 1000
UPLOAD_CAP = 5000
UPLOAD = "/manage/problems/aplusb/tests/upload/"


@pytest.fixture(autouse=True)
def caps(settings):
    settings.JUDGE_MAX_REQUEST_BYTES = CAP
    settings.JUDGE_MAX_UPLOAD_BYTES = UPLOAD_CAP


class Echo:
    """An app that reads the whole body the way Django does, then answers 200 with its length."""

    def __init__(self):
        self.called = False
        self.saw: list[dict] = []

    async def __call__(self, scope, receive, send):
        self.called = True
        size = 0
        while True:
            message = await receive()
            self.saw.append(message)
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})


def _call(path: str, chunks: list[bytes], *, length: int | None = None):
    """Run the middleware; returns (inner app, messages sent to the client, how many chunks were read)."""
    app = Echo()
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    pending = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        read += 1
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async_to_sync(BodySizeLimitMiddleware(app))(scope, receive, send)
    return app, sent, read


def test_declared_length_over_the_cap_is_refused_before_any_body_is_read():
    app, sent, read = _call("/accounts/login/", [b"x" * (CAP + 1)], length=CAP + 1)

    assert sent[0]["status"] == 413
    assert (read, app.called) == (0, False)


def test_a_streamed_body_is_cut_off_as_soon_as_it_passes_the_cap():
    chunks = [b"x" * 400] * 10  # no Content-Length: chunked

    app, sent, read = _call("/accounts/login/", chunks)

    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [413]
    assert read == 3  # 1200 bytes > 1000: the other seven chunks are never read
    assert app.saw[-1] == {"type": "http.disconnect"}  # so Django stops, and its answer is not sent


def test_a_body_within_the_cap_reaches_the_app():
    app, sent, _ = _call("/accounts/login/", [b"x" * 600, b"x" * 400], length=CAP)

    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"1000"


def test_a_lying_content_length_is_still_counted():
    _, sent, read = _call("/accounts/login/", [b"x" * 800, b"x" * 800], length=10)

    assert sent[0]["status"] == 413
    assert read == 2


def test_the_test_data_upload_gets_the_upload_cap():
    _, sent, _ = _call(UPLOAD, [b"x" * 3000], length=3000)

    assert sent[0]["status"] == 200
    assert request_body_cap(path=UPLOAD) == UPLOAD_CAP
    assert request_body_cap(path="/manage/problems/aplusb/edit/") == CAP
    assert request_body_cap(path="/no/such/page/") == CAP


def test_the_api_gets_a_json_413_and_pages_a_plain_one():
    _, api, _ = _call("/api/submissions/", [], length=CAP + 1)
    _, page, _ = _call("/accounts/login/", [], length=CAP + 1)

    assert json.loads(api[1]["body"])["detail"].startswith("The request body is larger")
    assert (b"content-type", b"application/json") in api[0]["headers"]
    assert (b"content-type", b"text/plain; charset=utf-8") in page[0]["headers"]


def test_websockets_pass_through():
    app = Echo()

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        pass

    async_to_sync(BodySizeLimitMiddleware(app))({"type": "websocket", "path": "/ws/x/"}, receive, send)

    assert app.called
