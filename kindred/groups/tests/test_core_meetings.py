"""Meetings: cancelling and moving with members told, RSVP and waiting list, events, near me."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kindred.groups import services
from kindred.groups.models import RSVP, Meeting
from kindred.notifications.models import Notification

from .core_helpers import LONDON, add_person, join, make_group, next_meeting

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday


@pytest.fixture
def group(personas):
    with time_machine.travel(NOW, tick=False):
        group = make_group(personas)
        services.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="weekly",
            weekday=1,
            start_time=time(19, 0),
            starts_on=date(2026, 6, 1),
            place="Riverside Centre",
            capacity=2,
        )
        join(group, personas.member)
    return group


@time_machine.travel(NOW, tick=False)
def test_cancelling_a_meeting_tells_members_in_kindred_and_by_email(
    client, personas, group, django_capture_on_commit_callbacks
):
    meeting = next_meeting(group)
    client.force_login(personas.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:meeting_change", args=[meeting.public_id]),
            {"action": "cancel", "cancel-note": "The centre is closed for repairs."},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    note = Notification.objects.get(user=personas.member, kind="groups.meeting_cancelled")
    assert "Tuesday 2 June" in note.title and "closed for repairs" in note.body
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert not Notification.objects.filter(user=personas.facilitator, kind="groups.meeting_cancelled").exists()

    client.force_login(personas.member)
    page = client.get(reverse("groups:meeting", args=[meeting.public_id])).content.decode()
    assert "This meeting is cancelled" in page
    client.post(reverse("groups:meeting_rsvp", args=[meeting.public_id]), {"answer": "going"})
    assert not RSVP.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_moving_a_meeting_keeps_where_it_came_from_and_tells_members(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:meeting_change", args=[meeting.public_id]),
        {"action": "move", "move-day": "2026-06-04", "move-start_time": "18:30", "move-note": "Room swap."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "moved"
    assert meeting.moved_from == datetime(2026, 6, 2, 19, 0, tzinfo=LONDON)
    assert meeting.starts_at == datetime(2026, 6, 4, 18, 30, tzinfo=LONDON)
    assert meeting.ends_at == datetime(2026, 6, 4, 20, 0, tzinfo=LONDON)
    note = Notification.objects.get(user=personas.member, kind="groups.meeting_moved")
    assert "Thursday 4 June at 6:30pm" in note.body
    # The daily job doesn't recreate the meeting at its old time.
    services.groups_daily()
    assert Meeting.objects.filter(group=group, starts_at=datetime(2026, 6, 2, 19, 0, tzinfo=LONDON)).count() == 0


@time_machine.travel(NOW, tick=False)
def test_bad_move_changes_nothing(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:meeting_change", args=[meeting.public_id]),
        {"action": "move", "move-day": "2026-05-01", "move-start_time": "18:30"},
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.moved_from is None


@time_machine.travel(NOW, tick=False)
def test_members_cannot_cancel_and_outsiders_get_404(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.member)
    assert (
        client.post(reverse("groups:meeting_change", args=[meeting.public_id]), {"action": "cancel"}).status_code == 403
    )
    client.force_login(personas.outside_coordinator)
    assert (
        client.post(reverse("groups:meeting_change", args=[meeting.public_id]), {"action": "cancel"}).status_code == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


@time_machine.travel(NOW, tick=False)
def test_rsvp_with_a_waiting_list_that_moves_up_when_a_place_frees(client, personas, group):
    meeting = next_meeting(group)
    sam, jo = add_person(personas, "sam"), add_person(personas, "jo")
    join(group, sam)
    join(group, jo)
    url = reverse("groups:meeting_rsvp", args=[meeting.public_id])
    for person in (personas.member, sam, jo):
        client.force_login(person)
        client.post(url, {"answer": "going"})
    waiting = RSVP.objects.get(meeting=meeting, person=jo)
    assert waiting.waitlist_position == 1
    client.force_login(jo)
    page = client.get(reverse("groups:meeting", args=[meeting.public_id])).content.decode()
    assert "on the waiting list (number 1)" in page

    client.force_login(sam)
    client.post(url, {"answer": "cant"})
    waiting.refresh_from_db()
    assert waiting.waitlist_position is None and waiting.answer == "going"
    assert Notification.objects.filter(user=jo, kind="groups.waitlist_place").exists()
    assert RSVP.objects.filter(meeting=meeting, answer="going", waitlist_position__isnull=True).count() == 2


@time_machine.travel(NOW, tick=False)
def test_rsvp_needs_membership_and_a_real_answer(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.peer)  # same organisation, not in the group
    client.post(reverse("groups:meeting_rsvp", args=[meeting.public_id]), {"answer": "going"})
    client.force_login(personas.member)
    client.post(reverse("groups:meeting_rsvp", args=[meeting.public_id]), {"answer": "definitely"})
    assert not RSVP.objects.exists()
    client.post(reverse("groups:meeting_rsvp", args=[meeting.public_id]), {"answer": "maybe"})
    assert RSVP.objects.get().answer == "maybe"


@time_machine.travel(NOW, tick=False)
def test_a_one_off_walk_with_no_series(client, personas, group):
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:schedule", args=[group.slug]),
        {
            "form": "event",
            "event-kind": "walk",
            "event-title": "Canal walk",
            "event-day": "2026-06-13",
            "event-start_time": "11:00",
            "event-duration_minutes": "120",
            "event-delivery": "in_person",
            "event-place": "Meet at the lock gates",
        },
    )
    assert response.status_code == 302
    walk = Meeting.objects.get(title="Canal walk")
    assert walk.series is None and walk.kind == "walk"
    assert walk.starts_at == datetime(2026, 6, 13, 11, 0, tzinfo=LONDON)
    page = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "Canal walk" in page


@time_machine.travel(NOW, tick=False)
def test_meetings_this_week_near_me(client, personas, group):
    far = make_group(personas, name="Far Away Group")
    far.offer.latitude, far.offer.longitude = 51.5072, -0.1276  # London
    far.offer.save()
    services.series_create(
        actor=personas.facilitator,
        group=far,
        frequency="weekly",
        weekday=2,
        start_time=time(18, 0),
        starts_on=date(2026, 6, 1),
    )
    response = client.get(reverse("groups:near"), {"place": "Manchester", "radius": "10"})
    text = response.content.decode()
    assert response.status_code == 200
    assert group.name in text and "Far Away Group" not in text
    assert text.count(group.name) == 1  # one weekly meeting in the next seven days
    bad = client.get(reverse("groups:near"), {"place": "Atlantis"})
    assert bad.status_code == 400 and "know that place yet" in bad.content.decode()
