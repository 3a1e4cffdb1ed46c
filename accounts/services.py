from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Tenant, User


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", first_name: str = "") -> User:
    user = User(username=username, email=email, first_name=first_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def membership_set(*, user: User, tenant: Tenant, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": role})
    if membership.is_staff_role and not user.is_staff:
        # Staff flag only opens the admin; what they see there is scoped to their tenants.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


def membership_join_by_code(*, user: User, code: str) -> Membership | None:
    """Join the tenant with this code as a student; keeps a higher role the user already has."""
    tenant = Tenant.objects.filter(join_code=code.strip()).exclude(join_code="").first()
    if tenant is None:
        return None
    membership, _ = Membership.objects.get_or_create(
        user=user, tenant=tenant, defaults={"role": Membership.Role.STUDENT}
    )
    return membership


@transaction.atomic
def token_rotate(*, user: User) -> str:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key
