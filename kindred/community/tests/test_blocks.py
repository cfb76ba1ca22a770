"""Blocking online: the blocker no longer sees the blocked person's posts or threads; a block works both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.commons.blocks import has_blocked, is_blocked_between
from kindred.commons.models import Block
from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for

from .core_helpers import make_reply, make_space, make_thread

pytestmark = pytest.mark.django_db


def test_blocked_persons_posts_and_threads_are_hidden_from_the_blocker_only(personas):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    make_reply(thread, personas.peer, "Words from peer")
    peer_thread = make_thread(space, personas.peer, title="Peer's own thread")
    member = client_for(personas.member)
    response = member.post(
        reverse("community:block", args=[personas.peer.public_id]), {"next": f"/online/threads/{thread.public_id}/"}
    )
    assert response["Location"] == f"/online/threads/{thread.public_id}/"
    assert Block.objects.filter(blocker=personas.member, blocked=personas.peer).exists()
    page = member.get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "Words from peer" not in page
    assert "Peer&#x27;s own thread" not in member.get(reverse("community:space", args=[space.slug])).content.decode()
    # Others still see them.
    other = client_for(personas.facilitator).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "Words from peer" in other
    assert AuditEvent.objects.filter(action="commons.block").exists()
    # The blocker isn't notified of the blocked person's replies.
    Notification.objects.all().delete()
    make_reply(thread, personas.peer, "Another")
    assert not Notification.objects.filter(user=personas.member, kind="community.reply").exists()
    assert peer_thread  # still exists for others


def test_a_block_is_symmetric_for_reaching_and_has_blocked_is_directional(personas):
    client_for(personas.member).post(reverse("community:block", args=[personas.peer.public_id]))
    assert is_blocked_between(personas.member, personas.peer) and is_blocked_between(personas.peer, personas.member)
    assert has_blocked(personas.member, personas.peer) and not has_blocked(personas.peer, personas.member)
    assert not is_blocked_between(personas.member, personas.facilitator)


def test_unblock_and_blocks_page(personas):
    member = client_for(personas.member)
    member.post(reverse("community:block", args=[personas.peer.public_id]))
    assert personas.peer.display_name in member.get(reverse("commons:blocks")).content.decode()
    member.post(reverse("community:block", args=[personas.peer.public_id]), {"unblock": "1"})
    assert not is_blocked_between(personas.member, personas.peer)


def test_block_permissions_and_methods(personas):
    url = reverse("community:block", args=[personas.peer.public_id])
    assert client_for(None).post(url).status_code == 302
    assert client_for(personas.member).get(url).status_code == 405
    assert client_for(personas.member).get(reverse("commons:blocks")).status_code == 200
    client_for(personas.member).post(reverse("community:block", args=[personas.member.public_id]))
    assert not Block.objects.exists()  # can't block yourself
    assert (
        client_for(personas.member).post("/online/people/00000000-0000-0000-0000-000000000000/block/").status_code
        == 404
    )
