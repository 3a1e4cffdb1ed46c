from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Tenant, User

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


def tenant_list_for_staff(*, user: User) -> QuerySet[Tenant]:
    return Tenant.objects.filter(id__in=tenant_ids_for_staff(user=user))


def user_is_staff_of(*, user: User, tenant_id: int | None) -> bool:
    if not user.is_authenticated or tenant_id is None:
        return False
    return user.is_superuser or tenant_id in tenant_ids_for_staff(user=user)


def user_is_instructor(*, user: User) -> bool:
    return bool(tenant_ids_for_staff(user=user))


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("tenant").order_by("tenant__name")


def token_get(*, user: User) -> str | None:
    token = Token.objects.filter(user=user).first()
    return token.key if token else None
