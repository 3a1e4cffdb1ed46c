"""Request-body caps per route, enforced before the body is read (ASGI middleware; see daphne_limits too)."""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.urls import Resolver404, resolve

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[dict, Receive, Send], Awaitable[None]]

API_PREFIX = "/api/"


def request_body_cap(*, path: str) -> int:
    """The largest body a request to `path` may have: uploads get JUDGE_MAX_UPLOAD_BYTES, all else less."""
    try:
        match = resolve(path)
    except Resolver404:
        return settings.JUDGE_MAX_REQUEST_BYTES
    if match.view_name in settings.JUDGE_UPLOAD_URL_NAMES:
        return settings.JUDGE_MAX_UPLOAD_BYTES
    return settings.JUDGE_MAX_REQUEST_BYTES


def too_large_response(*, path: str, cap: int) -> tuple[bytes, bytes]:
    """The 413's content type and body: JSON under /api/, plain text elsewhere."""
    message = f"The request body is larger than this address accepts ({cap} bytes)."
    if path.startswith(API_PREFIX):
        return b"application/json", json.dumps({"detail": message}).encode()
    return b"text/plain; charset=utf-8", message.encode()


def declared_length(*, headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_too_large(send: Send, *, path: str, cap: int) -> None:
    content_type, body = too_large_response(path=path, cap=cap)
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": 413, "headers": headers + [(b"connection", b"close")]}
    )
    await send({"type": "http.response.body", "body": body})


class _CountedBody:
    """Counts the body as the app reads it; past the cap it answers 413 and the app sees a disconnect."""

    def __init__(self, receive: Receive, send: Send, *, path: str, cap: int):
        self._receive, self._send, self.path, self.cap = receive, send, path, cap
        self.received = 0
        self.refused = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.cap:
                self.refused = True
                await _send_too_large(self._send, path=self.path, cap=self.cap)
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if not self.refused:  # the 413 is the whole answer
            await self._send(message)


class BodySizeLimitMiddleware:
    """A declared Content-Length over the route's cap is a 413 at once; a streamed body is cut off at it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = request_body_cap(path=scope["path"])
        length = declared_length(headers=scope.get("headers", []))
        if length is not None and length > cap:
            await _send_too_large(send, path=scope["path"], cap=cap)
            return
        body = _CountedBody(receive, send, path=scope["path"], cap=cap)
        await self.app(scope, body.receive, body.send)
