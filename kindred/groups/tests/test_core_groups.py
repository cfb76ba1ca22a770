"""Groups and membership: starting, joining, pausing, leaving, roles, ground rules, access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from kindred.commons.models import Engagement
from kindred.commons.rules import has_acknowledged, rules_current, rules_history
from kindred.directory.models import Offer, OfferKind
from kindred.groups.models import Group, GroupMembership
from kindred.notifications.models import Notification

from .core_helpers import RULES, join, make_group

pytestmark = pytest.mark.django_db


def engagements(person, group, **filters):
    return Engagement.objects.filter(
        person=person, subject_type=ContentType.objects.get_for_model(Group), subject_id=str(group.pk), **filters
    )


def test_facilitator_starts_a_group_which_is_listed_in_the_directory(client, personas):
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:new"),
        {
            "organisation": "riverside",
            "name": "Tuesday Talk",
            "summary": "A gentle evening group.",
            "delivery": "in_person",
            "town": "Manchester",
            "is_public": "on",
            "ground_rules": "Be kind.",
            "is_grassroots": "on",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Tuesday Talk")
    assert group.offer.kind == OfferKind.GROUP and group.offer.status == "published"
    assert group.is_grassroots and group.offer.is_grassroots
    assert group.offer.latitude is not None  # placed from the town, so "near me" finds it
    membership = GroupMembership.objects.get(group=group, person=personas.facilitator)
    assert membership.role == "facilitator"
    assert engagements(personas.facilitator, group, role="facilitating", ended_at__isnull=True).exists()
    assert client.get(reverse("directory:offer", args=[group.offer.slug])).status_code == 200


def test_a_member_cannot_start_a_group(client, personas):
    client.force_login(personas.member)
    assert client.get(reverse("groups:new")).status_code == 403
    assert not Offer.objects.filter(kind="group").exists()


def test_joining_needs_the_ground_rules_acknowledged(client, personas):
    group = make_group(personas)
    client.force_login(personas.member)
    page = client.get(reverse("groups:join", args=[group.slug]))
    assert "Everyone can pass." in page.content.decode()
    refused = client.post(reverse("groups:join", args=[group.slug]), {})
    assert refused.status_code == 400
    assert "tick the box" in refused.content.decode()
    assert not GroupMembership.objects.filter(group=group, person=personas.member).exists()

    response = client.post(reverse("groups:join", args=[group.slug]), {"acknowledge": "on"})
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, person=personas.member)
    assert membership.status == "active" and membership.role == "member"
    assert has_acknowledged(personas.member, rules_current(group))
    engagement = engagements(personas.member, group).get()
    assert (engagement.form, engagement.role, engagement.ended_at) == ("group", "receiving", None)


def test_pause_and_come_back_keeps_the_place_and_shows_the_break(client, personas):
    group = make_group(personas)
    join(group, personas.member)
    client.force_login(personas.member)
    client.post(reverse("groups:pause", args=[group.slug]))
    membership = GroupMembership.objects.get(group=group, person=personas.member)
    assert membership.status == "paused" and membership.paused_at is not None
    first = engagements(personas.member, group).get()
    assert first.end_reason == "paused" and first.ended_at is not None
    page = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "taking a break" in page

    client.post(reverse("groups:resume", args=[group.slug]))
    membership.refresh_from_db()
    assert membership.status == "active"
    assert GroupMembership.objects.filter(group=group, person=personas.member).count() == 1
    rows = engagements(personas.member, group).order_by("started_at", "id")
    assert rows.count() == 2 and rows.last().ended_at is None

    client.post(reverse("groups:leave", args=[group.slug]))
    membership.refresh_from_db()
    assert membership.status == "left"
    assert engagements(personas.member, group, ended_at__isnull=True).count() == 0
    assert engagements(personas.member, group, end_reason="left").exists()


def test_new_ground_rules_ask_members_to_read_them_again(client, personas):
    group = make_group(personas)
    join(group, personas.member)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:rules", args=[group.slug]), {"action": "publish", "text": RULES + "\nPhones on silent."}
    )
    assert response.status_code == 302
    assert rules_history(group).count() == 2
    assert Notification.objects.filter(user=personas.member, kind="groups.ground_rules").exists()

    client.force_login(personas.member)
    page = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "ground rules have changed" in page
    client.post(reverse("groups:rules", args=[group.slug]), {"action": "acknowledge"})
    page = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "ground rules have changed" not in page


def test_a_member_cannot_change_the_ground_rules(client, personas):
    group = make_group(personas)
    join(group, personas.member)
    client.force_login(personas.member)
    response = client.post(reverse("groups:rules", args=[group.slug]), {"action": "publish", "text": "No rules"})
    assert response.status_code == 403
    assert rules_history(group).count() == 1


def test_roles_record_facilitating_and_committee_roles(client, personas):
    group = make_group(personas)
    join(group, personas.peer)
    membership = GroupMembership.objects.get(group=group, person=personas.peer)
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("groups:members", args=[group.slug]),
        {
            "action": "role",
            "membership": str(membership.public_id),
            "role": "co_facilitator",
            "committee_role": "treasurer",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.committee_role) == ("co_facilitator", "treasurer")
    assert engagements(personas.peer, group, role="facilitating", ended_at__isnull=True).exists()

    client.post(
        reverse("groups:members", args=[group.slug]),
        {"action": "role", "membership": str(membership.public_id), "role": "member", "committee_role": ""},
    )
    assert engagements(personas.peer, group, role="facilitating", ended_at__isnull=True).count() == 0
    assert engagements(personas.peer, group, role="receiving", ended_at__isnull=True).exists()


def test_members_cannot_manage_roles_and_outsiders_get_404(client, personas):
    group = make_group(personas)
    join(group, personas.member)
    client.force_login(personas.member)
    assert client.get(reverse("groups:members", args=[group.slug])).status_code == 403
    client.force_login(personas.outside_coordinator)
    assert client.get(reverse("groups:members", args=[group.slug])).status_code == 404


def test_the_last_facilitator_stepping_back_warns_the_coordinator(client, personas):
    group = make_group(personas)
    client.force_login(personas.facilitator)
    client.post(reverse("groups:leave", args=[group.slug]))
    warning = Notification.objects.get(user=personas.coordinator, kind="groups.no_facilitator")
    assert group.name in warning.title
    assert not Notification.objects.filter(user=personas.outside_coordinator).exists()


def test_private_group_is_404_to_outsiders_and_visible_once_added(client, personas):
    group = make_group(personas, public=False, name="Private Circle")
    for user in (personas.member, personas.outsider, personas.outside_coordinator):
        client.force_login(user)
        assert client.get(reverse("groups:detail", args=[group.slug])).status_code == 404
        assert client.get(reverse("groups:group_calendar", args=[group.slug])).status_code == 404
    client.logout()
    assert client.get(reverse("groups:detail", args=[group.slug])).status_code == 404

    client.force_login(personas.facilitator)
    client.post(reverse("groups:members", args=[group.slug]), {"action": "add", "add-email": "member@example.org"})
    client.force_login(personas.member)
    page = client.get(reverse("groups:detail", args=[group.slug]))
    assert page.status_code == 200 and "Private Circle" in page.content.decode()
    client.force_login(personas.coordinator)  # the group's own organisation's coordinator
    assert client.get(reverse("groups:detail", args=[group.slug])).status_code == 200


def test_public_group_page_shows_newcomers_what_to_expect_without_an_account(client, personas):
    group = make_group(personas)
    page = client.get(reverse("groups:detail", args=[group.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "What to expect" in text and "You can just listen." in text
    assert "Have a short chat first" in text


def test_my_groups_lists_the_persons_groups(client, personas):
    group = make_group(personas)
    join(group, personas.member)
    client.force_login(personas.member)
    page = client.get(reverse("groups:mine")).content.decode()
    assert group.name in page
    client.force_login(personas.outsider)
    assert group.name not in client.get(reverse("groups:mine")).content.decode()


def test_every_core_page_renders_for_the_people_it_is_for(client, personas):
    from kindred.groups import services

    group = make_group(personas)
    services.meeting_create(
        actor=personas.facilitator,
        group=group,
        starts_at=timezone.now() + timedelta(days=3),
        kind="social",
        title="Picnic",
    )
    meeting = group.meetings.get()
    client.force_login(personas.facilitator)
    pages = [
        reverse("groups:mine"),
        reverse("groups:new"),
        reverse("groups:detail", args=[group.slug]),
        reverse("groups:rules", args=[group.slug]),
        reverse("groups:members", args=[group.slug]),
        reverse("groups:schedule", args=[group.slug]),
        reverse("groups:rota", args=[group.slug]),
        reverse("groups:meeting", args=[meeting.public_id]),
        reverse("groups:meeting_change", args=[meeting.public_id]),
        reverse("groups:facilitate", args=[meeting.public_id]),
        reverse("groups:follow_ups"),
        reverse("groups:calendar_settings"),
        reverse("groups:near"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<h1>" in response.content.decode(), url
    client.force_login(personas.member)
    for url in (reverse("groups:join", args=[group.slug]), reverse("groups:first_chat", args=[group.slug])):
        assert client.get(url).status_code == 200, url
