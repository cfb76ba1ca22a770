"""Held chat messages reach the moderation queue with the conversation around them, and a moderator can let
them through or remove them (page and API); crisis alerts about a chat message say "message", not "post"."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from kindred.community import chat
from kindred.community import moderation as mod
from kindred.community.models import ActionKind, MessageStatus
from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for

from .core_helpers import make_reply, make_space, make_thread
from .test_rooms_helpers import make_room, on_duty

pytestmark = pytest.mark.django_db

METHOD = "How many [tablets] would it take to not wake up?"


def say(room, user, text, n):
    return chat.message_post(author=user, room=room, text=text, client_msg_id=f"m-{n}", deliver=False).message


@pytest.fixture
def held(personas):
    room = make_room(personas.organisation, name="Evening chat")
    say(room, personas.peer, "EARLIER-ONE: rough day here too.", 1)
    say(room, personas.facilitator, "EARLIER-TWO: sending a cup of tea.", 2)
    message = say(room, personas.member, METHOD, 3)
    assert message.status == MessageStatus.HELD
    return message


def queue_page(user, organisation):
    return html.unescape(client_for(user).get(reverse("community:queue", args=[organisation.slug])).content.decode())


def test_held_message_is_in_the_queue_with_the_conversation_before_it(personas, held):
    page = queue_page(personas.moderator, personas.organisation)
    assert "Held chat message (urgent)" in page or "Held chat message (concern)" in page
    assert "in the Evening chat chat room" in page
    assert "[tablets]" in page
    assert page.index("EARLIER-ONE") < page.index("EARLIER-TWO") < page.index("[tablets]")
    assert reverse("community:message_moderate", args=[held.public_id]) in page
    (item,) = [i for i in mod.queue_for(personas.organisation) if i.kind == "held_message"]
    assert [m.body.split(":")[0] for m in item.context] == ["EARLIER-ONE", "EARLIER-TWO"]


def test_other_organisations_and_members_do_not_see_it(personas, held):
    assert not [i for i in mod.queue_for(personas.other_organisation) if i.message is not None]
    assert client_for(personas.member).get(reverse("community:queue", args=["riverside"])).status_code == 403
    assert client_for(personas.outsider).get(reverse("community:queue", args=["riverside"])).status_code == 404
    assert (
        client_for(personas.outside_coordinator)
        .get(reverse("community:message_moderate", args=[held.public_id]))
        .status_code
        == 404
    )


def test_moderate_page_shows_context(personas, held):
    page = client_for(personas.moderator).get(reverse("community:message_moderate", args=[held.public_id]))
    text = html.unescape(page.content.decode())
    assert "What came just before" in text and "EARLIER-TWO" in text


def test_release_from_the_queue_shows_it_to_the_room_and_tells_the_author(personas, held):
    response = client_for(personas.moderator).post(
        reverse("community:message_moderate", args=[held.public_id]),
        {"kind": ActionKind.RESTORE, "reason": "Thanks for sharing this. It's fine to show."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("community:queue", args=[personas.organisation.slug])
    held.refresh_from_db()
    assert held.status == MessageStatus.VISIBLE
    assert not [i for i in mod.queue_for(personas.organisation) if i.message is not None]
    note = Notification.objects.get(user=personas.member, kind="community.moderation")
    assert note.title == "A moderator has put your message back"
    assert AuditEvent.objects.filter(action="community.action_restore", actor=personas.moderator).exists()
    assert (
        "[tablets]"
        in client_for(personas.peer).get(reverse("community:room", args=[held.room.public_id])).content.decode()
    )


def test_remove_hides_it_and_the_author_is_told_about_their_message(personas, held):
    client_for(personas.moderator).post(
        reverse("community:message_moderate", args=[held.public_id]),
        {"kind": ActionKind.HIDE, "reason": "We keep details like this out of the room, to keep everyone safe."},
    )
    held.refresh_from_db()
    assert held.status == MessageStatus.HIDDEN
    note = Notification.objects.get(user=personas.member, kind="community.moderation")
    assert note.title == "A moderator hid one of your messages"
    action_page = html.unescape(client_for(personas.member).get(note.url).content.decode())
    assert "decision about your message" in action_page and "The message" in action_page


def test_a_member_cannot_release_a_held_message(personas, held):
    response = client_for(personas.peer).post(
        reverse("community:message_moderate", args=[held.public_id]), {"kind": "restore", "reason": "x"}
    )
    assert response.status_code == 404  # they can't even see it: it is held
    held.refresh_from_db()
    assert held.status == MessageStatus.HELD


# --- API ---------------------------------------------------------------------------------------------


def api(user, method, url, body=None):
    client = client_for(user)
    return getattr(client, method)(url, data=body, content_type="application/json")


def test_api_queue_lists_held_messages_with_context(personas, held):
    response = api(personas.moderator, "get", "/api/online/moderation/riverside/queue")
    assert response.status_code == 200
    (item,) = response.json()["held_messages"]
    assert item["message_public_id"] == str(held.public_id) and item["room"] == "Evening chat"
    assert [c["text"][:11] for c in item["context"]] == ["EARLIER-ONE", "EARLIER-TWO"]


def test_api_release_and_access_rules(personas, held):
    url = f"/api/online/messages/{held.public_id}/actions"
    body = {"kind": "restore", "reason": "It's fine to show."}
    assert api(personas.outsider, "post", url, body).status_code == 404
    assert api(personas.peer, "post", url, body).status_code == 404
    assert api(personas.moderator, "post", url, {"kind": "restore"}).status_code == 422
    assert api(personas.moderator, "get", url).status_code == 405
    held.refresh_from_db()
    assert held.status == MessageStatus.HELD
    response = api(personas.moderator, "post", url, body)
    assert response.status_code == 201 and response.json()["kind"] == "restore"
    held.refresh_from_db()
    assert held.status == MessageStatus.VISIBLE
    assert Client().post(url, data=body, content_type="application/json").status_code == 401


def test_api_report_a_chat_message_puts_it_in_the_queue(personas):
    room = make_room(personas.organisation)
    message = say(room, personas.peer, "You lot are all pathetic.", 1)
    url = f"/api/online/messages/{message.public_id}/reports"
    assert api(personas.outsider, "post", url, {"reason": "unkind"}).status_code == 404
    assert api(personas.member, "post", url, {"reason": "nonsense"}).status_code == 422
    assert api(personas.member, "post", url, {"reason": "unkind", "note": "Harsh."}).status_code == 201
    queue = api(personas.moderator, "get", "/api/online/moderation/riverside/queue").json()
    assert queue["reports"][0]["target_excerpt"] == "You lot are all pathetic."


# --- crisis alert wording ----------------------------------------------------------------------------


def test_crisis_alert_about_a_chat_message_says_message(personas, held):
    alert = Notification.objects.get(user=personas.moderator, kind="community.crisis")
    assert alert.body.startswith("A message in the Evening chat chat room suggests Member may be struggling")
    assert "post" not in alert.body


def test_crisis_alert_about_a_post_still_says_post(personas):
    on_duty(personas.moderator, personas.organisation)
    space = make_space(personas)
    thread = make_thread(space, personas.peer)
    make_reply(thread, personas.member, body="I want to kill myself tonight.")
    alert = Notification.objects.filter(user=personas.moderator, kind="community.crisis").latest("created_at")
    assert alert.body.startswith("A post in ")
