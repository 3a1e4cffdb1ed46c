"""A contest's own rules live in Contest.clean, so no way in (the page, the admin, the service) skips them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from judge.contests.models import Contest
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def _contest(**fields) -> Contest:
    start = timezone.now()
    values = {"tenant": TenantFactory(), "title": "Cup", "slug": "cup", "start_at": start}
    values["end_at"] = start + dt.timedelta(hours=2)
    return Contest(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timing": Contest.Timing.WINDOW, "window_minutes": None}, "window_minutes"),
        ({"freeze_minutes": 120}, "freeze_minutes"),
        ({"end_at": timezone.now() - dt.timedelta(hours=1)}, "end_at"),
    ],
)
def test_a_contest_breaking_its_rules_does_not_validate(fields, field):
    with pytest.raises(ValidationError) as caught:
        _contest(**fields).full_clean()

    assert field in caught.value.message_dict


def test_a_sound_contest_validates():
    _contest(timing=Contest.Timing.WINDOW, window_minutes=90, freeze_minutes=30).full_clean()
