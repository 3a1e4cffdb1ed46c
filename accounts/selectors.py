import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Replace, Upper
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Tenant, User, join_code_key

STAFF_ROLES = (Membership.Role.INSTRUCTOR, Membership.Role.ADMIN)


def tenant_ids_for_member(*, user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True))


def tenant_ids_for_staff(*, user: User) -> set[int]:
    """Tenants whose problems, submissions and contests this user may manage."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Tenant.objects.values_list("id", flat=True))
    return set(Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("tenant_id", flat=True))


def tenant_ids_for_admin(*, user: User) -> set[int]:
    """Tenants whose quotas and load this user may watch: all for a site admin, else those they administer."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Tenant.objects.values_list("id", flat=True))
    role = Membership.Role.ADMIN
    return set(Membership.objects.filter(user=user, role=role).values_list("tenant_id", flat=True))


def tenant_list_for_staff(*, user: User) -> QuerySet[Tenant]:
    return Tenant.objects.filter(id__in=tenant_ids_for_staff(user=user))


def user_is_staff_of(*, user: User, tenant_id: int | None) -> bool:
    if not user.is_authenticated or tenant_id is None:
        return False
    return user.is_superuser or tenant_id in tenant_ids_for_staff(user=user)


def user_is_instructor(*, user: User) -> bool:
    return bool(tenant_ids_for_staff(user=user))


def tenant_get_by_join_code(*, code: str) -> Tenant | None:
    """The tenant with this join code, ignoring case, spaces and dashes; None for no (or an empty) code."""
    key = join_code_key(code)
    if not key:
        return None
    stored = Upper(Replace(Replace("join_code", Value("-"), Value("")), Value(" "), Value("")))
    return Tenant.objects.exclude(join_code="").annotate(join_key=stored).filter(join_key=key).first()


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("tenant").order_by("tenant__name")


def login_lockout_ends_at(*, request) -> dt.datetime | None:
    """When the failures that locked this login attempt (its username or its address) have all expired."""
    cool_off = get_cool_off(request)
    credentials = getattr(request, "axes_credentials", None)
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    latest = [qs.aggregate(last=Max("attempt_time"))["last"] for qs in attempts]
    latest = [moment for moment in latest if moment is not None]
    if cool_off is None or not latest:
        return None
    return max(latest) + cool_off


def token_get(*, user: User) -> str | None:
    token = Token.objects.filter(user=user).first()
    return token.key if token else None


def roster_usernames_owned(*, tenant_id: int, usernames: list[str]) -> set[str]:
    """Which of these accounts a roster import into `tenant_id` may update: its students who are staff
    nowhere (an instructor's or an admin's account is never changed by someone else's import)."""
    students = Membership.objects.filter(tenant_id=tenant_id, role=Membership.Role.STUDENT).values("user_id")
    staff = Membership.objects.filter(role__in=STAFF_ROLES).values("user_id")
    users = User.objects.filter(username__in=usernames, id__in=students, is_superuser=False, is_staff=False)
    return set(users.exclude(id__in=staff).values_list("username", flat=True))
