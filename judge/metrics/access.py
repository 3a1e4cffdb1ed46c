"""Who may read /metrics: a bearer token (METRICS_TOKEN), an address on the allow-list (METRICS_ALLOW),
and, with neither set, only a client on this machine that no proxy forwarded."""

import hmac
import ipaddress

from django.conf import settings

from accounts.client_ip import client_ip_get

_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _bearer(request) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(client_ip_get(request))
    except ValueError:
        return None


def metrics_access_allowed(request) -> bool:
    token, allow = settings.METRICS_TOKEN, settings.METRICS_ALLOW
    given = _bearer(request)
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    address = _address(request)
    if address is None:
        return False
    if allow:
        return any(address in network for network in allow)
    if token:
        return False
    # Neither set: loopback only. A reverse proxy on this machine also connects from loopback, so a
    # request it forwarded (it says so in a header) is someone else's and is refused.
    return address.is_loopback and not any(request.META.get(header) for header in _FORWARDED)
