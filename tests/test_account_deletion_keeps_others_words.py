"""Nobody's words are lost when someone deletes their account.

One person, Robin, takes part in every form: starts threads online and replies to others, chats in a room,
co-facilitates a group (notes, a handover, noticeboard posts), is matched one-to-one and exchanges messages, shares
a well-being summary with their supporter, is supervised, and helps handle a care incident. Robin deletes their
account through the page. Everyone else's words and records are all still there; what Robin wrote to others stays,
shown as by "a former member" (or, if Robin chose, with their words removed); what was only Robin's is gone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.accounts.names import FORMER_MEMBER
from kindred.care import services as care
from kindred.care.models import Incident, IncidentHandler, IncidentKind, IncidentLogEntry
from kindred.commons.models import Engagement
from kindred.community import chat
from kindred.community.models import (
    ChatMessage,
    Follow,
    Post,
    Reaction,
    Room,
    SpaceMembership,
    Thread,
)
from kindred.community.selectors import MESSAGE_REMOVED_BY_AUTHOR, REMOVED_BY_AUTHOR
from kindred.community.services import reaction_toggle
from kindred.community.tests.core_helpers import agree, make_reply, make_space, make_thread
from kindred.community.tests.test_rooms_helpers import make_room
from kindred.groups import services as groups
from kindred.groups.access import viewer_for
from kindred.groups.models import (
    BoardPost,
    FacilitatorNote,
    Group,
    GroupMembership,
    GroupRole,
    HandoverNote,
    Meeting,
)
from kindred.groups.stay import board_post_add
from kindred.groups.tests.core_helpers import add_person, join, make_group, make_role
from kindred.journey.models import Moment
from kindred.journey.services import moment_create
from kindred.onetoone import practice
from kindred.onetoone import services as onetoone
from kindred.onetoone.models import (
    Conversation,
    Match,
    MatchStatus,
    Message,
    Session,
    SessionNote,
    SupervisionAssignment,
    SupervisionRecord,
)
from kindred.onetoone.tests.core_helpers import make_scheme
from kindred.organisations.models import Membership
from kindred.testing.personas import PASSWORD, Personas
from kindred.wellbeing.models import CheckIn, Share
from kindred.wellbeing.services import checkin_submit, share_create

pytestmark = pytest.mark.django_db

ONS4 = {"life_satisfaction": "7", "worthwhile": "8", "happiness": "6", "anxiety": "3"}


@dataclass
class Scene:
    p: Personas
    robin: User
    space: Any
    robins_thread: Thread  # others replied
    robins_lonely_thread: Thread  # nobody else replied
    members_thread: Thread  # Robin replied
    room: Room
    group: Group
    meeting: Meeting
    match: Match
    conversation: Conversation
    incident: Incident


def _page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _as(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _scene(p: Personas) -> Scene:
    robin = add_person(p, "robin")

    # Online: two threads of Robin's (one with replies from others), a reply in the member's thread, a reaction.
    space = make_space(p)
    robins_thread = make_thread(space, robin, title="Robin's week", body="Robin's opening words")
    make_reply(robins_thread, p.member, "The member's reply to Robin")
    make_reply(robins_thread, p.peer, "The peer's reply to Robin")
    make_reply(robins_thread, robin, "Robin answers in their own thread")
    robins_lonely_thread = make_thread(space, robin, title="Robin alone", body="Nobody answered this")
    members_thread = make_thread(space, p.member, title="The member's thread", body="The member's opening words")
    make_reply(members_thread, robin, "Robin's reply to the member")
    agree(p.peer, space)
    reaction_toggle(user=p.peer, post=Post.objects.get(body="Robin's reply to the member"), kind="me_too")
    reaction_toggle(user=robin, post=members_thread.posts.get(is_opening=True), kind="me_too")

    room = make_room(p.organisation)
    chat.message_post(author=p.member, room=room, text="The member says hello", client_msg_id="m-1", deliver=False)
    chat.message_post(author=robin, room=room, text="Robin says hello", client_msg_id="r-1", deliver=False)
    chat.message_post(author=p.peer, room=room, text="The peer says hello", client_msg_id="p-1", deliver=False)

    # A group Robin co-facilitates: notes about a meeting, a handover to the facilitator, noticeboard posts.
    group = make_group(p)
    join(group, robin)
    join(group, p.member)
    make_role(group, robin, GroupRole.CO_FACILITATOR)
    now = timezone.now()
    meeting = Meeting.objects.create(group=group, starts_at=now - timedelta(days=1), ends_at=now - timedelta(hours=22))
    groups.facilitator_note_add(actor=robin, meeting=meeting, text="Robin's note: a calm evening")
    groups.facilitator_note_add(actor=p.facilitator, meeting=meeting, text="The facilitator's note")
    groups.handover_note_add(actor=robin, group=group, text="Robin hands over the tea kitty", recipient=p.facilitator)
    groups.handover_note_add(actor=p.facilitator, group=group, text="The facilitator hands over the keys")
    board_post_add(actor=robin, viewer=viewer_for(robin, group), body="Robin on the noticeboard")
    board_post_add(actor=p.member, viewer=viewer_for(p.member, group), body="The member on the noticeboard")

    # One-to-one: Robin is befriended by the peer; they message each other; Robin keeps a private session note.
    scheme = make_scheme(p.coordinator, p.organisation)
    match = Match.objects.create(scheme=scheme, seeker=robin, supporter=p.peer, status=MatchStatus.APPROVED)
    onetoone.match_respond(actor=robin, match=match, accept=True)
    onetoone.match_respond(actor=p.peer, match=match, accept=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    conversation = Conversation.objects.get(match=match)
    onetoone.message_send(actor=p.peer, conversation=conversation, body="The peer writes to Robin")
    onetoone.message_send(actor=robin, conversation=conversation, body="Robin writes back to the peer")
    session = Session.objects.create(
        match=match, starts_at=now - timedelta(days=2), duration_minutes=60, channel="phone", status="held"
    )
    practice.note_add(actor=robin, session=session, body="Robin's own note about the call")
    practice.note_add(actor=p.peer, session=session, body="The peer's own note about the call")

    # Well-being, journey: Robin's own, shared with the peer.
    checkin_submit(actor=robin, measure="ons4", answers=ONS4)
    share_create(actor=robin, supporter=p.peer, measures=["ons4"])
    moment_create(actor=robin, happened_on=timezone.localdate(), text="Robin's first group")

    # Robin is supervised, and helps handle a care incident in the group.
    SupervisionAssignment.objects.create(organisation=p.organisation, supervisor=p.supervisor, supervisee=robin)
    practice.supervision_record_add(
        actor=p.supervisor,
        organisation=p.organisation,
        supervisee=robin,
        held_on=timezone.localdate(),
        notes="The supervisor's notes",
    )
    incident = care.incident_open(
        actor=p.coordinator, organisation=p.organisation, title="A hard night", group=group, kind=IncidentKind.OTHER
    )
    care.incident_handler_add(actor=p.coordinator, incident=incident, email=robin.email)
    care.incident_log_add(actor=robin, incident=incident, text="Robin phoned the member")
    care.incident_log_add(actor=p.coordinator, incident=incident, text="The coordinator checked in")

    return Scene(
        p=p,
        robin=robin,
        space=space,
        robins_thread=robins_thread,
        robins_lonely_thread=robins_lonely_thread,
        members_thread=members_thread,
        room=room,
        group=group,
        meeting=meeting,
        match=match,
        conversation=conversation,
        incident=incident,
    )


# Shared records: (model, the field naming the person who wrote it or is in it).
SHARED: list[tuple[type[Model], str]] = [
    (Thread, "author"),
    (Post, "author"),
    (ChatMessage, "author"),
    (FacilitatorNote, "author"),
    (HandoverNote, "author"),
    (BoardPost, "author"),
    (Message, "author"),
    (Match, "seeker"),
    (SupervisionRecord, "supervisee"),
    (SupervisionAssignment, "supervisee"),
    (IncidentLogEntry, "author"),
]


def _others_rows(robin: User) -> dict[str, set[int]]:
    return {
        model.__name__: set(model.objects.exclude(**{field: robin}).values_list("pk", flat=True))
        for model, field in SHARED
    }


def _robins_rows(robin: User) -> dict[str, set[int]]:
    return {
        model.__name__: set(model.objects.filter(**{field: robin}).values_list("pk", flat=True))
        for model, field in SHARED
    }


def _delete_through_the_page(robin: User, **choice: str) -> None:
    client = _as(robin)
    page = _page(client.get(reverse("accounts:delete")))
    assert "Also remove the posts I wrote online" in page
    assert 'name="remove_writing"' in page and "checked" not in page.split('name="remove_writing"')[1][:40]
    response = client.post(
        reverse("accounts:delete"), {"current_password": PASSWORD, "understand": "on", **choice}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:goodbye")


def _assert_others_intact(s: Scene, before: dict[str, set[int]]) -> None:
    after = {model.__name__: set(model.objects.values_list("pk", flat=True)) for model, _field in SHARED}
    for name, pks in before.items():
        assert pks <= after[name], f"{name}: other people's rows were lost"
    p = s.p
    # Replies by others stay in Robin's thread, with their words.
    assert Thread.objects.filter(pk=s.robins_thread.pk).exists()
    replies = list(s.robins_thread.posts.filter(is_opening=False).values_list("body", flat=True))
    assert "The member's reply to Robin" in replies and "The peer's reply to Robin" in replies
    # The member's thread and its opening post, and the others' chat messages.
    assert s.members_thread.posts.get(is_opening=True).body == "The member's opening words"
    assert set(ChatMessage.objects.filter(author__in=[p.member, p.peer]).values_list("body", flat=True)) == {
        "The member says hello",
        "The peer says hello",
    }
    # The group's records, and the facilitator's own.
    assert Group.objects.filter(pk=s.group.pk).exists()
    assert FacilitatorNote.objects.filter(meeting=s.meeting).count() == 2
    assert HandoverNote.objects.filter(group=s.group).count() == 2
    assert GroupMembership.objects.filter(group=s.group, person__in=[p.facilitator, p.member]).count() == 2
    # The one-to-one: the match, its conversation and the peer's messages, all still the peer's to read.
    assert Match.objects.filter(pk=s.match.pk).exists()
    assert Conversation.objects.filter(pk=s.conversation.pk).exists()
    assert SessionNote.objects.filter(author=p.peer).count() == 1
    # Supervision and care records.
    assert SupervisionRecord.objects.filter(supervisor=p.supervisor).count() == 1
    assert Incident.objects.filter(pk=s.incident.pk).exists()
    log = [entry.text for entry in IncidentLogEntry.objects.filter(incident=s.incident)]
    assert "Robin phoned the member" in log and "The coordinator checked in" in log


def _assert_robins_own_gone(pk: int) -> None:
    assert not User.objects.filter(pk=pk).exists()
    assert not Profile.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not Engagement.objects.filter(person_id=pk).exists()
    assert not GroupMembership.objects.filter(person_id=pk).exists()
    assert not SpaceMembership.objects.filter(user_id=pk).exists()
    assert not Reaction.objects.filter(user_id=pk).exists()
    assert not Follow.objects.filter(user_id=pk).exists()
    assert not Moment.objects.filter(person_id=pk).exists()
    assert not CheckIn.objects.filter(person_id=pk).exists()
    assert not Share.objects.filter(person_id=pk).exists()
    assert not SessionNote.objects.filter(author_id=pk).exists()
    assert not IncidentHandler.objects.filter(person_id=pk).exists()


def test_deleting_an_account_keeps_everyone_elses_words_and_records(personas):
    s = _scene(personas)
    p, robin = s.p, s.robin
    others_before = _others_rows(robin)
    robins_before = _robins_rows(robin)
    # The peer can see Robin's shared summary before; afterwards there's nothing of Robin's to see.
    assert _as(p.peer).get(reverse("wellbeing:shared_with_me")).status_code == 200
    assert Share.objects.filter(person=robin, supporter=p.peer).exists()

    _delete_through_the_page(robin)

    _assert_others_intact(s, others_before)
    _assert_robins_own_gone(robin.pk)
    # What Robin wrote to others stays in its place, with its words, by nobody's name.
    for model, field in SHARED:
        kept = model.objects.filter(pk__in=robins_before[model.__name__])
        assert kept.count() == len(robins_before[model.__name__]), f"{model.__name__}: Robin's shared rows went"
        assert not kept.filter(**{f"{field}__isnull": False}).exists()
    assert Thread.objects.filter(pk=s.robins_lonely_thread.pk).exists()
    assert s.robins_thread.posts.get(is_opening=True).body == "Robin's opening words"
    assert ChatMessage.objects.filter(body="Robin says hello", author__isnull=True).exists()
    assert Reaction.objects.filter(user=p.peer, post__body="Robin's reply to the member").count() == 1

    # The pages others use read well: "a former member" where Robin's name was.
    thread_page = _page(_as(p.member).get(reverse("community:thread", args=[s.robins_thread.public_id])))
    assert "Robin's opening words" in thread_page and "The peer's reply to Robin" in thread_page
    assert f"<strong>{FORMER_MEMBER}</strong>" in thread_page and "<strong>Robin</strong>" not in thread_page
    space_page = _page(_as(p.member).get(reverse("community:space", args=[s.space.slug])))
    assert f"by {FORMER_MEMBER}" in space_page
    room_page = _page(_as(p.member).get(reverse("community:room", args=[s.room.public_id])))
    assert "Robin says hello" in room_page and "The peer says hello" in room_page and FORMER_MEMBER in room_page

    conversation_page = _page(_as(p.peer).get(reverse("onetoone:conversation", args=[s.conversation.public_id])))
    assert "The peer writes to Robin" in conversation_page
    assert "Robin writes back to the peer" in conversation_page
    assert FORMER_MEMBER in conversation_page
    match_page = _page(_as(p.peer).get(reverse("onetoone:match", args=[s.match.public_id])))
    assert FORMER_MEMBER in match_page
    s.match.refresh_from_db()
    assert s.match.status == MatchStatus.ENDED and s.match.seeker_id is None
    assert _page(_as(p.peer).get(reverse("onetoone:home")))

    rota_page = _page(_as(p.facilitator).get(reverse("groups:rota", args=[s.group.slug])))
    assert "Robin hands over the tea kitty" in rota_page and "The facilitator hands over the keys" in rota_page
    facilitate_page = _page(_as(p.facilitator).get(reverse("groups:facilitate", args=[s.meeting.public_id])))
    assert "Robin's note: a calm evening" in facilitate_page and "The facilitator's note" in facilitate_page
    board_page = _page(_as(p.member).get(reverse("groups:board", args=[s.group.slug])))
    assert "Robin on the noticeboard" in board_page and "The member on the noticeboard" in board_page
    assert "A former member" in board_page

    incident_page = _page(_as(p.coordinator).get(reverse("care:incident", args=[s.incident.public_id])))
    assert "Robin phoned the member" in incident_page and "The coordinator checked in" in incident_page
    assert SupervisionAssignment.objects.get(supervisor=p.supervisor).ended_at is not None
    assert _page(_as(p.supervisor).get(reverse("onetoone:supervision_home")))

    api = _as(p.member).get(f"/api/online/threads/{s.robins_thread.public_id}")
    assert api.status_code == 200
    opening = next(post for post in api.json()["posts"] if post["is_opening"])
    assert opening["author"] == {"public_id": None, "display_name": FORMER_MEMBER}


def test_choosing_to_remove_my_posts_too_leaves_everyone_elses_replies_in_place(personas):
    s = _scene(personas)
    p, robin = s.p, s.robin
    others_before = _others_rows(robin)
    robins_posts = set(Post.objects.filter(author=robin).values_list("pk", flat=True))
    lonely_posts = set(s.robins_lonely_thread.posts.values_list("pk", flat=True))

    _delete_through_the_page(robin, remove_writing="on")

    _assert_others_intact(s, others_before)
    _assert_robins_own_gone(robin.pk)
    # The thread nobody else answered goes; the one others replied to stays, its opening post removed by Robin.
    assert not Thread.objects.filter(pk=s.robins_lonely_thread.pk).exists()
    kept = Post.objects.filter(pk__in=robins_posts - lonely_posts)
    assert kept.count() == len(robins_posts - lonely_posts) == 3
    assert set(kept.values_list("body", flat=True)) == {REMOVED_BY_AUTHOR}
    assert not kept.filter(deleted_at__isnull=True).exists()
    assert not Post.objects.filter(body__startswith="Robin").exists()
    assert s.robins_thread.posts.get(is_opening=True).body == REMOVED_BY_AUTHOR
    # Nobody's reactions are left on words that are gone; the peer's reaction went with Robin's reply.
    assert not Reaction.objects.filter(post__in=kept).exists()
    # Their chat message keeps its place, without their words.
    assert not ChatMessage.objects.filter(body="Robin says hello").exists()
    assert ChatMessage.objects.filter(body=MESSAGE_REMOVED_BY_AUTHOR, author__isnull=True).count() == 1
    # Everything Robin wrote to people directly, and the group's records, stay as they were.
    assert Message.objects.filter(body="Robin writes back to the peer", author__isnull=True).exists()
    assert [n.text for n in FacilitatorNote.objects.filter(author__isnull=True)] == ["Robin's note: a calm evening"]

    thread_page = _page(_as(p.member).get(reverse("community:thread", args=[s.robins_thread.public_id])))
    assert REMOVED_BY_AUTHOR in thread_page
    assert "The member's reply to Robin" in thread_page and "The peer's reply to Robin" in thread_page
    assert "Robin's opening words" not in thread_page and "Robin answers" not in thread_page
    members_page = _page(_as(p.member).get(reverse("community:thread", args=[s.members_thread.public_id])))
    assert "The member's opening words" in members_page and REMOVED_BY_AUTHOR in members_page
    room_page = _page(_as(p.member).get(reverse("community:room", args=[s.room.public_id])))
    assert MESSAGE_REMOVED_BY_AUTHOR in room_page and "The member says hello" in room_page
