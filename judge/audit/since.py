"""`--since` of the audit commands: a date (from its midnight UTC) or an ISO date and time."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.dateparse import parse_date, parse_datetime


def since_parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    if moment is None:
        raise CommandError(f"--since must be a date (2026-12-01) or an ISO date and time, got {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
