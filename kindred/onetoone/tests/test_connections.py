from __future__ import annotations

import html

import pytest
from django.core import mail
from django.urls import reverse

from kindred.commons.models import Block, Engagement
from kindred.notifications.models import Notification
from kindred.onetoone.models import Connection, ConnectionStatus, Conversation
from kindred.testing.clients import client_for

pytestmark = pytest.mark.django_db


def _request(client, person, **data):
    payload = {"where_met": "the Tuesday group", "note": "Hello!", "role": "both"}
    payload.update(data)
    return client.post(reverse("onetoone:connect", args=[person.public_id]), payload)


def test_request_accept_opens_conversation_and_records_engagements(personas, django_capture_on_commit_callbacks):
    member, peer = personas.member, personas.peer
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client_for(member), peer, role="receiving")
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.status == ConnectionStatus.REQUESTED
    assert Notification.objects.filter(user=peer, kind="onetoone.connection_request").exists()
    assert any(peer.email in m.to for m in mail.outbox)

    peer_client = client_for(peer)
    page = peer_client.get(reverse("onetoone:connection", args=[connection.public_id]))
    assert "Yes, connect" in page.content.decode()
    peer_client.post(reverse("onetoone:connection_action", args=[connection.public_id, "accept"]), {"role": "giving"})
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACCEPTED
    assert Conversation.objects.filter(connection=connection).exists()
    roles = set(Engagement.objects.filter(form="one_to_one").values_list("person__email", "role"))
    assert roles == {(member.email, "receiving"), (peer.email, "giving")}


def test_decline_is_never_announced(personas, django_capture_on_commit_callbacks):
    member, peer = personas.member, personas.peer
    _request(client_for(member), peer)
    connection = Connection.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(peer).post(reverse("onetoone:connection_action", args=[connection.public_id, "decline"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.DECLINED
    assert not Notification.objects.filter(user=member).exists()
    assert mail.outbox == []
    page = client_for(member).get(reverse("onetoone:connection", args=[connection.public_id])).content.decode()
    assert "declined" not in page.lower()
    assert "Not taken up for now" in page


def test_self_connection_and_duplicates_are_refused_kindly(personas):
    member, peer = personas.member, personas.peer
    client = client_for(member)
    assert client.get(reverse("onetoone:connect", args=[member.public_id])).status_code == 404
    _request(client, peer)
    again = _request(client, peer)
    assert again.status_code == 200
    assert "already have a connection or a request" in again.content.decode()
    reverse_request = _request(client_for(peer), member)
    assert "already asked to connect with you" in reverse_request.content.decode()
    assert Connection.objects.count() == 1


def test_cannot_connect_with_someone_from_no_shared_organisation(personas):
    response = _request(client_for(personas.member), personas.outsider)
    assert response.status_code == 404
    assert not Connection.objects.exists()


def test_only_the_two_people_can_see_or_act_on_a_connection(personas):
    _request(client_for(personas.member), personas.peer)
    connection = Connection.objects.get()
    for user in (personas.coordinator, personas.outsider, personas.outside_coordinator):
        client = client_for(user)
        assert client.get(reverse("onetoone:connection", args=[connection.public_id])).status_code == 404
        assert (
            client.post(reverse("onetoone:connection_action", args=[connection.public_id, "accept"])).status_code == 404
        )
    # The requester can't accept their own request.
    response = client_for(personas.member).post(
        reverse("onetoone:connection_action", args=[connection.public_id, "accept"])
    )
    assert response.status_code == 403
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REQUESTED


def _connected(personas):
    _request(client_for(personas.member), personas.peer)
    connection = Connection.objects.get()
    client_for(personas.peer).post(reverse("onetoone:connection_action", args=[connection.public_id, "accept"]))
    connection.refresh_from_db()
    return connection


def test_pause_resume_and_end(personas):
    connection = _connected(personas)
    member = client_for(personas.member)
    member.post(reverse("onetoone:connection_action", args=[connection.public_id, "pause"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.PAUSED
    convo = connection.conversation
    page = member.post(reverse("onetoone:conversation", args=[convo.public_id]), {"body": "hi"})
    assert "paused" in page.content.decode()
    assert convo.messages.count() == 0
    client_for(personas.peer).post(reverse("onetoone:connection_action", args=[connection.public_id, "resume"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACCEPTED
    member.post(reverse("onetoone:connection_action", args=[connection.public_id, "end"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ENDED
    assert not Engagement.objects.filter(ended_at__isnull=True, form="one_to_one").exists()


def test_block_hides_and_forbids_messaging_without_telling(personas):
    connection = _connected(personas)
    convo = connection.conversation
    peer = client_for(personas.peer)
    peer.post(reverse("onetoone:conversation", args=[convo.public_id]), {"body": "Before the block"})
    member = client_for(personas.member)
    Notification.objects.all().delete()
    member.post(reverse("onetoone:block", args=[personas.peer.public_id]))
    assert Block.objects.filter(blocker=personas.member, blocked=personas.peer).exists()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ENDED
    assert not Notification.objects.filter(user=personas.peer).exists()
    # The blocked person can't write, nor ask again.
    response = peer.post(reverse("onetoone:conversation", args=[convo.public_id]), {"body": "After"})
    assert "can't be sent" in html.unescape(response.content.decode())
    assert convo.messages.count() == 1
    again = _request(peer, personas.member)
    assert "couldn't send a request" in html.unescape(again.content.decode())
    # The blocker no longer sees their messages or the conversation in their list.
    page = member.get(reverse("onetoone:conversation", args=[convo.public_id])).content.decode()
    assert "Before the block" not in page
    home = member.get(reverse("onetoone:home")).content.decode()
    assert str(convo.public_id) not in home
