"""Sign-up is limited per client address (ACCOUNTS_SIGNUP_RATE): accounts made, not forms sent."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
STRONG = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _rate(settings):
    settings.ACCOUNTS_SIGNUP_RATE = "2/h"


def _signup(client, username: str, ip: str = "10.0.0.1", password: str = STRONG):
    response = client.post(
        SIGNUP,
        {"username": username, "email": "", "password1": password, "password2": password},
        REMOTE_ADDR=ip,
    )
    client.logout()
    return response


def test_third_account_from_one_address_in_an_hour_gets_a_429_page(client):
    assert _signup(client, "one").status_code == 302
    assert _signup(client, "two").status_code == 302

    response = _signup(client, "three")

    assert response.status_code == 429
    assert "accounts/signup.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Too many new accounts" in html
    assert "Try again in" in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not User.objects.filter(username="three").exists()


def test_another_address_may_still_sign_up(client):
    _signup(client, "one")
    _signup(client, "two")
    assert _signup(client, "three").status_code == 429

    assert _signup(client, "three", ip="10.0.0.2").status_code == 302


def test_refused_forms_do_not_count(client):
    for _ in range(3):
        assert _signup(client, "weak", password="abc").status_code == 200

    assert _signup(client, "one").status_code == 302
    assert _signup(client, "two").status_code == 302
    assert _signup(client, "three").status_code == 429
