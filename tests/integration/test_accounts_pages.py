import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Membership, User
from tests.factories import MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
STRONG = "correct-horse-battery-9"


def _signup(client, username="ada", password=STRONG, password2=None):
    return client.post(
        reverse("accounts:signup"),
        {"username": username, "email": "", "password1": password, "password2": password2 or password},
    )


def _user(**fields):
    """A factory user whose password is really stored (UserFactory sets it but skips the save)."""
    user = UserFactory(**fields)
    user.save(update_fields=["password"])
    return user


def _logged_in_user(client):
    return client.get(reverse("problems:list")).wsgi_request.user


def test_signup_creates_user_logs_in_and_redirects(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("problems:list")
    user = User.objects.get(username="ada")
    assert user.check_password(STRONG)
    assert not user.is_staff
    assert _logged_in_user(client) == user


def test_signup_with_taken_username_shows_error_and_creates_nothing(client):
    _user(username="ada")

    response = _signup(client)

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="ada").count() == 1
    assert not _logged_in_user(client).is_authenticated


@pytest.mark.parametrize("password", ["abc", "password", "12345678"])
def test_signup_with_weak_password_shows_error_and_creates_nothing(client, password):
    response = _signup(client, password=password)

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_signup_with_mismatched_passwords_creates_nothing(client):
    response = _signup(client, password2=STRONG + "x")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_login_page_renders(client):
    assert client.get(reverse("accounts:login")).status_code == 200


def test_login_and_logout_by_post(client):
    user = _user()

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("problems:list")
    assert _logged_in_user(client) == user

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not _logged_in_user(client).is_authenticated


def test_login_with_wrong_password_fails(client):
    user = _user()

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "nope-nope-1"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _logged_in_user(client).is_authenticated


def test_password_change_replaces_the_old_password(client):
    user = _user()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert client.get(response.url).status_code == 200
    client.logout()
    login = reverse("accounts:login")
    client.post(login, {"username": user.username, "password": PASSWORD})
    assert not _logged_in_user(client).is_authenticated
    client.post(login, {"username": user.username, "password": STRONG})
    assert _logged_in_user(client) == user


def test_password_change_with_wrong_old_password_changes_nothing(client):
    user = _user()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong-one-123", "new_password1": STRONG, "new_password2": STRONG},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_join_by_code_makes_a_student_membership(client):
    tenant = TenantFactory(join_code="JOIN-ME", name="Code Club")
    user = _user()
    client.force_login(user)

    response = client.post(reverse("accounts:join"), {"code": "  JOIN-ME "})

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    membership = Membership.objects.get(user=user, tenant=tenant)
    assert membership.role == Membership.Role.STUDENT
    assert "Code Club" in client.get(reverse("accounts:profile")).content.decode()


def test_join_with_wrong_code_shows_error_and_joins_nothing(client):
    TenantFactory(join_code="JOIN-ME")
    invite_only = TenantFactory(join_code="")
    user = _user()
    client.force_login(user)

    for code in ("WRONG", ""):
        response = client.post(reverse("accounts:join"), {"code": code})
        assert response.status_code == 200
        assert response.context["join_form"].errors["code"]
    assert not Membership.objects.filter(user=user).exists()
    assert not Membership.objects.filter(tenant=invite_only).exists()


def test_join_keeps_a_higher_role(client):
    tenant = TenantFactory(join_code="JOIN-ME")
    instructor = MembershipFactory(tenant=tenant, role=Membership.Role.INSTRUCTOR, user=_user()).user
    client.force_login(instructor)

    client.post(reverse("accounts:join"), {"code": "JOIN-ME"})

    assert Membership.objects.get(user=instructor, tenant=tenant).role == Membership.Role.INSTRUCTOR


def test_api_token_is_created_shown_and_rotated(client):
    user = _user()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).context["api_token"] is None

    response = client.post(reverse("accounts:token"))
    assert response.status_code == 302
    first = Token.objects.get(user=user).key
    page = client.get(reverse("accounts:profile"))
    assert page.context["api_token"] == first
    assert first in page.content.decode()

    client.post(reverse("accounts:token"))
    second = Token.objects.get(user=user).key
    assert second != first
    assert client.get(reverse("accounts:profile")).context["api_token"] == second


def test_rotated_api_token_stops_working(client):
    user = _user()
    client.force_login(user)
    client.post(reverse("accounts:token"))
    old = Token.objects.get(user=user).key
    client.post(reverse("accounts:token"))
    new = Token.objects.get(user=user).key
    client.logout()

    api = reverse("api:submission_list")
    assert client.get(api, HTTP_AUTHORIZATION=f"Token {new}").status_code == 200
    rejected = client.get(api, HTTP_AUTHORIZATION=f"Token {old}")
    assert rejected.status_code in (401, 403)
    assert rejected.json()["detail"] == "Invalid token."


def test_token_rotation_requires_post(client):
    client.force_login(_user())

    assert client.get(reverse("accounts:token")).status_code == 405
    assert not Token.objects.exists()


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:password_change"])
def test_profile_pages_require_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_join_and_token_require_login(client):
    TenantFactory(join_code="JOIN-ME")

    assert client.post(reverse("accounts:join"), {"code": "JOIN-ME"}).status_code == 302
    assert client.post(reverse("accounts:token")).status_code == 302
    assert not Membership.objects.exists()
    assert not Token.objects.exists()


def test_profile_lists_memberships(client):
    membership = MembershipFactory(tenant__name="Robotics Club", user=_user())
    client.force_login(membership.user)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert list(response.context["memberships"]) == [membership]
    assert "Robotics Club" in response.content.decode()
