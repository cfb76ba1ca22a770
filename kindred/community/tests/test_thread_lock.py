"""Moderators close a conversation to new replies (with a kind note everyone sees) and reopen it: page and API."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from kindred.community import services
from kindred.community.models import Post, Thread
from kindred.core.models import AuditEvent
from kindred.testing.clients import client_for

from .core_helpers import agree, make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas) -> Thread:
    return make_thread(make_space(personas), personas.member)


def page(user, thread):
    return html.unescape(client_for(user).get(reverse("community:thread", args=[thread.public_id])).content.decode())


def lock(user, thread, **data):
    return client_for(user).post(reverse("community:thread_lock", args=[thread.public_id]), data)


def test_moderator_sees_the_lock_form_and_members_do_not(personas, thread):
    assert "Close to new replies" in page(personas.moderator, thread)
    assert "Close to new replies" not in page(personas.member, thread)


def test_locking_shows_a_kind_notice_and_refuses_replies(personas, thread):
    response = lock(personas.moderator, thread, locked="1", note="Let's give this some space. Thank you all.")
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked and thread.locked_at and thread.lock_note == "Let's give this some space. Thank you all."
    seen = page(personas.peer, thread)
    assert "This conversation is closed to new replies." in seen
    assert "Let's give this some space. Thank you all." in seen
    assert 'name="body"' not in seen  # no reply box
    assert "start a new conversation" in seen
    agree(personas.peer, thread.space)
    refused = client_for(personas.peer).post(reverse("community:thread", args=[thread.public_id]), {"body": "Hi"})
    assert refused.status_code == 400
    assert "closed to new replies" in html.unescape(refused.content.decode())
    assert Post.objects.filter(thread=thread).count() == 1
    event = AuditEvent.objects.get(action="community.thread_lock")
    assert event.actor == personas.moderator and event.detail["note"].startswith("Let's give")


def test_locked_without_a_note_shows_the_default_words(personas, thread):
    lock(personas.moderator, thread, locked="1")
    assert services.LOCKED_DEFAULT in page(personas.member, thread)


def test_the_service_refuses_a_reply_to_a_locked_thread(personas, thread):
    stale = Thread.objects.get(pk=thread.pk)
    services.thread_lock_set(moderator=personas.moderator, thread=thread, locked=True)
    agree(personas.peer, thread.space)
    with pytest.raises(services.CommunityError, match="closed to new replies"):
        services.reply_create(author=personas.peer, thread=stale, body="Still here")  # an old copy of the row


def test_unlock_reopens_for_replies(personas, thread):
    lock(personas.moderator, thread, locked="1", note="Pausing.")
    lock(personas.moderator, thread, locked="0")
    thread.refresh_from_db()
    assert not thread.is_locked and thread.lock_note == "" and thread.locked_at is None
    assert "closed to new replies" not in page(personas.member, thread)
    assert AuditEvent.objects.filter(action="community.thread_unlock").count() == 1


def test_who_may_lock(personas, thread):
    assert lock(personas.member, thread, locked="1").status_code == 403
    assert lock(personas.outsider, thread, locked="1").status_code == 404  # a members-only space
    assert Client().post(reverse("community:thread_lock", args=[thread.public_id]), {"locked": "1"}).status_code == 302
    assert (
        client_for(personas.moderator).get(reverse("community:thread_lock", args=[thread.public_id])).status_code == 405
    )
    thread.refresh_from_db()
    assert not thread.is_locked


def test_an_overlong_note_is_refused_kindly_and_nothing_changes(personas, thread):
    moderator = client_for(personas.moderator)
    url = reverse("community:thread_lock", args=[thread.public_id])
    response = moderator.post(url, {"locked": "1", "note": "x" * 301})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert not thread.is_locked
    followed = moderator.get(response["Location"])
    assert "300 characters or fewer" in followed.content.decode()


# --- API ---------------------------------------------------------------------------------------------


def api_lock(user, thread, body):
    client = client_for(user) if user else Client()
    return client.put(f"/api/online/threads/{thread.public_id}/lock", data=body, content_type="application/json")


def test_api_lock_and_unlock(personas, thread):
    response = api_lock(personas.moderator, thread, {"locked": True, "note": "Taking a breath."})
    assert response.status_code == 200
    assert response.json()["is_locked"] is True and response.json()["lock_note"] == "Taking a breath."
    detail = client_for(personas.member).get(f"/api/online/threads/{thread.public_id}").json()
    assert detail["is_locked"] is True and detail["lock_note"] == "Taking a breath."
    assert api_lock(personas.moderator, thread, {"locked": False}).json()["is_locked"] is False


def test_api_lock_access_and_bad_input(personas, thread):
    assert api_lock(None, thread, {"locked": True}).status_code == 401
    assert api_lock(personas.outsider, thread, {"locked": True}).status_code == 404
    assert api_lock(personas.member, thread, {"locked": True}).status_code == 403
    assert api_lock(personas.moderator, thread, {"locked": "maybe"}).status_code == 422
    assert api_lock(personas.moderator, thread, {"locked": True, "note": "x" * 301}).status_code == 422
    thread.refresh_from_db()
    assert not thread.is_locked
