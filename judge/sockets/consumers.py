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


class SendOnlyConsumer(JsonWebsocketConsumer):
    """What every judge socket shares: it joins groups, relays their events, and reads nothing."""

    recheck_seconds = ACCESS_RECHECK_SECONDS

    def authorize(self) -> bool:
        """Whether `self.scope["user"]` may have this socket now; subclasses ask their access function."""
        return self.scope["user"].is_authenticated

    def connect(self):
        if not self.authorize():
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
        if user.is_authenticated and self.authorize():
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
