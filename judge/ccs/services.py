"""Writes of the Contest API: staff make and revoke tokens; a used token is stamped; contest packages."""

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
import zipfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from judge.ccs import feed, objects
from judge.ccs.models import ApiToken
from judge.ccs.selectors import ccs_scoreboard
from judge.contests.models import Contest
from judge.contests.selectors import contest_is_participant, contest_is_staff

KEY_PREFIX = "ccs_"
LABEL_MAX = 100
TOUCH_EVERY = dt.timedelta(minutes=1)


class ApiDenied(Exception):
    """A request the Contest API refuses: `status` 401 (no or unknown token) or 404 (not this contest)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, contest: Contest, role: str, label: str, team_username: str = ""
) -> tuple[ApiToken, str]:
    """A new token and its key; the key is not stored and cannot be shown again."""
    if not contest_is_staff(user=user, contest=contest):
        raise PermissionDenied("Only staff of the contest make API tokens.")
    label = label.strip()
    if not label or len(label) > LABEL_MAX:
        raise ValidationError({"label": f"Name the token (at most {LABEL_MAX} characters)."})
    if role not in ApiToken.Role.values:
        raise ValidationError({"role": "Choose admin, public or team."})
    team = None
    if role == ApiToken.Role.TEAM:
        team = User.objects.filter(username__iexact=team_username.strip()).first()
        if team is None or not contest_is_participant(user=team, contest=contest):
            raise ValidationError(
                {"team": f"{team_username or 'Nobody'} is not a participant of this contest."}
            )
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        contest=contest,
        role=role,
        team=team,
        label=label,
        key_hash=_hash(key),
        prefix=key[:10],
        created_by=user,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, contest: Contest, token_id: int) -> None:
    if not contest_is_staff(user=user, contest=contest):
        raise PermissionDenied("Only staff of the contest revoke API tokens.")
    contest.api_tokens.filter(pk=token_id).delete()


def _key_from_header(authorization: str) -> str:
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":  # the spec's HTTP basic auth: the key as the password (or the user name)
        try:
            name, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return password or name
    return ""


def api_token_authenticate(
    *, contest_id: str, authorization: str, now: dt.datetime | None = None
) -> feed.Viewer:
    """Who a request is, from its Authorization header (Bearer <key>, or basic auth with the key as the
    password). Refused: no key or an unknown one (401), a key of another contest or no such contest (404)."""
    key = _key_from_header(authorization or "")
    if not key:
        raise ApiDenied(401, "Send a contest API token: Authorization: Bearer <token>.")
    token = ApiToken.objects.select_related("contest__tenant").filter(key_hash=_hash(key)).first()
    if token is None:
        raise ApiDenied(401, "This API token is not valid (revoked, or never made).")
    if token.contest.slug != contest_id:
        raise ApiDenied(404, "No such contest.")
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return feed.Viewer(contest=token.contest, role=token.role, team_id=token.team_id)


def contest_package_export(*, contest: Contest, path: Path) -> int:
    """A contest package for resolvers (admin view): event-feed.ndjson, scoreboard.json, contest.json.
    Returns the number of events written."""
    viewer = feed.Viewer(contest=contest, role=ApiToken.Role.ADMIN)
    events = feed.feed_events(viewer=viewer)
    lines = "".join(json.dumps(event.line(), separators=(",", ":")) + "\n" for event in events)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("contest.json", json.dumps(objects.contest_object(contest), indent=2))
        package.writestr("scoreboard.json", json.dumps(ccs_scoreboard(viewer=viewer), indent=2))
        package.writestr("event-feed.ndjson", lines)
    return len(events)
