"""Content-Security-Policy on every page, and the secure defaults a deployment gets with DEBUG off."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import ProblemFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/problems/", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_page_has_a_policy_without_inline_script(client, url):
    ProblemFactory()

    policy = _policy(client.get(url))

    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in " ".join(policy.values())


def test_the_problem_page_has_the_policy(client):
    problem = ProblemFactory()

    response = client.get(reverse("problems:detail", args=[problem.code]))

    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\s(on[a-z]+|style)\s*=\s*["']""", re.IGNORECASE)


def test_no_template_needs_inline_script_or_style():
    """The policy forbids them, so one would silently break its page."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _settings_with(env: dict[str, str]) -> dict:
    code = (
        "import json; from judge import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_debug_off_means_secure_cookies_and_hsts():
    values = _settings_with({"DEBUG": "false"})

    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_a_tls_proxy_header_comes_from_the_environment():
    values = _settings_with({"DEBUG": "false", "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO=https"})

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_on_loopback_can_turn_secure_cookies_off():
    values = _settings_with({"DEBUG": "false", "SECURE_COOKIES": "false"})

    assert not values["SESSION_COOKIE_SECURE"]
