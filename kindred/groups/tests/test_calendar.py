"""Calendar feeds: per group and a private tokenised feed per person, read by `icalendar`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from kindred.groups import services
from kindred.groups.models import CalendarToken

from .core_helpers import LONDON, join, make_group, next_meeting

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=LONDON)


def events(body: bytes) -> list:
    cal = Calendar.from_ical(body)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    return [c for c in cal.walk("VEVENT")]


def setup_group(personas, **kwargs):
    group = make_group(personas, **kwargs)
    services.series_create(
        actor=personas.facilitator,
        group=group,
        frequency="weekly",
        weekday=1,
        start_time=time(19, 0),
        starts_on=date(2026, 3, 17),
        ends_on=date(2026, 4, 7),
        delivery="hybrid",
        video_link="https://video.example.org/riverside",
        place="Room 2, Riverside Centre",
    )
    return group


def test_group_feed_is_valid_and_times_survive_the_clock_change(client, personas):
    with time_machine.travel(NOW, tick=False):
        group = setup_group(personas)
        response = client.get(reverse("groups:group_calendar", args=[group.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    starts = sorted(e.decoded("DTSTART") for e in found)
    assert starts == [
        datetime(2026, 3, 17, 19, 0, tzinfo=UTC),
        datetime(2026, 3, 24, 19, 0, tzinfo=UTC),
        datetime(2026, 3, 31, 18, 0, tzinfo=UTC),  # 7pm BST
        datetime(2026, 4, 7, 18, 0, tzinfo=UTC),
    ]
    assert all(str(e["LOCATION"]) == "Room 2, Riverside Centre" for e in found)
    assert b"video.example.org" not in response.content  # the public feed never carries the video link
    assert len({str(e["UID"]) for e in found}) == 4


def test_cancelled_and_moved_meetings_show_as_such_in_the_feed(client, personas):
    with time_machine.travel(NOW, tick=False):
        group = setup_group(personas)
        first = next_meeting(group)
        services.meeting_cancel(actor=personas.facilitator, meeting=first, note="The room is flooded.")
        second = group.meetings.order_by("starts_at")[1]
        services.meeting_move(actor=personas.facilitator, meeting=second, starts_at=datetime(2026, 3, 26, 18, 0))
        found = {
            str(e["UID"]): e for e in events(client.get(reverse("groups:group_calendar", args=[group.slug])).content)
        }
    cancelled = found[f"{first.public_id}@kindred"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "Cancelled" in str(cancelled["SUMMARY"])
    moved = found[f"{second.public_id}@kindred"]
    assert moved.decoded("DTSTART") == datetime(2026, 3, 26, 18, 0, tzinfo=UTC)
    assert int(moved["SEQUENCE"]) == 1


def test_private_feed_by_token_lists_my_groups_with_video_links(client, personas):
    with time_machine.travel(NOW, tick=False):
        group = setup_group(personas)
        other = setup_group(personas, name="Another Group")
        join(group, personas.member)
        client.force_login(personas.member)
        page = client.post(reverse("groups:calendar_settings"), {"action": "issue"})
        url = page.context["new_url"]
        token = url.rstrip("/").split("/")[-1].removesuffix(".ics")
        assert token not in CalendarToken.objects.get(person=personas.member).digest
        client.logout()
        response = client.get(url)
    assert response.status_code == 200
    found = events(response.content)
    assert len(found) == 4
    assert all(group.name in str(e["SUMMARY"]) for e in found)
    assert other.name not in response.content.decode()
    assert "https://video.example.org/riverside" in str(found[0]["DESCRIPTION"])


@time_machine.travel(NOW, tick=False)
def test_a_new_link_replaces_the_old_and_wrong_tokens_get_404(client, personas):
    group = setup_group(personas)
    join(group, personas.member)
    client.force_login(personas.member)
    old = client.post(reverse("groups:calendar_settings"), {"action": "issue"}).context["new_url"]
    new = client.post(reverse("groups:calendar_settings"), {"action": "issue"}).context["new_url"]
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get(reverse("groups:person_calendar", args=["not-a-real-token"])).status_code == 404
    client.force_login(personas.member)
    client.post(reverse("groups:calendar_settings"), {"action": "revoke"})
    client.logout()
    assert client.get(new).status_code == 404


def test_private_group_feed_is_for_members_only(client, personas):
    with time_machine.travel(NOW, tick=False):
        group = setup_group(personas, public=False, name="Closed Circle")
        _private_feed_checks(client, personas, group)


def _private_feed_checks(client, personas, group):
    assert client.get(reverse("groups:group_calendar", args=[group.slug])).status_code == 404
    client.force_login(personas.outside_coordinator)
    assert client.get(reverse("groups:group_calendar", args=[group.slug])).status_code == 404
    client.force_login(personas.facilitator)
    assert len(events(client.get(reverse("groups:group_calendar", args=[group.slug])).content)) >= 1
