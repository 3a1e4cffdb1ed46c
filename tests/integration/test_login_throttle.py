"""Login brute force (django-axes): a username and, separately, an address are locked out after
AXES_FAILURE_LIMIT wrong passwords, on the site's and the admin's login, with a page that says when."""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.client_ip import client_ip_get
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25  # 15 minutes


def _user(username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.save(update_fields=["password"])
    return user


def _login(client, username: str, password: str = "wrong-one-123", ip: str = "10.0.0.1", url: str = LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return client.get(reverse("problems:list")).wsgi_request.user.is_authenticated


def test_wrong_passwords_for_one_username_lock_it_from_every_address(client):
    _user("alice")
    assert _login(client, "alice", ip="10.0.0.1").status_code == 200  # the form again, with its error
    assert _login(client, "alice", ip="10.0.0.2").status_code == 200
    assert _login(client, "alice", ip="10.0.0.3").status_code == 429  # the limit-th failure locks

    response = _login(client, "alice", PASSWORD, ip="10.0.0.9")  # the right password, a fresh address

    assert response.status_code == 429
    assert not _logged_in(client)
    _user("bob")
    assert _login(client, "bob", PASSWORD, ip="10.0.0.9").status_code == 302  # others are not locked


def test_wrong_passwords_from_one_address_lock_it_for_every_username(client):
    _user("carol")
    for name in ("x1", "x2", "x3"):
        _login(client, name, ip="10.0.0.5")

    assert _login(client, "carol", PASSWORD, ip="10.0.0.5").status_code == 429
    assert _login(client, "carol", PASSWORD, ip="10.0.0.6").status_code == 302


def test_lockout_page_says_when_to_try_again(client):
    _user("alice")
    for _ in range(3):
        _login(client, "alice")

    response = _login(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "accounts/locked.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Too many failed logins" in html
    ends_at = response.context["ends_at"]
    expected = timezone.now() + dt.timedelta(minutes=15)
    assert abs((ends_at - expected).total_seconds()) < 30
    assert timezone.localtime(ends_at).strftime("%H:%M") in html
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60


def test_lockout_ends_after_the_cool_off(client):
    from axes.models import AccessAttempt

    _user("alice")
    for _ in range(3):
        _login(client, "alice")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert _login(client, "alice", PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(client):
    _user("root", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for _ in range(2):
        assert _login(client, "root", url=admin_login).status_code == 200
    assert _login(client, "root", url=admin_login).status_code == 429

    response = _login(client, "root", PASSWORD, url=admin_login)

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_success_forgets_that_users_own_failures(client):
    _user("alice")
    _login(client, "alice")
    _login(client, "alice")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    _login(client, "alice")
    _login(client, "alice")
    assert _login(client, "alice", PASSWORD).status_code == 302  # 2 + 2 failures, but reset in between
    client.post(reverse("accounts:logout"))

    for _ in range(3):
        _login(client, "alice")
    assert _login(client, "alice", PASSWORD).status_code == 429


def test_logging_in_to_ones_own_account_does_not_wipe_guesses_at_others(client):
    """The stock axes reset deletes every failure of the address, which would allow endless guessing."""
    _user("victim")
    _user("mallory")
    _login(client, "victim", ip="10.0.0.7")
    _login(client, "victim", ip="10.0.0.7")
    assert _login(client, "mallory", PASSWORD, ip="10.0.0.7").status_code == 302
    client.post(reverse("accounts:logout"))

    _login(client, "victim", ip="10.0.0.8")

    assert _login(client, "victim", PASSWORD, ip="10.0.0.9").status_code == 429


def test_forwarded_for_is_ignored_unless_proxies_are_configured(client):
    _user("dave")
    for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        client.post(LOGIN, {"username": f"x-{fake}", "password": "nope"}, HTTP_X_FORWARDED_FOR=fake)

    response = client.post(LOGIN, {"username": "dave", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="4.4.4.4")

    assert response.status_code == 429  # one REMOTE_ADDR, whatever the header claims


def test_behind_one_proxy_each_forwarded_client_has_its_own_count(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _user("erin")
    for name in ("x1", "x2", "x3"):
        client.post(LOGIN, {"username": name, "password": "nope"}, HTTP_X_FORWARDED_FOR="198.51.100.7")

    locked = client.post(
        LOGIN, {"username": "erin", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    other = client.post(
        LOGIN, {"username": "erin", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert locked.status_code == 429
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own left-most entry is not trusted
        (2, "6.6.6.6, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip_get(request) == expected


@pytest.mark.django_db(transaction=True)
def test_lockout_page_under_asgi():
    """Under ASGI (daphne) axes calls the lockout callable with its arguments in another order."""
    _user("alice")
    client = AsyncClient()

    async def run():
        for _ in range(3):
            await client.post(LOGIN, {"username": "alice", "password": "nope"})
        return await client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    response = async_to_sync(run)()

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert int(response["Retry-After"]) > 0
