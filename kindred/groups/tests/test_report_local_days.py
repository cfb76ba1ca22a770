"""The funder report's period is whole local days in Europe/London, right across the clock changes.

A meeting at 00:30 on a summer morning is 23:30 UTC the evening before: counting by UTC days would put it in the
wrong day (and the wrong period) for the half of the year on British Summer Time.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kindred.groups.models import GroupMembership, LedgerEntry
from kindred.testing.clients import client_for

from .more_helpers import make_group, meeting_at, new_person, present

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def _rows(client, group, start: str, end: str) -> dict[tuple[str, str], str]:
    response = client.get(
        reverse("groups:funds_report_file", kwargs={"slug": group.slug, "extension": "csv"}),
        {"start": start, "end": end},
    )
    assert response.status_code == 200
    return {(r["section"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(response.content.decode()))}


@pytest.fixture
def night_owls(personas):
    """Late-night meetings either side of both 2025 clock changes (30 March and 26 October)."""
    group = make_group(personas)
    first, second = new_person(personas, "first"), new_person(personas, "second")
    from .more_helpers import join

    join(group, first)
    join(group, second)
    GroupMembership.objects.filter(group=group).update(joined_at=local(2025, 1, 1, 12))
    # Spring: 23:30 GMT on Saturday 29 March; 00:30 GMT on Sunday 30 March (the clocks go forward at 01:00 GMT);
    # 00:30 BST on Monday 31 March, which is 23:30 UTC on Sunday 30 March.
    present(meeting_at(group, local(2025, 3, 29, 23, 30)), personas.member)
    present(meeting_at(group, local(2025, 3, 30, 0, 30)), personas.member)
    present(meeting_at(group, local(2025, 3, 31, 0, 30)), first)
    # Autumn: 00:30 BST on Sunday 26 October is 23:30 UTC on Saturday 25 October; 23:30 GMT on the Sunday.
    present(meeting_at(group, local(2025, 10, 26, 0, 30)), second)
    present(meeting_at(group, local(2025, 10, 26, 23, 30)), second)
    LedgerEntry.objects.create(
        group=group, direction="income", category="grant", amount_pence=5000, on=date(2025, 3, 30)
    )
    return group


def test_the_day_the_clocks_go_forward_is_one_local_day(personas, night_owls):
    client = client_for(personas.facilitator)
    rows = _rows(client, night_owls, "2025-03-30", "2025-03-30")
    assert rows[("Meetings", "Meetings held")] == "1"  # 00:30 GMT that morning; not 00:30 BST the next morning
    assert rows[("Funds", "Money in (GBP)")] == "50.00"
    rows = _rows(client, night_owls, "2025-03-31", "2025-03-31")
    assert rows[("Meetings", "Meetings held")] == "1"
    assert rows[("Attendance", "First-timers")] == "1"  # "first" came first on the 31st, local time


def test_the_day_the_clocks_go_back_is_one_local_day(personas, night_owls):
    client = client_for(personas.facilitator)
    rows = _rows(client, night_owls, "2025-10-26", "2025-10-26")
    assert rows[("Meetings", "Meetings held")] == "2"  # both are on Sunday 26 October in London
    assert rows[("Attendance", "First-timers")] == "1"
    rows = _rows(client, night_owls, "2025-10-25", "2025-10-25")
    assert rows[("Meetings", "Meetings held")] == "0"


def test_a_summer_period_starts_and_ends_at_local_midnight(personas, night_owls):
    rows = _rows(client_for(personas.facilitator), night_owls, "2025-03-31", "2025-10-25")
    # Only 00:30 BST on 31 March: the 26 October meetings are after the period in London time.
    assert rows[("Meetings", "Meetings held")] == "1"
    assert rows[("Attendance", "Unique people")] == "1"
