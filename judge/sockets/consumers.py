"""The base of every judge socket: check access on connect, then only relay events (STYLE rule 11).

Access is checked again while the socket lives: a socket closes at once when its session logs out, and
before relaying an event (at most every ACCESS_RECHECK_SECONDS) the consumer makes sure the session is
still the same user's and the user may still see what the socket shows; otherwise it closes.
"""

import time

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import JsonWebsocketConsumer

from judge.sockets.events import session_group
from judge.sockets.sessions import session_user_current

CLOSE_FORBIDDEN = 4403
ACCESS_RECHECK_SECONDS = 5.0
ACCESS_CHECKS_KEY = "access_checks"


class AccessChecks:
    """ASGI middleware that hands every socket the site-wide checks it must also pass (STYLE rule 1: the
    checks come from features this package may not import, wired together in judge/asgi.py)."""

    def __init__(self, app, *, checks):
        self.app = app
        self.checks = tuple(checks)

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, ACCESS_CHECKS_KEY: self.checks}, receive, send)


class SendOnlyConsumer(JsonWebsocketConsumer):
    """What every judge socket shares: it joins groups, relays their events, and reads nothing."""

    recheck_seconds = ACCESS_RECHECK_SECONDS

    def authorize(self) -> bool:
        """Whether `self.scope["user"]` may have this socket now; subclasses ask their access function."""
        return self.scope["user"].is_authenticated

    def _allowed(self) -> bool:
        """`authorize()` and every site-wide check the ASGI stack put in the scope (the contest lockdown)."""
        checks = self.scope.get(ACCESS_CHECKS_KEY, ())
        return self.authorize() and all(check(scope=self.scope) for check in checks)

    def connect(self):
        if not self._allowed():
            self.close(code=CLOSE_FORBIDDEN)
            return
        self._checked_at = time.monotonic()
        session_key = self.scope["session"].session_key if "session" in self.scope else None
        if session_key:
            self.join(session_group(session_key))
        self.opened()

    def opened(self) -> None:
        """Access was granted: join the socket's groups, accept, send a first snapshot."""
        raise NotImplementedError

    async def dispatch(self, message):
        if (
            not message["type"].startswith("websocket.")
            and not await database_sync_to_async(self._still_allowed)()
        ):
            return
        await super().dispatch(message)

    def _still_allowed(self) -> bool:
        if time.monotonic() - self._checked_at < self.recheck_seconds:
            return True
        self._checked_at = time.monotonic()
        user = session_user_current(scope=self.scope)
        self.scope["user"] = user
        if user.is_authenticated and self._allowed():
            return True
        self.close(code=CLOSE_FORBIDDEN)
        return False

    def join(self, group: str) -> None:
        async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.groups.append(group)

    def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Whatever arrives (JSON or not, text or bytes) gets the same polite answer; nothing is parsed.
        self.send_json({"type": "error", "message": "this socket only sends; nothing is read from it"})

    def session_ended(self, event):
        self.close(code=CLOSE_FORBIDDEN)

    def submission_update(self, event):
        self.send_json({"type": "update", "submission": event["submission"]})


class NotFoundConsumer(JsonWebsocketConsumer):
    """Any other `/ws/...` path: refused with 4404, instead of the router raising "No route found"."""

    close_code = 4404

    def connect(self):
        self.close(code=self.close_code)
