"""Organisations are closed, not deleted: a coordinator is warned, types the name, and everything is kept.

Closing tells every member, closes each open group through the group closure, archives every online space
read-only, marks the organisation closed and deletes nothing. A space can also be archived on its own by its
organisation's coordinators; an archived space is read-only, with a banner, and stays readable and downloadable by
its members for a year.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.community import chat
from kindred.community.models import ChatMessage, Post, Reaction, Room, Space, SpaceStatus, Thread
from kindred.community.tests.core_helpers import agree, make_reply, make_space, make_thread
from kindred.community.tests.test_rooms_helpers import make_room
from kindred.core.models import AuditEvent
from kindred.groups.access import viewer_for
from kindred.groups.models import BoardPost, Group, GroupStatus
from kindred.groups.stay import board_post_add
from kindred.groups.tests.core_helpers import join, make_group
from kindred.notifications.models import Notification
from kindred.organisations.admin import OrganisationAdmin
from kindred.organisations.models import Membership, Organisation, OrganisationStatus
from kindred.testing.personas import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _as(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _world(p: Personas) -> tuple[Group, Group, Space, Thread]:
    group = make_group(p)
    second = make_group(p, name="Riverside Tuesday Walk")
    join(group, p.member)
    board_post_add(actor=p.member, viewer=viewer_for(p.member, group), body="The member's noticeboard words")
    space = make_space(p)
    thread = make_thread(space, p.member, title="A hard week", body="The member's words online")
    make_reply(thread, p.peer, "The peer's reply")
    room = make_room(p.organisation)
    chat.message_post(author=p.member, room=room, text="Words in the chat room", client_msg_id="c-1", deliver=False)
    return group, second, space, thread


def test_a_coordinator_is_told_exactly_what_closing_does_and_must_type_the_name(personas):
    p = personas
    _world(p)
    detail = _page(_as(p.coordinator).get(reverse("organisations:detail", args=[p.organisation.slug])))
    assert "Close the organisation" in detail
    url = reverse("organisations:close", args=[p.organisation.slug])

    page = _page(_as(p.coordinator).get(url))
    assert "What will happen" in page
    people = Membership.objects.filter(organisation=p.organisation).values("user").distinct().count()
    assert f"({people} people) is told" in page
    assert "its 2 groups close" in page
    assert "Its online space is archived" in page
    assert "Nothing is deleted" in page
    assert 'name="confirm_name"' in page and 'name="reason"' in page
    assert '<label for="id_confirm_name">' in page

    wrong = _as(p.coordinator).post(url, {"reason": "We are merging.", "confirm_name": "Riverside"})
    assert wrong.status_code == 400
    assert "That isn't the organisation's name" in _page(wrong)
    no_reason = _as(p.coordinator).post(url, {"reason": "", "confirm_name": p.organisation.name})
    assert no_reason.status_code == 400
    assert "Please say why the organisation is closing" in _page(no_reason)
    organisation = Organisation.objects.get(pk=p.organisation.pk)
    assert organisation.status == OrganisationStatus.OPEN and organisation.closed_at is None
    assert not Group.objects.filter(status=GroupStatus.CLOSED).exists()
    assert not Space.objects.filter(status=SpaceStatus.ARCHIVED).exists()


@pytest.mark.parametrize("who", ["member", "facilitator", "moderator", "outside_coordinator"])
def test_only_its_coordinators_can_close_an_organisation(personas, who):
    url = reverse("organisations:close", args=[personas.organisation.slug])
    client = _as(getattr(personas, who))
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"reason": "Bye", "confirm_name": personas.organisation.name})
    assert response.status_code in (403, 404)
    assert Organisation.objects.get(pk=personas.organisation.pk).status == OrganisationStatus.OPEN


def test_closing_tells_everyone_closes_groups_archives_spaces_and_keeps_everything(personas):
    p = personas
    group, _second, space, thread = _world(p)
    posts, threads, board = Post.objects.count(), Thread.objects.count(), BoardPost.objects.count()
    members = set(Membership.objects.filter(organisation=p.organisation).values_list("user_id", flat=True))
    url = reverse("organisations:close", args=[p.organisation.slug])

    response = _as(p.coordinator).post(
        url, {"reason": "Riverside is merging with Hilltop.", "confirm_name": p.organisation.name}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("organisations:detail", args=[p.organisation.slug])
    page = _page(response)
    assert "is closed" in page and "Riverside is merging with Hilltop." in page
    organisation = Organisation.objects.get(pk=p.organisation.pk)
    assert organisation.status == OrganisationStatus.CLOSED and organisation.closed_at is not None
    # Every member is told; each open group closed through the group closure (its members told there too).
    told = set(Notification.objects.filter(kind="organisations.closed").values_list("user_id", flat=True))
    assert told == members
    assert set(Group.objects.values_list("status", flat=True)) == {GroupStatus.CLOSED}
    assert Notification.objects.filter(kind="group.closing", user=p.member).exists()
    # Every space archived read-only; the chat room takes no new messages, and its words can still be read.
    space.refresh_from_db()
    assert space.status == SpaceStatus.ARCHIVED and space.archived_at is not None
    room = Room.objects.get(organisation=p.organisation)
    room_page = _page(_as(p.member).get(reverse("community:room", args=[room.public_id])))
    assert "Words in the chat room" in room_page and "has closed, so this room takes no new messages" in room_page
    _as(p.member).post(
        reverse("community:room_post", args=[room.public_id]), {"text": "Still here?", "client_msg_id": "c-2"}
    )
    assert not ChatMessage.objects.filter(body="Still here?").exists()
    # Nothing deleted.
    assert (Post.objects.count(), Thread.objects.count(), BoardPost.objects.count()) == (posts, threads, board)
    assert Membership.objects.filter(organisation=p.organisation).count() >= len(members)
    audit = AuditEvent.objects.get(action="organisation.closed")
    assert audit.detail["told"] == len(members) and audit.detail["closed"] == {"community": 1, "groups": 2}
    # The group's archive and the space are still there for members to read.
    assert "The member's noticeboard words" in _page(_as(p.member).get(reverse("groups:board", args=[group.slug])))
    assert "The peer's reply" in _page(_as(p.member).get(reverse("community:thread", args=[thread.public_id])))
    # It can't be closed twice; the page says so.
    again = _page(_as(p.coordinator).get(url))
    assert "closed on" in again and 'name="confirm_name"' not in again


def test_organisations_cannot_be_deleted_in_the_admin(personas, rf):
    admin_user = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    request = rf.get("/")
    request.user = admin_user
    assert OrganisationAdmin(Organisation, None).has_delete_permission(request, personas.organisation) is False
    client = _as(admin_user)
    url = reverse("admin:organisations_organisation_delete", args=[personas.organisation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=personas.organisation.pk).exists()


# --- A space archived on its own ----------------------------------------------------------------------------


def test_a_coordinator_archives_a_space_from_its_manage_page(personas):
    p = personas
    space = make_space(p)
    thread = make_thread(space, p.member, body="Words to keep")
    manage = _page(_as(p.coordinator).get(reverse("community:space_manage", args=[space.slug])))
    assert "Archive this space" in manage
    archive_url = reverse("community:space_archive", args=[space.slug])
    confirm = _page(_as(p.coordinator).get(archive_url))
    assert "nobody can start a conversation, reply, react or edit" in confirm
    # A moderator who isn't a coordinator moderates, but doesn't archive.
    assert "Archive this space" not in _page(_as(p.moderator).get(reverse("community:space_manage", args=[space.slug])))
    assert _as(p.moderator).post(archive_url).status_code == 403

    response = _as(p.coordinator).post(archive_url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("community:space", args=[space.slug])
    space.refresh_from_db()
    assert space.status == SpaceStatus.ARCHIVED
    assert AuditEvent.objects.filter(action="community.space_archived").count() == 1
    assert "Words to keep" in _page(_as(p.member).get(reverse("community:thread", args=[thread.public_id])))


def test_an_archived_space_is_read_only_with_a_banner_and_downloadable_for_a_year(personas):
    p = personas
    space = make_space(p)
    thread = make_thread(space, p.member, body="The member's words")
    reply = make_reply(thread, p.peer, "The peer's words")
    agree(p.facilitator, space)
    _as(p.coordinator).post(reverse("community:space_archive", args=[space.slug]))
    member = _as(p.member)

    space_page = _page(member.get(reverse("community:space", args=[space.slug])))
    assert "This space is archived" in space_page
    assert "Start a conversation" not in space_page
    thread_page = _page(member.get(reverse("community:thread", args=[thread.public_id])))
    assert "This space is archived" in thread_page and "The peer's words" in thread_page
    assert "Download the conversations" in thread_page

    assert member.get(reverse("community:thread_create", args=[space.slug])).status_code == 403
    replied = member.post(reverse("community:thread", args=[thread.public_id]), {"body": "One more thing"})
    assert replied.status_code == 403
    _as(p.facilitator).post(reverse("community:post_react", args=[reply.public_id]), {"kind": "me_too"})
    assert not Reaction.objects.filter(post=reply).exists()
    assert not Post.objects.filter(body="One more thing").exists()
    api = _as(p.member).post(
        f"/api/online/threads/{thread.public_id}/posts", {"body": "Through the API"}, content_type="application/json"
    )
    assert api.status_code == 403

    download = member.get(reverse("community:space_download", args=[space.slug]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{space.slug}.txt"'
    text = download.content.decode()
    assert "The member's words" in text and "The peer's words" in text and thread.title in text

    with time_machine.travel(timezone.now() + timedelta(days=366)):
        member = Client()
        member.force_login(p.member)
        assert member.get(reverse("community:space", args=[space.slug])).status_code == 404
        assert member.get(reverse("community:thread", args=[thread.public_id])).status_code == 404
        assert member.get(reverse("community:space_download", args=[space.slug])).status_code == 404
        moderator = Client()
        moderator.force_login(p.moderator)
        assert moderator.get(reverse("community:thread", args=[thread.public_id])).status_code == 200
    assert Post.objects.filter(thread=thread).count() == 2  # kept, even after the year
