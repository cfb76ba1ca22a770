"""Network-wide spaces are moderated together by every organisation sharing them.

Decision: a report, a held post or message, an appeal and a crisis alert about a shared space go to the
moderators of every organisation sharing it, not only the host. They already read and moderate the space; pooling
their cover means someone on duty sees it sooner. Organisations that don't share the space see none of it, and a
space that isn't shared stays with its own organisation.
"""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kindred.community import moderation as mod
from kindred.community.models import ActionKind, Post, PostStatus, Room, RoomSchedule
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for
from kindred.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .core_helpers import make_reply, make_space, make_thread
from .test_rooms_helpers import on_duty

pytestmark = pytest.mark.django_db

METHOD = "How many [tablets] would it take to not wake up?"


@pytest.fixture
def shared(personas):
    space = make_space(personas, partner_organisations=[personas.other_organisation], name="Shared space")
    # The partner's moderator; and a moderator of an organisation that does not share the space.
    partner = personas.outside_coordinator  # a coordinator of Hilltop moderates Hilltop's spaces
    stranger = UserFactory(email="stranger@example.org", display_name="Stranger")
    MembershipFactory(user=stranger, organisation=OrganisationFactory(slug="elsewhere"), role="moderator")
    return space, partner, stranger


def test_reports_in_a_shared_space_reach_partner_moderators_only(personas, shared):
    space, partner, stranger = shared
    thread = make_thread(space, personas.outsider)
    reply = make_reply(thread, personas.member, "SHARED-UNKIND")
    report = mod.report_create(reporter=personas.outsider, target=reply, reason="unkind")
    assert [i.report for i in mod.queue_for(personas.other_organisation) if i.report] == [report]
    assert not [i for i in mod.queue_for(stranger.memberships.get().organisation) if i.report]
    assert client_for(stranger).get(reverse("community:report", args=[report.public_id])).status_code == 404
    response = client_for(partner).post(
        reverse("community:report", args=[report.public_id]), {"form": "action", "kind": "hide", "reason": "Be kind"}
    )
    # Back to the partner's own queue, not the host's (which they can't open).
    assert response["Location"] == reverse("community:queue", args=["hilltop"])
    assert Post.objects.get(pk=reply.pk).status == PostStatus.HIDDEN


def test_a_space_that_is_not_shared_stays_with_its_organisation(personas, shared):
    own = make_space(personas, name="Riverside only")
    thread = make_thread(own, personas.peer)
    reply = make_reply(thread, personas.member, "LOCAL-UNKIND")
    report = mod.report_create(reporter=personas.peer, target=reply, reason="unkind")
    assert not [i for i in mod.queue_for(personas.other_organisation) if i.report]
    assert client_for(personas.outside_coordinator).get(
        reverse("community:report", args=[report.public_id])
    ).status_code in (403, 404)


def test_partner_moderator_on_duty_is_told_of_new_reports_and_crisis_posts(
    personas, shared, django_capture_on_commit_callbacks
):
    space, partner, _ = shared
    on_duty(partner, personas.other_organisation)  # nobody from the host organisation is on duty
    thread = make_thread(space, personas.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, personas.member, "I want to kill myself tonight.")
        reply = make_reply(thread, personas.member, "SHARED-UNKIND")
        mod.report_create(reporter=personas.outsider, target=reply, reason="unkind")
    assert Notification.objects.filter(user=partner, kind="community.crisis").exists()
    assert Notification.objects.filter(user=partner, kind="community.report").exists()
    # Someone is on duty for the space, so the host's off-duty moderators aren't woken.
    assert not Notification.objects.filter(user=personas.moderator, kind="community.crisis").exists()


def test_with_nobody_on_duty_anywhere_the_host_moderators_are_alerted(personas, shared):
    space, partner, _ = shared
    thread = make_thread(space, personas.outsider)
    make_reply(thread, personas.member, "I want to kill myself tonight.")
    assert Notification.objects.filter(user=personas.moderator, kind="community.crisis").exists()
    assert not Notification.objects.filter(user=partner, kind="community.crisis").exists()


def test_held_chat_message_in_a_shared_space_room_is_in_the_partner_queue(personas, shared):
    from kindred.community import chat

    space, partner, stranger = shared
    room = Room.objects.create(
        organisation=personas.organisation,
        space=space,
        name="Shared room",
        slug="shared-room",
        schedule=RoomSchedule.ALWAYS_OPEN,
    )
    message = chat.message_post(author=personas.member, room=room, text=METHOD, client_msg_id="h-1").message
    assert [i.message for i in mod.queue_for(personas.other_organisation) if i.message] == [message]
    assert not [i for i in mod.queue_for(stranger.memberships.get().organisation) if i.message]
    page = html.unescape(client_for(partner).get(reverse("community:queue", args=["hilltop"])).content.decode())
    assert "[tablets]" in page and "Shared room" in page


def test_appeals_in_a_shared_space_can_be_decided_by_a_partner_moderator(
    personas, shared, django_capture_on_commit_callbacks
):
    space, partner, stranger = shared
    thread = make_thread(space, personas.outsider)
    reply = make_reply(thread, personas.member, "SHARED-UNKIND")
    action = mod.action_take(moderator=personas.moderator, kind=ActionKind.HIDE, reason="Be kind", target=reply)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = mod.appeal_create(appellant=personas.member, action=action, text="I was upset, not unkind.")
    told = Notification.objects.get(user=partner, kind="community.appeal")
    assert told.url == reverse("community:queue", args=["hilltop"])
    assert not Notification.objects.filter(user=personas.moderator, kind="community.appeal").exists()
    assert not Notification.objects.filter(user=stranger, kind="community.appeal").exists()
    assert list(mod.pending_appeals(personas.other_organisation)) == [appeal]
    assert action in list(mod.recent_actions(personas.other_organisation))
    assert client_for(partner).get(reverse("community:action", args=[action.public_id])).status_code == 200
    assert client_for(stranger).get(reverse("community:appeal", args=[appeal.public_id])).status_code == 404
    response = client_for(partner).post(
        reverse("community:appeal", args=[appeal.public_id]),
        {"decision": "overturn", "reason": "Reading it again, it was a cry for help."},
    )
    assert response["Location"] == reverse("community:queue", args=["hilltop"])
    appeal.refresh_from_db()
    assert appeal.status == "overturned"
    assert Post.objects.get(pk=reply.pk).status == PostStatus.VISIBLE
