"""The client's address, for login lockouts and rate limits (django-axes and django-ratelimit both use it).

Behind a reverse proxy REMOTE_ADDR is the proxy itself, so every visitor would share one address and one
lockout. With TRUSTED_PROXY_COUNT = n > 0 the address is the n-th entry from the right of X-Forwarded-For:
each trusted proxy appends the address it saw, so entries further left are whatever the client sent.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip_get(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies or not _valid(forwarded[-proxies]):
        return remote  # not through the proxies we were told about: the direct peer is all we know
    return forwarded[-proxies]
