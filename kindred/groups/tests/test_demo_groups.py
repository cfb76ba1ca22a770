"""The demo groups: a year of meetings, attendance, roles and money, and one closed group with its archive."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from kindred.demo import world
from kindred.demo.groups import GROUPS, expected_past_meetings, load_groups
from kindred.groups.models import Attendance, Group, GroupMembership, LedgerEntry, Meeting, NewsletterIssue
from kindred.groups.reports import funder_report

pytestmark = pytest.mark.django_db


def test_the_demo_has_groups_with_a_year_of_use_and_one_closed_group(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.load(io.StringIO())
        load_groups(io.StringIO())
    groups = {g.slug: g for g in Group.objects.filter(slug__in=[spec.offer_slug for spec in GROUPS])}
    assert len(groups) == 3
    today = timezone.localdate()
    # Up to the end of yesterday: a meeting earlier today is the series' own, not the demo's year of history.
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    for spec in GROUPS:
        group = groups[spec.offer_slug]
        past = Meeting.objects.filter(group=group, starts_at__lt=midnight)
        assert past.count() == expected_past_meetings(spec, today)
        assert Attendance.objects.filter(meeting__group=group, present=True).count() > past.count()
        assert GroupMembership.objects.filter(group=group).exclude(role="member").exists()
        assert LedgerEntry.objects.filter(group=group).count() == 11
        assert NewsletterIssue.objects.filter(group=group, status="sent").exists()
        report = funder_report(group, today.replace(year=today.year - 1), today - timedelta(days=1))
        assert report.meetings_held == past.exclude(status="cancelled").count()
        assert report.unique_people >= 4 and report.people_in_roles >= 2
        assert report.closing_balance_pence == 60000 + 3500 - 4 * 9000 - (18 + 20 + 22 + 24) * 100 - 1200

    closed = [g for g in groups.values() if g.status == "closed"]
    assert [g.slug for g in closed] == ["wigan-hearing-voices"]
    assert closed[0].offer.status == "archived"

    # Loading again changes nothing.
    before = (Group.objects.count(), Meeting.objects.count(), LedgerEntry.objects.count())
    assert load_groups(io.StringIO()) == 0
    assert (Group.objects.count(), Meeting.objects.count(), LedgerEntry.objects.count()) == before
