"""Reading a roster CSV (username, display name, email, team members, affiliation) into checked rows.

Nothing here writes: every row is checked first, and any problem is reported with its line number, so
the import either creates and updates every account or none. Columns may come in any order and all but
`username` may be left out; a header row is required; UTF-8 with or without a BOM.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import AccountProfile, User

MAX_ROWS = 2000
MAX_FILE_BYTES = 1024 * 1024
MAX_ERRORS = 50  # reported at once; a wholly wrong file need not list every line
FIELDS = ("username", "display_name", "email", "team_members", "affiliation")
MAX_LENGTHS = {
    "username": User._meta.get_field("username").max_length,
    "display_name": User._meta.get_field("first_name").max_length,
    "email": User._meta.get_field("email").max_length,
    "team_members": AccountProfile._meta.get_field("team_members").max_length,
    "affiliation": AccountProfile._meta.get_field("affiliation").max_length,
}
HEADER_NAMES = {
    "username": "username",
    "user": "username",
    "login": "username",
    "displayname": "display_name",
    "name": "display_name",
    "teamname": "display_name",
    "email": "email",
    "emailaddress": "email",
    "teammembers": "team_members",
    "members": "team_members",
    "affiliation": "affiliation",
    "organization": "affiliation",
    "organisation": "affiliation",
    "institution": "affiliation",
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class RosterError(Exception):
    """The file cannot be imported; `errors` says why, one line each (with its line number when a row's)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    display_name: str = ""
    email: str = ""
    team_members: str = ""
    affiliation: str = ""


def _text(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise RosterError([f"The file is larger than {MAX_FILE_BYTES // 1024} KiB."])
    if b"\x00" in data:
        raise RosterError(["The file contains NUL bytes: it is not a CSV text file."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError([f"Line {line}: the file is not UTF-8 text; save it as “CSV UTF-8”."]) from None


def _header(names: list[str]) -> list[str]:
    fields = [HEADER_NAMES.get(re.sub(r"[\s_\-.]", "", name.lower()), "") for name in names]
    unknown = [name for name, field in zip(names, fields, strict=True) if not field]
    if unknown:
        known = ", ".join(f.replace("_", " ") for f in FIELDS)
        raise RosterError(
            [f"Line 1: unknown column {', '.join(map(repr, unknown))}; the columns are: {known}."]
        )
    if "username" not in fields:
        raise RosterError(["Line 1: the header row needs a “username” column."])
    if len(set(fields)) != len(fields):
        raise RosterError(["Line 1: a column appears twice."])
    return fields


def _row_errors(values: dict[str, str]) -> list[str]:
    errors = []
    for field, value in values.items():
        if len(value) > MAX_LENGTHS[field]:
            errors.append(f"{field.replace('_', ' ')} is longer than {MAX_LENGTHS[field]} characters")
        elif CONTROL.search(value):
            errors.append(f"{field.replace('_', ' ')} contains a control character")
    if not values["username"]:
        errors.append("the username is empty")
    elif not errors:
        try:
            User.username_validator(values["username"])
            if values.get("email"):
                validate_email(values["email"])
        except ValidationError as exc:
            errors.extend(exc.messages)
    return errors


def roster_parse(*, data: bytes) -> list[RosterRow]:
    """Every row of the file, checked; RosterError listing the problems (with line numbers) otherwise."""
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        fields = _header(next(reader))
    except StopIteration:
        raise RosterError(["The file is empty."]) from None
    rows, errors, seen = [], [], {}
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise RosterError([f"The file has more than {MAX_ROWS} rows; import it in parts."])
            line = reader.line_num
            if len(cells) > len(fields):
                errors.append(f"Line {line}: {len(cells)} cells, but the header names {len(fields)} columns.")
                continue
            values = {field: cell.strip() for field, cell in zip(fields, cells, strict=False)}
            values.setdefault("username", "")
            row_errors = _row_errors(values)
            if (first := seen.setdefault(values["username"].lower(), line)) != line and values["username"]:
                row_errors.append(f"the username {values['username']!r} is already on line {first}")
            errors.extend(f"Line {line}: {error}." for error in row_errors)
            rows.append(RosterRow(line=line, **values))
    except csv.Error as exc:
        errors.append(f"Line {reader.line_num}: {exc}.")
    if errors:
        raise RosterError(
            errors[:MAX_ERRORS]
            + ([f"… and {len(errors) - MAX_ERRORS} more."] if len(errors) > MAX_ERRORS else [])
        )
    if not rows:
        raise RosterError(["The file has a header but no rows."])
    return rows
