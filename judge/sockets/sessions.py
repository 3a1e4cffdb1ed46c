"""Who a websocket's session belongs to now: logged out, expired, or a changed password all end it."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare


def session_user_current(*, scope: dict):
    """The user the scope's session holds now (read afresh from the session store), else AnonymousUser."""
    session = scope.get("session")
    key = session.session_key if session is not None else None
    if not key:
        return AnonymousUser()
    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).load()
    user_id, backend = data.get(SESSION_KEY), data.get(BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return AnonymousUser()
    if not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return AnonymousUser()  # the password changed since this login
    return user
