"""Sending to channel-layer groups, and the group of one login session's sockets.

A dead channel layer must never break judging, so failures are logged and dropped.
"""

import hashlib
import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def group_send_safe(group: str, message: dict) -> None:
    """Send to a channel-layer group; a failure is logged, never raised."""
    sends_safe([(group, message)])


def sends_safe(sends: Iterable[tuple[str, dict]]) -> None:
    """Send each (group, message) in one trip into an event loop: from sync code each trip starts a
    thread, and a judging sends some fifty updates. A failure is logged, never raised, and does not
    keep the other messages from their groups."""
    sends = list(sends)

    async def send_all() -> None:
        layer = get_channel_layer()
        for group, message in sends:
            try:
                await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - live updates are best effort; the page catches up on reload
                log.warning("could not publish to %s", group, exc_info=True)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - as above: no layer at all
        log.warning("could not publish to %s", ", ".join(group for group, _ in sends), exc_info=True)


def session_group(session_key: str) -> str:
    """Every socket opened under one login session; the key itself never becomes a group name."""
    return "session-" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def session_logged_out(sender, request, user, **kwargs) -> None:
    """Auth's user_logged_out: close that session's sockets now (they re-check access anyway)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        group_send_safe(session_group(key), {"type": "session.ended"})
