"""Accounts in bulk: staff import a roster CSV as a course's (school's, club's) students or a contest's
teams. Parsing and account writes are the accounts app's (accounts/roster.py, roster_apply); this module
picks what the importer may fill, registers contest teams, and keeps it all in one transaction."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from accounts.models import Membership, Tenant, User
from accounts.roster import roster_parse
from accounts.selectors import STAFF_ROLES, roster_usernames_owned, tenant_list_for_staff
from accounts.services import RosterAccount, roster_apply
from judge.contests.models import Contest, ContestParticipant


@dataclass(frozen=True)
class RosterTarget:
    tenant: Tenant
    contest: Contest | None = None

    @property
    def key(self) -> str:
        return f"contest-{self.contest.pk}" if self.contest else f"tenant-{self.tenant.pk}"

    @property
    def label(self) -> str:
        return (
            f"Teams of the contest {self.contest.title}"
            if self.contest
            else f"Students of {self.tenant.name}"
        )


def roster_targets_for_user(*, user: User) -> list[RosterTarget]:
    """Where this user may import accounts: their own courses, schools and clubs, and their contests."""
    tenants = list(tenant_list_for_staff(user=user))
    contests = Contest.objects.filter(tenant__in=tenants).select_related("tenant").order_by("-start_at")
    return [RosterTarget(tenant=t) for t in tenants] + [
        RosterTarget(tenant=c.tenant, contest=c) for c in contests
    ]


def roster_target_get(*, user: User, key: str) -> RosterTarget:
    for target in roster_targets_for_user(user=user):
        if target.key == key:
            return target
    raise Http404("No such course or contest")


def _contest_usernames_owned(contest: Contest, usernames: list[str]) -> set[str]:
    """The contest's own participants (teams of an earlier import), unless they are staff anywhere."""
    staff = Membership.objects.filter(role__in=STAFF_ROLES).values("user_id")
    rows = ContestParticipant.objects.filter(
        contest=contest, user__username__in=usernames, user__is_superuser=False, user__is_staff=False
    ).exclude(user_id__in=staff)
    return set(rows.values_list("user__username", flat=True))


@transaction.atomic
def roster_import(*, target: RosterTarget, data: bytes, reset_passwords: bool = False) -> list[RosterAccount]:
    """Create or update every account of the file, or none (RosterError with line numbers). Teams of a
    contest become its participants, and students of its school too when the contest is open to them."""
    rows = roster_parse(data=data)
    usernames = [row.username for row in rows]
    owned = roster_usernames_owned(tenant_id=target.tenant.pk, usernames=usernames)
    contest = target.contest
    if contest is not None:
        owned |= _contest_usernames_owned(contest, usernames)
    as_students = contest is None or contest.access == Contest.Access.TENANT
    accounts = roster_apply(
        rows=rows,
        updatable=owned,
        tenant=target.tenant if as_students else None,
        reset_passwords=reset_passwords,
    )
    if contest is not None:
        for account in accounts:
            ContestParticipant.objects.get_or_create(contest=contest, user=account.user)
    return accounts


RESULT_COLUMNS = ("username", "password", "display name", "email", "team members", "affiliation", "status")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A spreadsheet opening the download must not run a cell as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def roster_result_csv(*, accounts: list[RosterAccount]) -> str:
    """The one-time result as CSV: what the printable page shows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RESULT_COLUMNS)
    for account in accounts:
        row = account.row
        status = "created" if account.created else "updated, new password" if account.password else "updated"
        cells = (
            row.username,
            account.password or "",
            row.display_name,
            row.email,
            row.team_members,
            row.affiliation,
        )
        writer.writerow([*(_cell(c) for c in cells), status])
    return out.getvalue()
