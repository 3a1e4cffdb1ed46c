import copy
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.audit import staff_action_note
from accounts.models import PUBLIC_POOL_SLUG, AccountProfile, Membership, Tenant, User
from accounts.roster import RosterError, RosterRow
from accounts.selectors import tenant_get_by_join_code

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 12
JOIN_CODE_GROUP = 4
# Generated passwords: 15 characters of 31 (about 74 bits), read off a printed sheet.
PASSWORD_LENGTH = 15
# Random passwords that strong need no slow hash to resist guessing, and a roster of 2000 accounts must be
# hashed within one request (about 2 ms each here; 2^74 guesses still cost 2^85 hashes); the first login
# hashes the password again at the full cost.
GENERATED_PASSWORD_ITERATIONS = 2_000


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
    staff_action_note(action="membership.set", tenant_id=tenant.id, target=f"user {user.username}", role=role)
    return membership


def membership_join_by_code(*, user: User, code: str) -> Membership | None:
    """Join the tenant with this code as a student; keeps a higher role the user already has."""
    tenant = tenant_get_by_join_code(code=code)
    if tenant is None:
        return None
    membership, created = Membership.objects.get_or_create(
        user=user, tenant=tenant, defaults={"role": Membership.Role.STUDENT}
    )
    if created:
        staff_action_note(action="membership.join", tenant_id=tenant.id, target=f"user {user.username}")
    return membership


def tenant_join_code_generate() -> str:
    """A random code like `7KQM-X3PD-RT9W`: 12 characters of 31 (about 59 bits), shown in groups of 4."""
    while True:
        chars = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        code = "-".join(chars[i : i + JOIN_CODE_GROUP] for i in range(0, JOIN_CODE_LENGTH, JOIN_CODE_GROUP))
        if tenant_get_by_join_code(code=code) is None:
            return code


def tenant_join_code_rotate(*, tenant: Tenant) -> str:
    """Give the tenant a fresh random join code; the old one stops working."""
    tenant.join_code = tenant_join_code_generate()
    tenant.save(update_fields=["join_code"])
    staff_action_note(action="tenant.join_code", tenant_id=tenant.id, target=f"tenant {tenant.slug}")
    return tenant.join_code


def tenant_public_pool_get() -> Tenant:
    """The tenant that pays for practice by people outside a problem's own tenant (made on first use)."""
    tenant, _ = Tenant.objects.get_or_create(
        slug=PUBLIC_POOL_SLUG,
        defaults={
            "name": "Public practice",
            "description": "Judging of public problems for people outside the problem's course or club.",
        },
    )
    return tenant


@transaction.atomic
def token_rotate(*, user: User) -> str:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def password_generate() -> str:
    chars = "".join(secrets.choice(JOIN_CODE_ALPHABET.lower()) for _ in range(PASSWORD_LENGTH))
    return "-".join(chars[i : i + 5] for i in range(0, PASSWORD_LENGTH, 5))


def _generated_password_hash(password: str) -> str:
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        hasher = copy.copy(hasher)
        hasher.iterations = GENERATED_PASSWORD_ITERATIONS
    return make_password(password, hasher=hasher)


@dataclass(frozen=True)
class RosterAccount:
    """One imported row: the account, and its new password (shown once) when one was made."""

    row: RosterRow
    user: User
    created: bool
    password: str | None


@transaction.atomic
def roster_apply(
    *, rows: list[RosterRow], updatable: set[str], tenant: Tenant | None, reset_passwords: bool = False
) -> list[RosterAccount]:
    """Create the rows' accounts, or update those in `updatable` (usernames the importer owns), as
    students of `tenant` when given. A username taken by anyone else stops the whole import."""
    existing = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows])}
    taken = [
        f"Line {r.line}: the username {r.username!r} belongs to an account this import may not change "
        "(staff, or someone outside this course, school, club or contest)."
        for r in rows
        if r.username in existing and r.username not in updatable
    ]
    if taken:
        raise RosterError(taken)
    return [_roster_row_apply(row, existing.get(row.username), tenant, reset_passwords) for row in rows]


def _roster_row_apply(row: RosterRow, user: User | None, tenant: Tenant | None, reset: bool) -> RosterAccount:
    created = user is None
    password = password_generate() if created or reset else None
    user = user or User(username=row.username)
    user.first_name, user.last_name, user.email = row.display_name, "", row.email
    fields = ["first_name", "last_name", "email"]
    if password is not None:
        user.password = _generated_password_hash(password)
        fields.append("password")
    user.save(**({} if created else {"update_fields": fields}))
    AccountProfile.objects.update_or_create(
        user=user, defaults={"affiliation": row.affiliation, "team_members": row.team_members}
    )
    if tenant is not None:
        Membership.objects.get_or_create(user=user, tenant=tenant, defaults={"role": Membership.Role.STUDENT})
    return RosterAccount(row=row, user=user, created=created, password=password)
