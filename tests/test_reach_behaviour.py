"""The reach gate through the pages and runs that matter most: a step back taken on the care page keeps emails
away when a meeting is cancelled; a death recorded in an incident stops the prompts that would mention them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kindred.care import services as care
from kindred.groups import services as groups
from kindred.groups.models import FollowUpPrompt, Meeting
from kindred.groups.tests.core_helpers import LONDON, join, make_group, make_role, next_meeting
from kindred.notifications.models import Notification

pytestmark = pytest.mark.django_db

SETUP = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # Monday; the group meets Tuesdays at 7pm
DURING = datetime(2026, 6, 2, 19, 5, tzinfo=LONDON)
NEXT_MORNING = datetime(2026, 6, 3, 8, 0, tzinfo=LONDON)


@pytest.fixture
def group(personas):
    with time_machine.travel(SETUP, tick=False):
        group = make_group(personas)
        groups.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="weekly",
            weekday=1,
            start_time=time(19, 0),
            starts_on=date(2026, 6, 1),
        )
        join(group, personas.member)
        join(group, personas.peer)
        make_role(group, personas.peer, "welcome_buddy")
    return group


def test_someone_who_stepped_back_is_not_emailed_when_their_groups_meeting_is_cancelled(
    client, personas, group, django_capture_on_commit_callbacks
):
    client.force_login(personas.peer)
    assert client.post(reverse("care:step_back"), {"note": "A break"}).status_code == 302
    meeting = next_meeting(group)
    client.force_login(personas.facilitator)
    mail.outbox.clear()
    with time_machine.travel(SETUP, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("groups:meeting_change", args=[meeting.public_id]), {"action": "cancel"})
    assert response.status_code == 302
    # The notice is there for when they look; the email goes only to the member who hasn't stepped back.
    assert Notification.objects.filter(user=personas.peer, kind="groups.meeting_cancelled").exists()
    assert [m.to for m in mail.outbox] == [[personas.member.email]]

    client.force_login(personas.peer)
    assert client.post(reverse("care:come_back")).status_code == 200
    meeting = Meeting.objects.filter(group=group, status="scheduled").order_by("starts_at").first()
    client.force_login(personas.facilitator)
    mail.outbox.clear()
    with time_machine.travel(SETUP, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:meeting_change", args=[meeting.public_id]), {"action": "cancel"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([personas.member.email, personas.peer.email])


def test_no_follow_up_prompt_about_a_newcomer_recorded_as_having_died(
    client, personas, group, django_capture_on_commit_callbacks
):
    meeting = next_meeting(group)
    with time_machine.travel(DURING, tick=False):
        client.force_login(personas.facilitator)
        data = {
            "action": "attendance",
            "person": [str(personas.member.public_id)],
            f"present_{personas.member.public_id}": "on",
            f"first_{personas.member.public_id}": "on",
        }
        assert client.post(reverse("groups:facilitate", args=[meeting.public_id]), data).status_code == 302
        incident = care.incident_open(
            actor=personas.coordinator,
            organisation=personas.organisation,
            title="After the death of a member",
            group=group,
            person_concerned=personas.member,
        )
        care.stop_reminders(actor=personas.coordinator, incident=incident)
    mail.outbox.clear()
    with time_machine.travel(NEXT_MORNING, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("groups_daily")
    # The welcome buddy isn't asked to say hello to someone who has died; nothing mentions them.
    assert not FollowUpPrompt.objects.exists()
    assert not Notification.objects.filter(kind="groups.follow_up").exists()
    assert not Notification.objects.filter(user=personas.member).exists()
    assert not [m for m in mail.outbox if personas.member.display_name in m.body]
