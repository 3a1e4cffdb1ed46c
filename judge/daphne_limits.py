"""Body caps inside daphne itself. Twisted buffers a whole request body (in memory when it is chunked) and
daphne then queues all of it for the app at once, so an ASGI middleware alone cannot keep a 150 MiB POST
out of memory. `install()` makes daphne build `LimitedWebRequest`s, which answer 413 and close as soon as
the headers declare too much or a chunked body passes the cap, and drop whatever else arrives.
"""

from urllib.parse import unquote, urlsplit

from daphne import http_protocol

from judge.http_limits import request_body_cap, too_large_response

_HEAD_413 = (
    b"HTTP/1.1 413 Content Too Large\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
)


def _status_413(*, path: str, cap: int) -> bytes:
    content_type, body = too_large_response(path=path, cap=cap)
    return _HEAD_413 % (content_type, len(body)) + body


def _request_path(target: bytes) -> str:
    return unquote(urlsplit(target.decode("latin-1")).path) or "/"


class LimitedWebRequest(http_protocol.WebRequest):
    refused = False

    def gotLength(self, length):
        # Called once the headers are in and before any body; the request line is all Twisted has parsed.
        self.body_path = _request_path(self.channel._path)
        self.body_cap = request_body_cap(path=self.body_path)
        self.body_seen = 0
        if length is not None and length > self.body_cap:
            self.refuse()
        super().gotLength(0 if self.refused else length)  # 0: a small in-memory file, never written

    def handleContentChunk(self, data):
        self.body_seen += len(data)
        if not self.refused and self.body_seen > self.body_cap:
            self.refuse()
        if not self.refused:
            super().handleContentChunk(data)

    def refuse(self):
        self.refused = True
        self.requestHeaders.removeHeader(b"Expect")  # no "100 Continue" after the 413
        self.channel.transport.write(_status_413(path=self.body_path, cap=self.body_cap))
        self.channel.loseConnection()

    def process(self):
        if not self.refused:  # a refused request never reaches the application
            return super().process()


def install() -> None:
    """Daphne's HTTP factory looks `WebRequest` up on every new connection, so this takes effect at once."""
    http_protocol.WebRequest = LimitedWebRequest
