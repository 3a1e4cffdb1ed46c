"""Join codes: long random ones are generated, short hand-set ones refused, case and dashes do not
matter, and wrong guesses are throttled per user and per address."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Membership, Tenant
from accounts.services import JOIN_CODE_ALPHABET, tenant_join_code_generate
from tests.factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

JOIN = reverse("accounts:join")


def _join(client, code: str, ip: str = "10.0.0.1"):
    return client.post(JOIN, {"code": code}, REMOTE_ADDR=ip)


@pytest.fixture
def student(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_generated_codes_are_12_unambiguous_characters_in_groups_of_4():
    codes = {tenant_join_code_generate() for _ in range(50)}

    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[^-]{4}-[^-]{4}-[^-]{4}", code), code
        assert set(code.replace("-", "")) <= set(JOIN_CODE_ALPHABET)
    assert not set("01ILO") & set(JOIN_CODE_ALPHABET)


def test_codes_are_stored_upper_case():
    tenant = TenantFactory(join_code="  Demo2026 ")

    tenant.refresh_from_db()
    assert tenant.join_code == "DEMO2026"


@pytest.mark.parametrize("typed", ["demo2026", "DeMo2026", " demo-2026 ", "DEMO 2026"])
def test_join_ignores_case_spaces_and_dashes(client, student, typed):
    tenant = TenantFactory(join_code="DEMO2026")

    assert _join(client, typed).status_code == 302
    assert Membership.objects.filter(user=student, tenant=tenant).exists()


def test_a_generated_code_works_typed_without_its_dashes(client, student):
    tenant = TenantFactory(join_code=tenant_join_code_generate())

    assert _join(client, tenant.join_code.replace("-", "").lower()).status_code == 302
    assert Membership.objects.filter(user=student, tenant=tenant).exists()


@pytest.mark.parametrize("code", ["ABC1234", "AB-CD-EF-G", "short"])
def test_hand_set_codes_shorter_than_8_are_refused(code):
    tenant = TenantFactory.build(join_code=code)

    with pytest.raises(ValidationError) as error:
        tenant.full_clean()
    assert "join_code" in error.value.message_dict


def test_the_minimum_is_8_letters_or_digits_and_empty_means_invite_only():
    with pytest.raises(ValidationError):
        TenantFactory.build(join_code="DEMO-202").full_clean()
    TenantFactory.build(join_code="DEMO2026").full_clean()  # the demo's code
    TenantFactory.build(join_code="").full_clean()


def test_a_code_already_used_elsewhere_is_refused_whatever_its_case():
    TenantFactory(join_code="CLASS-2026")

    with pytest.raises(ValidationError) as error:
        TenantFactory.build(join_code="class2026").full_clean()
    assert "join_code" in error.value.message_dict


@pytest.fixture
def superuser_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _admin_add(client, join_code: str):
    return client.post(
        reverse("admin:accounts_tenant_add"),
        {
            "name": "Night School",
            "slug": "night-school",
            "description": "",
            "join_code": join_code,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )


def test_admin_add_with_an_empty_code_generates_one(superuser_client):
    response = _admin_add(superuser_client, "")

    assert response.status_code == 302
    code = Tenant.objects.get(slug="night-school").join_code
    assert re.fullmatch(r"[^-]{4}-[^-]{4}-[^-]{4}", code)


def test_admin_add_refuses_a_short_code(superuser_client):
    response = _admin_add(superuser_client, "abc")

    assert response.status_code == 200
    assert "join_code" in response.context["adminform"].form.errors
    assert not Tenant.objects.filter(slug="night-school").exists()


def test_admin_action_makes_a_new_code(superuser_client):
    tenant = TenantFactory(join_code="OLDCODE-2026")

    response = superuser_client.post(
        reverse("admin:accounts_tenant_changelist"),
        {"action": "new_join_code", "_selected_action": [tenant.pk]},
    )

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.join_code != "OLDCODE-2026"
    assert re.fullmatch(r"[^-]{4}-[^-]{4}-[^-]{4}", tenant.join_code)


def test_wrong_codes_are_throttled_per_user(client, student, settings):
    settings.ACCOUNTS_JOIN_CODE_RATE = "3/h"
    tenant = TenantFactory(join_code="RIGHT-CODE-1")
    for guess in ("GUESS-0001", "GUESS-0002", "GUESS-0003"):
        assert _join(client, guess).status_code == 200

    response = _join(client, "RIGHT-CODE-1", ip="10.0.0.2")  # even the right code, from elsewhere

    assert response.status_code == 429
    errors = response.context["join_form"].non_field_errors()
    assert any("Too many wrong join codes" in e and "Try again in" in e for e in errors)
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not Membership.objects.filter(user=student, tenant=tenant).exists()


def test_wrong_codes_are_throttled_per_address(client, settings):
    settings.ACCOUNTS_JOIN_CODE_IP_RATE = "3/h"
    TenantFactory(join_code="RIGHT-CODE-1")
    for n in range(3):
        client.force_login(UserFactory())
        _join(client, f"GUESS-000{n}", ip="10.0.0.9")

    client.force_login(UserFactory())
    assert _join(client, "RIGHT-CODE-1", ip="10.0.0.9").status_code == 429
    assert _join(client, "RIGHT-CODE-1", ip="10.0.0.10").status_code == 302


def test_right_codes_and_empty_forms_do_not_count(client, student, settings):
    settings.ACCOUNTS_JOIN_CODE_RATE = "2/h"
    tenants = [TenantFactory(join_code=f"RIGHT-CODE-{n}") for n in range(4)]
    for tenant in tenants:
        assert _join(client, tenant.join_code).status_code == 302
    for _ in range(3):
        assert _join(client, "").status_code == 200

    assert _join(client, "GUESS-0001").status_code == 200
    assert _join(client, "GUESS-0002").status_code == 200
    assert _join(client, "GUESS-0003").status_code == 429  # only the two wrong codes counted
    assert Membership.objects.filter(user=student).count() == 4
