"""/ops/: who may see it (and which tenants), the header link, and editing a tenant's quotas in place."""

import pytest

from accounts.models import Membership
from accounts.services import membership_set
from judge.audit.models import AuditRecord
from judge.submissions.models import TenantQuota
from tests.factories import MembershipFactory, SubmissionFactory, TenantFactory, UserFactory
from tests.integration.test_user_wording import _visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return TenantFactory(name="Alpha School"), TenantFactory(name="Beta Club")


@pytest.fixture
def site_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _member(client, tenant, role):
    user = UserFactory()
    membership_set(user=user, tenant=tenant, role=role)
    client.force_login(user)
    return user


def test_a_site_admin_sees_every_tenant_the_workers_and_the_charts(client, schools, site_admin):
    response = client.get("/ops/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alpha School" in page and "Beta Club" in page
    assert 'data-socket="/ws/ops/"' in page
    assert 'id="ops-workers"' in page and 'id="ops-snapshot"' in page
    assert page.count('data-chart="') == 6
    assert "tenant" not in response.context["scope"].tenants[0].name.lower()
    assert 'href="/ops/"' in page  # the header links here


def test_the_page_never_says_tenant(client, schools, site_admin):
    page = client.get("/ops/").content.decode()
    assert "tenant" not in _visible_text(page).lower()  # the embedded JSON's keys are no words users read


def test_a_tenant_admin_sees_only_their_tenant_and_no_edit_form(client, schools):
    ours, theirs = schools
    _member(client, ours, Membership.Role.ADMIN)
    SubmissionFactory(problem__tenant=theirs)
    response = client.get("/ops/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alpha School" in page and "Beta Club" not in page
    assert f'data-socket="/ws/ops/tenants/{ours.id}/"' in page
    assert 'id="ops-workers"' not in page
    assert "Save limits" not in page
    assert 'href="/ops/"' in page
    assert client.get(f"/ops/?tenant={theirs.id}").status_code == 404


def test_a_tenant_admin_of_two_tenants_switches_between_them(client, schools):
    ours, theirs = schools
    user = _member(client, ours, Membership.Role.ADMIN)
    MembershipFactory(user=user, tenant=theirs, role=Membership.Role.ADMIN)
    page = client.get(f"/ops/?tenant={theirs.id}").content.decode()
    assert f'data-socket="/ws/ops/tenants/{theirs.id}/"' in page
    assert f'href="/ops/?tenant={ours.id}"' in page


@pytest.mark.parametrize("role", [Membership.Role.STUDENT, Membership.Role.INSTRUCTOR])
def test_students_and_instructors_are_refused_and_get_no_link(client, schools, role):
    _member(client, schools[0], role)
    assert client.get("/ops/").status_code == 404
    assert 'href="/ops/"' not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, schools):
    response = client.get("/ops/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.post(f"/ops/tenants/{schools[0].id}/quota/").status_code == 302


def test_junk_in_the_tenant_parameter_is_the_default_view(client, schools, site_admin):
    for junk in ("abc", "-1", "9" * 40, "١"):
        assert client.get("/ops/", {"tenant": junk}).status_code == 200


def _post(client, tenant, **values):
    data = {"max_running": 3, "max_queued": 50, "cpu_seconds_per_day": 9000} | values
    return client.post(f"/ops/tenants/{tenant.id}/quota/", {f"t{tenant.id}-{k}": v for k, v in data.items()})


def test_a_site_admin_edits_a_tenants_quotas(client, schools, site_admin):
    ours, _ = schools
    response = _post(client, ours)
    assert response.status_code == 302 and response.url == f"/ops/#tenant-{ours.id}"
    quota = TenantQuota.objects.get(tenant=ours)
    assert (quota.max_running, quota.max_queued, quota.cpu_seconds_per_day) == (3, 50, 9000)
    logged = AuditRecord.objects.get(action="quota_update")  # in the signed execution log, with who did it
    assert (logged.tenant_id, logged.user_id, logged.data["max_queued"]) == (ours.id, site_admin.id, 50)


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("max_running", 1001, "less than or equal to 1000"),
        ("max_queued", -1, "greater than or equal to 0"),
        ("cpu_seconds_per_day", "lots", "Enter a whole number"),
        ("max_running", "", "This field is required"),
        ("cpu_seconds_per_day", 10_000_001, "less than or equal to 10000000"),
    ],
)
def test_bad_quota_input_shows_the_error_inline_and_changes_nothing(
    client, schools, site_admin, field, value, error
):
    ours, _ = schools
    TenantQuota.objects.create(tenant=ours, max_running=2, max_queued=200, cpu_seconds_per_day=20000)
    response = _post(client, ours, **{field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "<details open>" in page  # the failing form stays open, with what was typed
    quota = TenantQuota.objects.get(tenant=ours)
    assert (quota.max_running, quota.max_queued, quota.cpu_seconds_per_day) == (2, 200, 20000)


def test_a_bad_edit_of_a_tenant_without_a_quota_row_saves_no_row(client, schools, site_admin):
    ours, _ = schools
    assert _post(client, ours, max_running=5000).status_code == 400
    assert not TenantQuota.objects.filter(tenant=ours).exists()


def test_tenant_admins_may_not_edit_quotas_even_their_own(client, schools):
    ours, theirs = schools
    _member(client, ours, Membership.Role.ADMIN)
    assert _post(client, ours).status_code == 403
    assert _post(client, theirs).status_code == 404
    assert not TenantQuota.objects.exists()


def test_the_quota_form_only_takes_posts(client, schools, site_admin):
    assert client.get(f"/ops/tenants/{schools[0].id}/quota/").status_code == 405
