"""First visits and facilitation: chats, attendance, follow-ups, the round, notes, rota, access."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kindred.commons.models import Engagement
from kindred.core.models import AuditEvent
from kindred.groups import services
from kindred.groups.models import Attendance, FollowUpPrompt, Group, GroupMembership, RotaSlot
from kindred.notifications.models import Notification

from .core_helpers import LONDON, add_person, join, make_group, make_role, next_meeting

pytestmark = pytest.mark.django_db

SETUP = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # Monday; the group meets Tuesdays at 7pm
DURING = datetime(2026, 6, 2, 19, 5, tzinfo=LONDON)
NEXT_MORNING = datetime(2026, 6, 3, 8, 0, tzinfo=LONDON)


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
        )
        join(group, personas.member)
        join(group, personas.peer)
        make_role(group, personas.peer, "welcome_buddy")
    return group


def mark(client, meeting, rows):
    data = {"action": "attendance", "person": [str(p.public_id) for p, _, _ in rows]}
    for person, present, first in rows:
        if present:
            data[f"present_{person.public_id}"] = "on"
        if first:
            data[f"first_{person.public_id}"] = "on"
    return client.post(reverse("groups:facilitate", args=[meeting.public_id]), data)


def test_asking_for_a_first_visit_chat_tells_the_welcome_buddy(
    client, personas, group, django_capture_on_commit_callbacks
):
    newcomer = add_person(personas, "newcomer")
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:first_chat", args=[group.slug]),
            {"message": "I'm nervous about the first time.", "how_to_reach": "A message here"},
        )
    assert response.status_code == 302
    note = Notification.objects.get(user=personas.peer, kind="groups.first_visit_chat")
    assert "Newcomer" in note.title and "nervous" in note.body
    assert mail.outbox[0].to == ["peer@example.org"]
    client.force_login(personas.peer)
    assert "nervous about the first time" in client.get(reverse("groups:follow_ups")).content.decode()
    client.force_login(newcomer)  # asking twice is kindly refused
    assert client.post(reverse("groups:first_chat", args=[group.slug]), {}).status_code == 400


def test_attendance_first_visit_and_the_follow_up_the_day_after(
    client, personas, group, django_capture_on_commit_callbacks
):
    meeting = next_meeting(group)
    with time_machine.travel(DURING, tick=False):
        client.force_login(personas.facilitator)
        page = client.get(reverse("groups:facilitate", args=[meeting.public_id])).content.decode()
        assert "Member" in page and "first visit" in page
        response = mark(client, meeting, [(personas.member, True, True), (personas.peer, True, False)])
        assert response.status_code == 302
        assert Attendance.objects.get(meeting=meeting, person=personas.member).first_visit
        facilitating = Engagement.objects.filter(
            person=personas.facilitator, role="facilitating", subject_type=ContentType.objects.get_for_model(Group)
        )
        assert facilitating.exists()
        assert services.follow_ups_prompt_due() == 0  # not the same evening

    with time_machine.travel(NEXT_MORNING, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("groups_daily")
        prompt = FollowUpPrompt.objects.get()
        assert (prompt.newcomer, prompt.prompted) == (personas.member, personas.peer)  # the welcome buddy
        assert Notification.objects.filter(user=personas.peer, kind="groups.follow_up").count() == 1
        call_command("groups_daily")  # idempotent
        assert FollowUpPrompt.objects.count() == 1
        assert Notification.objects.filter(user=personas.peer, kind="groups.follow_up").count() == 1

        client.force_login(personas.peer)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("groups:follow_up", args=[prompt.public_id]),
                {"action": "send", "message": "Lovely to meet you last night."},
            )
        assert response.status_code == 302
        got = Notification.objects.get(user=personas.member, kind="groups.follow_up_message")
        assert got.body == "Lovely to meet you last night."
        assert mail.outbox[0].to == ["member@example.org"]
        client.force_login(personas.member)
        assert client.get(reverse("groups:follow_up", args=[prompt.public_id])).status_code == 404


def test_opting_out_of_follow_ups_means_nobody_is_prompted(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.member)
    client.post(reverse("groups:follow_up_preference", args=[group.slug]), {"opt_out": "on"})
    assert GroupMembership.objects.get(group=group, person=personas.member).follow_up_opt_out
    with time_machine.travel(DURING, tick=False):
        client.force_login(personas.facilitator)
        mark(client, meeting, [(personas.member, True, True)])
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert services.follow_ups_prompt_due() == 0
    assert not FollowUpPrompt.objects.exists()
    assert not Notification.objects.filter(kind="groups.follow_up").exists()


def test_the_round_lists_everyone_present_and_allows_passing(client, personas, group):
    meeting = next_meeting(group)
    url = reverse("groups:facilitate", args=[meeting.public_id])
    with time_machine.travel(DURING, tick=False):
        client.force_login(personas.facilitator)
        mark(
            client,
            meeting,
            [(personas.member, True, False), (personas.peer, True, False), (personas.facilitator, False, False)],
        )
        client.post(url, {"action": "round_start", "shuffle": "off"})
        meeting.refresh_from_db()
        assert meeting.round_order == [str(personas.member.public_id), str(personas.peer.public_id)]
        page = client.get(url).content.decode()
        assert "speaking now" in page and "data-round-timer" in page and "round-timer.js" in page
        client.post(url, {"action": "round_pass"})
        client.post(url, {"action": "round_next"})
        meeting.refresh_from_db()
        assert meeting.round_passed == [str(personas.member.public_id)]
        assert "Everyone has had their turn" in client.get(url).content.decode()
        client.post(url, {"action": "round_start"})  # shuffled: the same people, in some order
        meeting.refresh_from_db()
        assert sorted(meeting.round_order) == sorted([str(personas.member.public_id), str(personas.peer.public_id)])


def test_facilitator_notes_are_hidden_from_members_and_outsiders(client, personas, group):
    meeting = next_meeting(group)
    url = reverse("groups:facilitate", args=[meeting.public_id])
    client.force_login(personas.facilitator)
    client.post(url, {"action": "note", "note-text": "Sam seemed low tonight."})
    assert "Sam seemed low tonight." in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="group.facilitator_note").exists()
    client.force_login(personas.member)
    assert client.get(url).status_code == 403
    assert "Sam seemed low" not in client.get(reverse("groups:meeting", args=[meeting.public_id])).content.decode()
    for outsider in (personas.outsider, personas.outside_coordinator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(personas.coordinator)  # the group's own organisation
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="group.notes_viewed", actor=personas.coordinator).exists()


def test_incident_note_asks_the_coordinator_to_follow_up(client, personas, group):
    meeting = next_meeting(group)
    client.force_login(personas.facilitator)
    bad = client.post(reverse("groups:facilitate", args=[meeting.public_id]), {"action": "incident"})
    assert bad.status_code == 400
    client.post(
        reverse("groups:facilitate", args=[meeting.public_id]),
        {"action": "incident", "incident-what_happened": "Someone left upset.", "incident-needs_follow_up": "on"},
    )
    assert Notification.objects.filter(user=personas.coordinator, kind="groups.incident").exists()
    assert "Someone left upset" not in Notification.objects.get(user=personas.coordinator).body
    assert AuditEvent.objects.filter(action="group.incident_note").exists()


def test_rota_gaps_are_highlighted_and_co_facilitators_told_once(client, personas, group):
    join(group, personas.psw)
    make_role(group, personas.psw, "co_facilitator")
    with time_machine.travel(SETUP, tick=False):
        first = group.meetings.order_by("starts_at").first()
        client.force_login(personas.facilitator)
        client.post(
            reverse("groups:rota", args=[group.slug]),
            {"action": "assign", "meeting": str(first.public_id), "facilitator": str(personas.facilitator.public_id)},
        )
        assert RotaSlot.objects.get(meeting=first).facilitator == personas.facilitator
        page = client.get(reverse("groups:rota", args=[group.slug])).content.decode()
        assert "Needs a facilitator" in page
        services.groups_daily()
        note = Notification.objects.get(user=personas.psw, kind="groups.rota_gap")
        assert "Tuesday 9 June" in note.body and "Tuesday 2 June" not in note.body
        services.groups_daily()
        assert Notification.objects.filter(user=personas.psw, kind="groups.rota_gap").count() == 1
        assert not Notification.objects.filter(user=personas.member, kind="groups.rota_gap").exists()
        client.force_login(personas.member)
        assert client.get(reverse("groups:rota", args=[group.slug])).status_code == 403


def test_handover_note_passes_between_facilitators(client, personas, group):
    join(group, personas.psw)
    make_role(group, personas.psw, "co_facilitator")
    client.force_login(personas.facilitator)
    client.post(
        reverse("groups:rota", args=[group.slug]),
        {
            "action": "handover",
            "handover-text": "Keys are with reception.",
            "handover-recipient": str(personas.psw.public_id),
        },
    )
    assert Notification.objects.filter(user=personas.psw, kind="groups.handover").exists()
    client.force_login(personas.psw)
    assert "Keys are with reception." in client.get(reverse("groups:rota", args=[group.slug])).content.decode()
