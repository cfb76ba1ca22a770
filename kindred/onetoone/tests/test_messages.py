from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kindred.accounts.models import Profile
from kindred.onetoone.models import Connection, Message
from kindred.testing.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(personas):
    client_for(personas.member).post(
        reverse("onetoone:connect", args=[personas.peer.public_id]), {"role": "both", "note": "", "where_met": ""}
    )
    connection = Connection.objects.get()
    client_for(personas.peer).post(reverse("onetoone:connection_action", args=[connection.public_id, "accept"]))
    return Connection.objects.get().conversation


def test_messages_flow_with_read_state_and_quick_refresh(personas, conversation):
    member, peer = client_for(personas.member), client_for(personas.peer)
    url = reverse("onetoone:conversation", args=[conversation.public_id])
    assert member.post(url, {"body": "Hello, how was your week?"}).status_code == 302
    page = peer.get(url).content.decode()
    assert "Hello, how was your week?" in page
    assert 'hx-trigger="every 10s"' in page
    partial = member.get(reverse("onetoone:conversation_messages", args=[conversation.public_id])).content.decode()
    assert "Seen" in partial  # the peer opened the conversation
    home = peer.get(reverse("onetoone:home")).content.decode()
    assert "new)" not in home


def test_unread_count_on_overview(personas, conversation):
    client_for(personas.member).post(reverse("onetoone:conversation", args=[conversation.public_id]), {"body": "One"})
    home = client_for(personas.peer).get(reverse("onetoone:home")).content.decode()
    assert "(1 new)" in home


def test_empty_and_overlong_messages_are_refused(personas, conversation):
    url = reverse("onetoone:conversation", args=[conversation.public_id])
    member = client_for(personas.member)
    assert "This field is required" in member.post(url, {"body": "  "}).content.decode()
    member.post(url, {"body": "x" * 5001})
    assert Message.objects.count() == 0


def test_nobody_outside_the_relationship_can_read_messages(personas, conversation):
    client_for(personas.member).post(
        reverse("onetoone:conversation", args=[conversation.public_id]), {"body": "Private words"}
    )
    for user in (personas.coordinator, personas.supervisor, personas.outsider, personas.outside_coordinator):
        client = client_for(user)
        for name in ("onetoone:conversation", "onetoone:conversation_messages"):
            response = client.get(reverse(name, args=[conversation.public_id]))
            assert response.status_code == 404
            assert b"Private words" not in response.content
        assert (
            client.post(reverse("onetoone:conversation", args=[conversation.public_id]), {"body": "x"}).status_code
            == 404
        )


def test_email_notice_respects_quiet_hours(personas, conversation, django_capture_on_commit_callbacks):
    Profile.objects.update_or_create(
        user=personas.peer,
        defaults={"quiet_hours_start": dt.time(21, 0), "quiet_hours_end": dt.time(8, 0), "timezone": "Europe/London"},
    )
    mail.outbox.clear()
    url = reverse("onetoone:conversation", args=[conversation.public_id])
    night = time_machine.travel(dt.datetime(2026, 1, 10, 23, 0, tzinfo=dt.UTC), tick=False)
    with night, django_capture_on_commit_callbacks(execute=True):
        client_for(personas.member).post(url, {"body": "Late-night hello"})
    assert not any(personas.peer.email in m.to for m in mail.outbox)
    # In the daytime the notice goes straight out.
    client_for(personas.peer).get(url)
    midday = time_machine.travel(dt.datetime(2026, 1, 11, 12, 0, tzinfo=dt.UTC), tick=False)
    with midday, django_capture_on_commit_callbacks(execute=True):
        client_for(personas.member).post(url, {"body": "Midday hello"})
    assert any(personas.peer.email in m.to for m in mail.outbox)


def test_crisis_language_gets_a_kind_panel_for_the_author_only(personas, conversation):
    from kindred.safety.screening import screen

    text = "I want to end my life tonight"
    assert screen(text).level in ("concern", "urgent")
    url = reverse("onetoone:conversation", args=[conversation.public_id])
    response = client_for(personas.member).post(url, {"body": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="crisis-panel"' in page and "116 123" in page
    message = Message.objects.get()
    assert message.screening_level in ("concern", "urgent")  # the message is still sent
    other = client_for(personas.peer).get(url).content.decode()
    assert text in other and 'data-testid="crisis-panel"' not in other
    calm = client_for(personas.member).post(url, {"body": "Thanks for listening"})
    assert calm.status_code == 302
