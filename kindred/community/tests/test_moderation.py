"""Moderation: reports, the queue, actions with reasons the author sees, one appeal decided by another moderator,
audit, moderators on duty."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kindred.community.models import (
    ActionKind,
    Appeal,
    ModerationAction,
    ModeratorShift,
    Post,
    PostStatus,
    Report,
    ReportStatus,
)
from kindred.community.moderation import ModerationError, action_take, report_create
from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for

from .core_helpers import agree, make_reply, make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas):
    space = make_space(personas)
    return make_thread(space, personas.member)


def _report(client, post, reason="unkind", note=""):
    return client.post(reverse("community:post_report", args=[post.public_id]), {"reason": reason, "note": note})


def test_report_goes_to_the_organisations_queue_with_context(personas, thread):
    reply = make_reply(thread, personas.peer, "You're making it up.")
    response = _report(client_for(personas.member), reply, "unkind", "This hurt.")
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.target == reply and report.target_author == personas.peer and report.reason == "unkind"
    assert AuditEvent.objects.filter(action="community.report_create").exists()
    queue = client_for(personas.moderator).get(reverse("community:queue", args=["riverside"]))
    page = html.unescape(queue.content.decode())
    assert "Unkind, bullying or harassing" in page and "You're making it up." in page and "This hurt." in page
    detail = client_for(personas.moderator).get(reverse("community:report", args=[report.public_id]))
    assert thread.title in detail.content.decode()


def test_report_needs_a_reason_and_duplicate_reports_are_one(personas, thread):
    reply = make_reply(thread, personas.peer)
    page = client_for(personas.member).post(reverse("community:post_report", args=[reply.public_id]), {})
    assert "Please choose what worries you about this." in page.content.decode()
    _report(client_for(personas.member), reply)
    _report(client_for(personas.member), reply)
    assert Report.objects.count() == 1


def test_queue_permissions(personas, thread):
    url = reverse("community:queue", args=["riverside"])
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.peer).get(url).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.outside_coordinator).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(personas.moderator).get(url).status_code == 200
    assert client_for(personas.moderator).post(url).status_code == 405


def test_report_detail_and_moderate_permissions(personas, thread):
    reply = make_reply(thread, personas.peer)
    report = report_create(reporter=personas.member, target=reply, reason="spam")
    url = reverse("community:report", args=[report.public_id])
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    moderate = reverse("community:post_moderate", args=[reply.public_id])
    assert client_for(personas.member).get(moderate).status_code == 403
    assert client_for(personas.member).post(moderate, {"kind": "hide", "reason": "x"}).status_code == 403
    assert client_for(personas.outsider).get(moderate).status_code == 404
    reply.refresh_from_db()
    assert reply.status == PostStatus.VISIBLE


def test_hide_from_the_queue_then_the_author_sees_why_and_appeals_once_to_another_moderator(
    personas, thread, django_capture_on_commit_callbacks
):
    reply = make_reply(thread, personas.peer, "A post that breaks the rules")
    report = report_create(reporter=personas.member, target=reply, reason="rules")
    moderator = client_for(personas.moderator)
    response = moderator.post(
        reverse("community:report", args=[report.public_id]),
        {"form": "action", "kind": "hide", "reason": "It named another member. Please don't share others' details."},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    report.refresh_from_db()
    assert reply.status == PostStatus.HIDDEN and report.status == ReportStatus.ACTIONED
    # Readers see a placeholder; the author sees why.
    page = client_for(personas.facilitator).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "A post that breaks the rules" not in page and "A moderator has hidden this post." in page
    action = ModerationAction.objects.get(kind=ActionKind.HIDE)
    note = Notification.objects.get(user=personas.peer, kind="community.moderation")
    assert "Please don&#x27;t share" in html.escape(note.body) or "Please don't share" in note.body
    author = client_for(personas.peer)
    shown = html.unescape(author.get(note.url).content.decode())
    assert "It named another member." in shown and "Do you think this was wrong?" in shown
    # Someone else can't see or appeal it.
    assert client_for(personas.member).get(note.url).status_code == 404
    assert client_for(personas.member).post(note.url, {"text": "x"}).status_code == 404
    # Appeal once.
    with django_capture_on_commit_callbacks(execute=True):
        author.post(note.url, {"text": "I didn't name them, it was a nickname."})
    appeal = Appeal.objects.get()
    page = html.unescape(author.post(note.url, {"text": "Again"}).content.decode())
    assert Appeal.objects.count() == 1
    assert "Each decision can be appealed once" in page
    assert Notification.objects.filter(kind="community.appeal", user=personas.coordinator).exists()
    assert not Notification.objects.filter(kind="community.appeal", user=personas.moderator).exists()
    # The moderator who acted cannot decide it.
    decide = reverse("community:appeal", args=[appeal.public_id])
    page = html.unescape(moderator.post(decide, {"decision": "overturn", "reason": "ok"}).content.decode())
    assert "Another moderator needs to decide" in page
    appeal.refresh_from_db()
    assert appeal.status == "pending"
    # Another moderator (the coordinator) overturns it: the post comes back and the author is told.
    client_for(personas.coordinator).post(decide, {"decision": "overturn", "reason": "A nickname is fine here."})
    appeal.refresh_from_db()
    reply.refresh_from_db()
    action.refresh_from_db()
    assert appeal.status == "overturned" and appeal.decided_by == personas.coordinator
    assert reply.status == PostStatus.VISIBLE and action.lifted_at is not None
    told = Notification.objects.filter(user=personas.peer, kind="community.appeal").get()
    assert "reversed" in told.title and "A nickname is fine here." in told.body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"community.action_hide", "community.appeal_create", "community.appeal_decide"} <= actions


def test_upheld_appeal_keeps_the_decision(personas, thread):
    reply = make_reply(thread, personas.peer)
    action = action_take(moderator=personas.moderator, kind="hide", reason="Off topic", target=reply)
    client_for(personas.peer).post(reverse("community:action", args=[action.public_id]), {"text": "Please"})
    appeal = Appeal.objects.get()
    client_for(personas.coordinator).post(
        reverse("community:appeal", args=[appeal.public_id]), {"decision": "uphold", "reason": "It stays hidden."}
    )
    reply.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and reply.status == PostStatus.HIDDEN


def test_appeal_decision_permissions(personas, thread):
    reply = make_reply(thread, personas.peer)
    action = action_take(moderator=personas.moderator, kind="warn", reason="Please be gentle", target=reply)
    client_for(personas.peer).post(reverse("community:action", args=[action.public_id]), {"text": "Please"})
    url = reverse("community:appeal", args=[Appeal.objects.get().public_id])
    assert client_for(personas.peer).get(url).status_code == 403  # the appellant is a member, not a moderator
    assert client_for(personas.outsider).get(url).status_code == 404


def test_mute_stops_posting_until_it_ends_and_the_reason_is_shown(personas, thread, time_machine):
    time_machine.move_to("2026-11-20 12:00Z")
    reply = make_reply(thread, personas.peer)
    client_for(personas.moderator).post(
        reverse("community:post_moderate", args=[reply.public_id]),
        {"kind": "mute", "reason": "Let's take a breather.", "duration": "24h"},
    )
    action = ModerationAction.objects.get(kind="mute")
    assert abs(action.until - (timezone.now() + timedelta(hours=24))) < timedelta(seconds=5)
    peer = client_for(personas.peer)
    response = peer.post(reverse("community:thread", args=[thread.public_id]), {"body": "still here"})
    assert response.status_code == 403
    page = html.unescape(peer.get(reverse("community:thread", args=[thread.public_id])).content.decode())
    assert "Let's take a breather." in page
    time_machine.move_to("2026-11-21 12:01Z")
    assert peer.post(reverse("community:thread", args=[thread.public_id]), {"body": "back"}).status_code == 302


def test_mute_needs_a_duration_and_every_action_a_reason(personas, thread):
    reply = make_reply(thread, personas.peer)
    url = reverse("community:post_moderate", args=[reply.public_id])
    page = client_for(personas.moderator).post(url, {"kind": "mute", "reason": "x"}).content.decode()
    assert "Please choose how long this lasts." in page
    page = client_for(personas.moderator).post(url, {"kind": "hide", "reason": ""}).content.decode()
    assert "Please write a reason." in page
    assert not ModerationAction.objects.exists()


def test_ban_and_suspend_cover_the_organisation(personas, thread):
    reply = make_reply(thread, personas.peer)
    action_take(moderator=personas.moderator, kind="ban", reason="Repeated abuse", target=reply)
    other_space = make_space(personas, name="Another")
    agree(personas.peer, other_space)
    response = client_for(personas.peer).post(
        reverse("community:thread_create", args=[other_space.slug]), {"title": "t", "body": "b"}
    )
    assert response.status_code == 403


def test_moderators_cannot_act_on_themselves_or_restrict_other_moderators(personas, thread):
    own = make_reply(thread, personas.moderator)
    with pytest.raises(ModerationError):
        action_take(moderator=personas.moderator, kind="hide", reason="x", target=own)
    with pytest.raises(ModerationError):
        action_take(moderator=personas.coordinator, kind="ban", reason="x", target=own)


def test_dismiss_report(personas, thread):
    reply = make_reply(thread, personas.peer)
    report = report_create(reporter=personas.member, target=reply, reason="spam")
    client_for(personas.moderator).post(
        reverse("community:report", args=[report.public_id]), {"form": "dismiss", "note": "Not spam"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert AuditEvent.objects.filter(action="community.report_dismiss").exists()


def test_moderators_see_who_is_on_duty(personas, thread):
    moderator = client_for(personas.moderator)
    moderator.post(reverse("community:shift", args=["riverside"]), {"on_duty": "1"})
    moderator.post(reverse("community:shift", args=["riverside"]), {"on_duty": "1"})
    assert ModeratorShift.objects.filter(ended_at__isnull=True).count() == 1
    page = html.unescape(
        client_for(personas.coordinator).get(reverse("community:queue", args=["riverside"])).content.decode()
    )
    duty = page[page.index("Who's on duty") : page.index("Waiting for a moderator")]
    assert personas.moderator.display_name in duty
    assert (
        client_for(personas.member).post(reverse("community:shift", args=["riverside"]), {"on_duty": "1"}).status_code
        == 403
    )
    moderator.post(reverse("community:shift", args=["riverside"]), {"on_duty": "0"})
    assert not ModeratorShift.objects.filter(ended_at__isnull=True).exists()


def test_peer_host_moderates_a_peer_led_space(personas):
    from kindred.community.services import space_membership_set

    space = make_space(personas, governance="peer_led", name="Peer-led")
    space_membership_set(actor=personas.coordinator, space=space, person=personas.peer, role="host")
    thread = make_thread(space, personas.member)
    reply = make_reply(thread, personas.facilitator)
    response = client_for(personas.peer).post(
        reverse("community:post_moderate", args=[reply.public_id]), {"kind": "hide", "reason": "Off topic"}
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=reply.pk).status == PostStatus.HIDDEN


def test_author_sees_the_reason_beside_their_hidden_post(personas, thread):
    reply = make_reply(thread, personas.peer, "My hidden words")
    action = action_take(moderator=personas.moderator, kind="hide", reason="Names a member.", target=reply)
    page = client_for(personas.peer).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "My hidden words" in page and "Their reason: Names a member." in page
    assert reverse("community:action", args=[action.public_id]) in page


def test_peer_host_cannot_suspend_or_ban(personas):
    from kindred.community.services import space_membership_set

    space = make_space(personas, governance="peer_led", name="Peer-led two")
    space_membership_set(actor=personas.coordinator, space=space, person=personas.peer, role="host")
    thread = make_thread(space, personas.member)
    reply = make_reply(thread, personas.facilitator)
    page = client_for(personas.peer).post(
        reverse("community:post_moderate", args=[reply.public_id]), {"kind": "ban", "reason": "Go away"}
    )
    assert "for the organisation&#x27;s moderators" in page.content.decode()
    assert not ModerationAction.objects.exists()
    # A host of one space is not a moderator of another.
    other = make_space(personas, name="Other space")
    other_reply = make_reply(make_thread(other, personas.member, title="t2"), personas.facilitator)
    assert (
        client_for(personas.peer).get(reverse("community:post_moderate", args=[other_reply.public_id])).status_code
        == 403
    )


def test_network_wide_space_reports_reach_partner_moderators(personas):
    from kindred.testing.factories import MembershipFactory

    space = make_space(personas, partner_organisations=[personas.other_organisation], name="Shared")
    thread = make_thread(space, personas.outsider)
    reply = make_reply(thread, personas.member, "Unkind words")
    report = report_create(reporter=personas.outsider, target=reply, reason="unkind")
    MembershipFactory(user=personas.outside_coordinator, organisation=personas.other_organisation, role="moderator")
    partner = client_for(personas.outside_coordinator)
    queue = partner.get(reverse("community:queue", args=["hilltop"])).content.decode()
    assert "Unkind words" in queue
    partner.post(
        reverse("community:report", args=[report.public_id]), {"form": "action", "kind": "hide", "reason": "Be kind"}
    )
    assert Post.objects.get(pk=reply.pk).status == PostStatus.HIDDEN
