"""The groups API: same access rules as the pages."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine

from kindred.groups import services
from kindred.groups.models import RSVP, Attendance, GroupMembership
from kindred.notifications.models import Notification

from .core_helpers import LONDON, join, make_group, next_meeting

pytestmark = pytest.mark.django_db

SETUP = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)
DURING = datetime(2026, 6, 2, 19, 5, tzinfo=LONDON)


@pytest.fixture
def group(personas):
    with time_machine.travel(SETUP, tick=False):
        group = make_group(personas)
        services.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="weekly",
            weekday=1,
            start_time=time(19, 0),
            starts_on=date(2026, 6, 1),
            delivery="video",
            video_link="https://video.example.org/room",
        )
    return group


@time_machine.travel(SETUP, tick=False)
def test_join_read_and_rsvp_over_the_api(client, personas, group):
    client.force_login(personas.member)
    refused = client.post(f"/api/groups/{group.slug}/join", {}, content_type="application/json")
    assert refused.status_code == 400 and "ground rules" in refused.json()["detail"]
    assert not GroupMembership.objects.filter(person=personas.member).exists()
    joined = client.post(f"/api/groups/{group.slug}/join", {"acknowledge_rules": True}, content_type="application/json")
    assert joined.status_code == 200 and joined.json()["my_status"] == "active"

    mine = client.get("/api/groups/mine").json()
    assert [g["group"] for g in mine] == [group.slug]
    assert datetime.fromisoformat(mine[0]["next_meeting"]["starts_at"]) == datetime(2026, 6, 2, 19, 0, tzinfo=LONDON)

    meetings = client.get(f"/api/groups/{group.slug}/meetings").json()
    assert meetings[0]["video_link"] == "https://video.example.org/room"
    meeting_id = meetings[0]["public_id"]
    answer = client.post(
        f"/api/groups/meetings/{meeting_id}/rsvp", {"answer": "going"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json() == {"answer": "going", "waitlist_position": None}
    assert RSVP.objects.get(person=personas.member).answer == "going"
    bad = client.post(f"/api/groups/meetings/{meeting_id}/rsvp", {"answer": "yes!"}, content_type="application/json")
    assert bad.status_code == 422


@time_machine.travel(SETUP, tick=False)
def test_public_group_reads_without_an_account_hide_the_video_link(client, personas, group):
    detail = client.get(f"/api/groups/{group.slug}")
    assert detail.status_code == 200
    assert detail.json()["schedule"] == ["Every Tuesday at 7pm"]
    assert detail.json()["can_facilitate"] is False
    meetings = client.get(f"/api/groups/{group.slug}/meetings").json()
    assert meetings and all(m["video_link"] == "" for m in meetings)
    assert client.post(f"/api/groups/{group.slug}/join", {}, content_type="application/json").status_code == 401


@time_machine.travel(SETUP, tick=False)
def test_private_groups_are_404_to_outsiders_over_the_api(client, personas):
    private = make_group(personas, public=False, name="Quiet Room")
    services.series_create(
        actor=personas.facilitator,
        group=private,
        frequency="weekly",
        weekday=3,
        start_time=time(10, 0),
        starts_on=date(2026, 6, 1),
    )
    meeting = next_meeting(private)
    for user in (None, personas.outsider, personas.outside_coordinator, personas.member):
        if user:
            client.force_login(user)
        assert client.get(f"/api/groups/{private.slug}").status_code == 404
        assert client.get(f"/api/groups/meetings/{meeting.public_id}").status_code == 404
        client.logout()


def test_attendance_and_cancelling_are_for_facilitators(client, personas, group):
    with time_machine.travel(SETUP, tick=False):
        join(group, personas.member)
        meeting = next_meeting(group)
        url = f"/api/groups/meetings/{meeting.public_id}"
        client.force_login(personas.member)
        assert client.get(f"{url}/attendance").status_code == 403
        assert client.post(f"{url}/cancel", {}, content_type="application/json").status_code == 403
        client.force_login(personas.outside_coordinator)
        assert client.get(f"{url}/attendance").status_code == 404
        assert client.post(f"{url}/cancel", {}, content_type="application/json").status_code == 404

    with time_machine.travel(DURING, tick=False):
        client.force_login(personas.facilitator)
        sheet = client.get(f"{url}/attendance").json()
        assert {row["display_name"] for row in sheet} == {"Member", "Facilitator"}
        marks = {"marks": [{"person": str(personas.member.public_id), "present": True, "first_visit": True}]}
        response = client.post(f"{url}/attendance", marks, content_type="application/json")
        assert response.status_code == 200
        assert Attendance.objects.get(person=personas.member).first_visit
        stranger = {"marks": [{"person": str(personas.outsider.public_id), "present": True}]}
        assert client.post(f"{url}/attendance", stranger, content_type="application/json").status_code == 400
        assert not Attendance.objects.filter(person=personas.outsider).exists()

    with time_machine.travel(SETUP, tick=False):
        later = group.meetings.order_by("starts_at")[1]
        moved = client.post(
            f"/api/groups/meetings/{later.public_id}/move",
            {"starts_at": "2026-06-10T18:00:00", "note": "Swap"},
            content_type="application/json",
        )
        assert moved.status_code == 200 and moved.json()["status"] == "moved"
        assert datetime.fromisoformat(moved.json()["starts_at"]) == datetime(2026, 6, 10, 18, 0, tzinfo=LONDON)
        assert Notification.objects.filter(user=personas.member, kind="groups.meeting_moved").exists()
