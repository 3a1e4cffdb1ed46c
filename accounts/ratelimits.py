"""Rate limits of the account pages (django-ratelimit on the shared cache).

Only what an attacker must repeat is counted: wrong join codes and accounts actually created, so a
typo in a password field or a classmate's correct code never uses anyone's allowance.
"""

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class RateLimited:
    wait_seconds: int

    @property
    def wait_text(self) -> str:
        minutes = -(-self.wait_seconds // 60)  # rounded up
        return "1 minute" if minutes <= 1 else f"{minutes} minutes"


def _check(request, *, limits: list[tuple[str, str, str]]) -> RateLimited | None:
    """Over once `limit` events were recorded in the window; looking does not count as an event."""
    waits = []
    for group, key, rate in limits:
        usage = get_usage(request, group=group, key=key, rate=rate, method=get_usage.ALL, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            waits.append(max(1, int(usage["time_left"])))
    return RateLimited(wait_seconds=max(waits)) if waits else None


def _record(request, *, limits: list[tuple[str, str, str]]) -> None:
    for group, key, rate in limits:
        get_usage(request, group=group, key=key, rate=rate, method=get_usage.ALL, increment=True)


def _join_limits() -> list[tuple[str, str, str]]:
    return [
        ("accounts.join.user", "user", settings.ACCOUNTS_JOIN_CODE_RATE),
        ("accounts.join.ip", "ip", settings.ACCOUNTS_JOIN_CODE_IP_RATE),
    ]


def join_code_rate_check(request) -> RateLimited | None:
    """Whether this user or address used up its wrong join codes; every attempt is refused until then."""
    return _check(request, limits=_join_limits())


def join_code_failure_record(request) -> None:
    _record(request, limits=_join_limits())


def _signup_limits() -> list[tuple[str, str, str]]:
    return [("accounts.signup.ip", "ip", settings.ACCOUNTS_SIGNUP_RATE)]


def signup_rate_check(request) -> RateLimited | None:
    return _check(request, limits=_signup_limits())


def signup_record(request) -> None:
    _record(request, limits=_signup_limits())
