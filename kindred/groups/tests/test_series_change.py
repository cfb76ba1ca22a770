"""Changing a regular meeting's day or time in place, from the schedule page."""

from __future__ import annotations

import html
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.directory.models import OfferTime
from kindred.groups import services
from kindred.groups.models import RSVP, Meeting, MeetingSeries, MeetingStatus
from kindred.notifications.models import Notification

from .core_helpers import join, make_group

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def _meeting_on(series, day: date) -> Meeting:
    return next(m for m in Meeting.objects.filter(series=series) if m.slot.astimezone(LONDON).date() == day)


@pytest.fixture
def world(personas):
    """A weekly Tuesday 7pm group started on 3 March 2026; it is now Friday 20 March."""
    with time_machine.travel(local(2026, 3, 2, 10, 0), tick=False):
        group = make_group(personas)
        join(group, personas.member)
        series = services.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="weekly",
            weekday=1,
            start_time=time(19, 0),
            starts_on=date(2026, 3, 3),
            duration_minutes=90,
        )
    traveller = time_machine.travel(local(2026, 3, 20, 12, 0), tick=False)
    traveller.start()
    yield group, series
    traveller.stop()


def test_future_meetings_move_past_and_changed_ones_stay_and_members_are_told(
    client, personas, world, django_capture_on_commit_callbacks
):
    group, series = world
    past = _meeting_on(series, date(2026, 3, 17))
    coming = _meeting_on(series, date(2026, 3, 24))
    services.rsvp_set(actor=personas.member, meeting=coming, answer="going")
    moved_alone = _meeting_on(series, date(2026, 3, 31))
    services.meeting_move(actor=personas.facilitator, meeting=moved_alone, starts_at=local(2026, 4, 1, 20, 0))
    cancelled = _meeting_on(series, date(2026, 4, 7))
    services.meeting_cancel(actor=personas.facilitator, meeting=cancelled, note="Room closed for Easter.")
    count_before = Meeting.objects.filter(series=series).count()
    mail.outbox.clear()
    client.force_login(personas.facilitator)
    schedule = client.get(reverse("groups:schedule", args=[group.slug])).content.decode()
    url = reverse("groups:series_change", args=[group.slug, series.public_id])
    assert url in schedule

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"weekday": "2", "start_time": "18:30", "duration_minutes": "90", "note": "The hall changed days."}
        )

    assert response.status_code == 302
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Changed to: Every Wednesday at 6:30pm." in page
    # Past meetings untouched.
    past.refresh_from_db()
    assert past.starts_at == local(2026, 3, 17, 19, 0)
    # The coming one moved to the Wednesday of its week, keeping the answer given for it.
    coming.refresh_from_db()
    assert (coming.starts_at, coming.ends_at) == (local(2026, 3, 25, 18, 30), local(2026, 3, 25, 20, 0))
    assert coming.status == MeetingStatus.SCHEDULED
    assert RSVP.objects.get(meeting=coming, person=personas.member).answer == "going"
    # Meetings changed one by one keep what the facilitator decided, and no extra meeting appears in their weeks.
    moved_alone.refresh_from_db()
    cancelled.refresh_from_db()
    assert (moved_alone.status, moved_alone.starts_at) == (MeetingStatus.MOVED, local(2026, 4, 1, 20, 0))
    assert cancelled.status == MeetingStatus.CANCELLED
    assert not Meeting.objects.filter(series=series, starts_at=local(2026, 4, 1, 18, 30)).exists()
    assert not Meeting.objects.filter(series=series, starts_at=local(2026, 4, 8, 18, 30)).exists()
    # Later ones are all Wednesdays at 6:30pm local time, across the clocks changing (29 March) and through summer.
    later = Meeting.objects.filter(series=series, starts_at__gte=local(2026, 4, 9)).order_by("starts_at")
    assert later.count() > 40
    assert all(m.starts_at.astimezone(LONDON).weekday() == 2 for m in later)
    assert {m.starts_at.astimezone(LONDON).time() for m in later} == {time(18, 30)}
    assert Meeting.objects.filter(series=series).count() == count_before  # moved in place, none lost or doubled
    # The rule, the directory's times and the audit trail.
    series.refresh_from_db()
    assert (series.weekday, series.start_time) == (2, time(18, 30))
    assert OfferTime.objects.filter(offer=group.offer, weekday=2, starts_at=time(18, 30)).exists()
    assert not OfferTime.objects.filter(offer=group.offer, weekday=1).exists()
    assert AuditEvent.objects.filter(action="group.series_changed", actor=personas.facilitator).count() == 1
    # Every member is told once, in Kindred and by email.
    note = Notification.objects.get(user=personas.member, kind="groups.series_changed")
    assert "now meets every Wednesday at 6:30pm (it was every Tuesday at 7pm)" in note.body
    assert "Wednesday 25 March at 6:30pm" in note.body and "The hall changed days." in note.body
    assert [m.to for m in mail.outbox if "New regular time" in m.subject] == [[personas.member.email]]


def test_monthly_on_the_nth_weekday_moves_to_the_new_week_of_the_same_month(client, personas):
    with time_machine.travel(local(2026, 3, 2, 10, 0), tick=False):
        group = make_group(personas)
        series = services.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="monthly_nth",
            nth=1,
            weekday=3,
            start_time=time(10, 0),
            starts_on=date(2026, 3, 1),
        )
        client.force_login(personas.facilitator)
        url = reverse("groups:series_change", args=[group.slug, series.public_id])
        # nth is required for this kind of rule.
        response = client.post(url, {"weekday": "3", "start_time": "10:00", "duration_minutes": "90"})
        assert response.status_code == 400 and "Please choose which week of the month." in response.content.decode()
        response = client.post(url, {"weekday": "3", "nth": "3", "start_time": "10:00", "duration_minutes": "90"})
        assert response.status_code == 302
    starts = [m.starts_at.astimezone(LONDON) for m in Meeting.objects.filter(series=series).order_by("starts_at")[:3]]
    assert [s.date() for s in starts] == [date(2026, 3, 19), date(2026, 4, 16), date(2026, 5, 21)]


def test_who_may_change_it_and_bad_input(client, personas, world):
    group, series = world
    url = reverse("groups:series_change", args=[group.slug, series.public_id])
    client.force_login(personas.member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"weekday": "2", "start_time": "18:30", "duration_minutes": "90"}).status_code == 403
    for outsider in (personas.outsider, personas.outside_coordinator):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404)
    client.force_login(personas.coordinator)  # the organisation's coordinator may
    assert client.get(url).status_code == 200
    client.force_login(personas.facilitator)
    assert client.put(url).status_code == 405
    other = make_group(personas, name="Another group")
    assert client.get(reverse("groups:series_change", args=[other.slug, series.public_id])).status_code == 404
    before = list(Meeting.objects.filter(series=series).values_list("starts_at", flat=True).order_by("starts_at"))
    response = client.post(url, {"weekday": "2", "start_time": "half six", "duration_minutes": "90"})
    assert response.status_code == 400 and "Please give a time like 19:00." in response.content.decode()
    response = client.post(url, {"weekday": "1", "start_time": "19:00", "duration_minutes": "90"})
    assert response.status_code == 400 and "nothing to change" in response.content.decode()
    after = list(Meeting.objects.filter(series=series).values_list("starts_at", flat=True).order_by("starts_at"))
    assert before == after
    assert MeetingSeries.objects.get(pk=series.pk).weekday == 1
    assert not Notification.objects.filter(kind="groups.series_changed").exists()


def test_changing_the_regular_time_over_the_api(client, personas, world):
    group, series = world
    url = f"/api/groups/{group.slug}/series/{series.public_id}/change"
    payload = {"weekday": 3, "start_time": "18:00"}
    assert client.post(url, payload, content_type="application/json").status_code == 401
    client.force_login(personas.member)
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(personas.outsider)
    assert client.post(url, payload, content_type="application/json").status_code in (403, 404)
    client.force_login(personas.facilitator)
    assert client.post(url, {"weekday": 9, "start_time": "18:00"}, content_type="application/json").status_code == 422
    assert client.get(url).status_code == 405
    other = make_group(personas, name="Another group")
    wrong = f"/api/groups/{other.slug}/series/{series.public_id}/change"
    assert client.post(wrong, payload, content_type="application/json").status_code == 404
    assert MeetingSeries.objects.get(pk=series.pk).weekday == 1  # nothing changed so far

    response = client.post(url, payload, content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert (body["before"], body["after"]) == ("Every Tuesday at 7pm", "Every Thursday at 6pm")
    assert body["moved"] > 40
    coming = Meeting.objects.filter(series=series, starts_at__gt=local(2026, 3, 20, 12)).order_by("starts_at").first()
    assert coming.starts_at == local(2026, 3, 26, 18, 0)
