"""Typed readers for settings that come from the environment; bad values fail loudly at start-up."""

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
