"""Typed readers for settings that come from the environment; bad values fail loudly at start-up."""

import base64
import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, debug: bool) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if debug:
        # A fresh key per start is fine in development: sessions just end on restart.
        return "dev-insecure-" + os.urandom(24).hex()
    raise ImproperlyConfigured(
        f"{name} must be set when DEBUG is off (e.g. `export {name}=$(openssl rand -hex 32)`)"
    )


def env_header_pair(name: str) -> tuple[str, str] | None:
    """`HTTP_X_FORWARDED_PROTO=https` -> ("HTTP_X_FORWARDED_PROTO", "https"); unset -> None."""
    value = os.environ.get(name)
    if not value:
        return None
    header, sep, expected = value.partition("=")
    if not sep or not header.strip() or not expected.strip():
        raise ImproperlyConfigured(f"{name} must look like HTTP_X_FORWARDED_PROTO=https, got {value!r}")
    return header.strip(), expected.strip()


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """`10.0.0.0/8, 192.0.2.7, ::1` -> networks (an address is a network of one); unset -> []."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list addresses or networks (a.b.c.d/n), got {item!r}"
            ) from None
    return networks


def env_base64_key(name: str, *, length: int) -> bytes:
    """A key given as base64 of exactly `length` raw bytes; unset -> b""."""
    value = os.environ.get(name, "").strip()
    if not value:
        return b""
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError:
        key = b""
    if len(key) != length:
        raise ImproperlyConfigured(
            f"{name} must be base64 of {length} raw bytes "
            f"(e.g. `export {name}=$(head -c {length} /dev/urandom | base64)`)"
        )
    return key
