"""The chat room socket through the real ASGI application and session cookie.

Runs on the in-memory channel layer by default and on Redis when REDIS_URL is set (CI's PostgreSQL+Redis
run). Transactional, because the consumer reads the database from its own threads and messages are delivered
only after their transaction commits.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.core import mail

from kindred.commons.models import Block
from kindred.community.chat import MAX_MESSAGE_CHARS
from kindred.community.consumers import CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN, MAX_FRAME_CHARS
from kindred.community.models import ChatMessage, MessageStatus
from kindred.notifications.models import Notification

from .test_rooms_helpers import (
    connect,
    frames_for,
    make_room,
    next_frame,
    on_duty,
    open_all_day_today,
    open_only_in_three_days,
    refused,
    send,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    async def wrapper():
        return await scenario()

    return async_to_sync(wrapper)()


def test_people_who_are_not_signed_in_are_refused(personas):
    room = make_room(personas.organisation)
    assert run(lambda: refused(None, room)) == CLOSE_NOT_SIGNED_IN


def test_non_members_are_refused_without_learning_the_room_exists(personas):
    room = make_room(personas.organisation)
    assert run(lambda: refused(personas.outsider, room)) == CLOSE_NOT_FOUND
    assert run(lambda: refused(personas.member, "/ws/rooms/00000000-0000-0000-0000-000000000000/")) == CLOSE_NOT_FOUND


def test_members_chat_live_and_see_each_others_messages(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, welcome = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(alice, "Evening all, kettle's on.", "a-1")
        ack = await next_frame(alice, "ack")
        delivered_to_bob = await next_frame(bob, "message")
        delivered_to_alice = await next_frame(alice, "message")
        await alice.disconnect()
        await bob.disconnect()
        return welcome, ack, delivered_to_bob, delivered_to_alice

    welcome, ack, to_bob, to_alice = run(scenario)
    assert welcome["can_post"] is True and welcome["state"]["open"] is True
    assert ack["duplicate"] is False
    assert to_bob["message"]["text"] == "Evening all, kettle's on."
    assert to_bob["message"]["author"] == personas.member.display_name
    assert to_bob["message"]["id"] == ack["id"] == to_alice["message"]["id"]
    stored = ChatMessage.objects.get()
    assert str(stored.public_id) == ack["id"] and stored.status == MessageStatus.VISIBLE


def test_a_closed_scheduled_room_refuses_posting_and_says_when_it_opens(personas):
    room = make_room(personas.organisation, schedule="scheduled")
    open_only_in_three_days(room)

    async def scenario():
        alice, welcome = await connect(personas.member, room)
        await send(alice, "Hello?", "c-1")
        error = await next_frame(alice, "error")
        await alice.disconnect()
        return welcome, error

    welcome, error = run(scenario)
    assert welcome["state"]["open"] is False
    assert welcome["state"]["next_opening"]
    assert error["code"] == "closed"
    assert "It next opens on" in error["message"] and "at 19:00" in error["message"]
    assert error["next_opening"] == welcome["state"]["next_opening"]
    assert not ChatMessage.objects.exists()


def test_a_scheduled_room_in_its_hours_opens_only_while_a_moderator_is_on_duty(personas):
    room = make_room(personas.organisation, schedule="scheduled")
    open_all_day_today(room)

    async def attempt(tag: str):
        alice, welcome = await connect(personas.member, room)
        await send(alice, "Hello", tag)
        frame = await next_frame(alice, "ack", "error")
        await alice.disconnect()
        return welcome, frame

    welcome, frame = run(lambda: attempt("s-1"))
    assert welcome["state"]["open"] is False and welcome["state"]["within_hours"] is True
    assert frame["code"] == "closed" and "as soon as a moderator joins" in frame["message"]

    on_duty(personas.moderator, personas.organisation)
    welcome, frame = run(lambda: attempt("s-2"))
    assert welcome["state"]["open"] is True
    assert frame["type"] == "ack"


def test_guests_may_read_but_not_post_where_the_room_allows(personas):
    room = make_room(personas.organisation, guests_can_read=True)

    async def scenario():
        guest, welcome = await connect(personas.outsider, room)
        member, _ = await connect(personas.member, room)
        await send(guest, "Can I say hi?", "g-1")
        error = await next_frame(guest, "error")
        await send(member, "Welcome, guest!", "m-1")
        seen = await next_frame(guest, "message")
        await guest.disconnect()
        await member.disconnect()
        return welcome, error, seen

    welcome, error, seen = run(scenario)
    assert welcome["read_only"] is True and welcome["can_post"] is False
    assert error["code"] == "read_only"
    assert seen["message"]["text"] == "Welcome, guest!"
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["Welcome, guest!"]


def test_one_person_sending_too_fast_is_slowed_down_kindly(personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_message": (3, 60)}
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        frames = []
        for n in range(4):
            await send(alice, f"message {n}", f"r-{n}")
            frames.append(await next_frame(alice, "ack", "error"))
        await alice.disconnect()
        return frames

    frames = run(scenario)
    assert [f["type"] for f in frames] == ["ack", "ack", "ack", "error"]
    assert frames[-1]["code"] == "rate_limited" and "few seconds" in frames[-1]["message"]
    assert ChatMessage.objects.count() == 3


def test_a_busy_room_pauses_new_messages_across_people(personas):
    room = make_room(personas.organisation, messages_per_minute=2)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(alice, "one", "b-1")
        first = await next_frame(alice, "ack", "error")
        await send(bob, "two", "b-2")
        second = await next_frame(bob, "ack", "error")
        await send(bob, "three", "b-3")
        third = await next_frame(bob, "ack", "error")
        await alice.disconnect()
        await bob.disconnect()
        return first, second, third

    first, second, third = run(scenario)
    assert (first["type"], second["type"]) == ("ack", "ack")
    assert third["code"] == "room_busy"


def test_oversize_messages_and_frames_are_refused_and_the_socket_stays_open(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        await send(alice, "x" * (MAX_MESSAGE_CHARS + 1), "o-1")
        too_long = await next_frame(alice, "error")
        await alice.send_to(text_data="y" * (MAX_FRAME_CHARS + 1))
        too_big = await next_frame(alice, "error")
        await alice.send_to(text_data="not json")
        not_json = await next_frame(alice, "error")
        await send(alice, "x" * MAX_MESSAGE_CHARS, "o-2")
        ok = await next_frame(alice, "ack")
        await alice.disconnect()
        return too_long, too_big, not_json, ok

    too_long, too_big, not_json, ok = run(scenario)
    assert too_long["code"] == too_big["code"] == "too_long"
    assert "2,000 characters" in too_long["message"]
    assert not_json["code"] == "not_json"
    assert ok["duplicate"] is False
    assert ChatMessage.objects.count() == 1


def test_a_resend_with_the_same_client_id_is_never_duplicated(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(alice, "Did this send?", "dup-1")
        first = await next_frame(alice, "ack")
        await alice.disconnect()  # the connection drops before Alice sees the ack; she reconnects and resends
        alice, _ = await connect(personas.member, room)
        await send(alice, "Did this send?", "dup-1")
        second = await next_frame(alice, "ack")
        bob_frames = [f for f in await frames_for(bob) if f["type"] == "message"]
        await alice.disconnect()
        await bob.disconnect()
        return first, second, bob_frames

    first, second, bob_frames = run(scenario)
    assert first["duplicate"] is False and second["duplicate"] is True
    assert first["id"] == second["id"]
    assert ChatMessage.objects.count() == 1
    assert [f["message"]["text"] for f in bob_frames] == ["Did this send?"]


def test_reconnecting_catches_up_on_missed_messages(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(bob, "first", "k-1")
        seen = await next_frame(alice, "message")
        await alice.disconnect()
        for n, text in enumerate(["second", "third"], start=2):
            await send(bob, text, f"k-{n}")
            await next_frame(bob, "ack")
        alice, welcome = await connect(personas.member, room, since=seen["message"]["id"])
        await alice.send_json_to({"type": "catch_up", "since": seen["message"]["id"]})
        asked = await next_frame(alice, "missed")
        await alice.disconnect()
        await bob.disconnect()
        return welcome, asked

    welcome, asked = run(scenario)
    assert [m["text"] for m in welcome["missed"]] == ["second", "third"]
    assert "messages" not in welcome
    assert [m["text"] for m in asked["messages"]] == ["second", "third"]


def test_presence_is_a_count_with_names_only_for_those_who_opt_in(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await bob.send_json_to({"type": "presence", "show_name": True})
        frames = await frames_for(alice)
        await bob.disconnect()
        after = await next_frame(alice, "presence")
        await alice.disconnect()
        return [f for f in frames if f["type"] == "presence"][-1], after

    both, after = run(scenario)
    assert both["presence"] == {"count": 2, "names": [personas.peer.display_name]}
    assert after["presence"]["count"] == 1


def test_urgent_messages_bring_the_crisis_panel_at_once_and_alert_moderators_on_duty(personas):
    room = make_room(personas.organisation)
    on_duty(personas.moderator, personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(alice, "I don't want to be alive anymore.", "u-1")
        panel = await next_frame(alice, "crisis_panel")
        shown_to_bob = await next_frame(bob, "message")
        await alice.disconnect()
        await bob.disconnect()
        return panel, shown_to_bob

    panel, shown = run(scenario)
    assert "Samaritans" in [route["name"] for route in panel["panel"]["uk_routes"]]
    assert panel["panel"]["held"] is False
    assert shown["message"]["text"] == "I don't want to be alive anymore."  # shown, so peers can respond
    alert = Notification.objects.get(user=personas.moderator, kind="community.crisis")
    assert alert.title.startswith("Urgent")
    assert any(personas.moderator.email in m.to for m in mail.outbox)
    assert ChatMessage.objects.get().screening_level == "urgent"


def test_method_detail_is_held_for_a_moderator_and_the_author_told_kindly(personas):
    room = make_room(personas.organisation)
    on_duty(personas.moderator, personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        await send(alice, "I've been saving up my tablets and I've got enough now.", "h-1")
        ack = await next_frame(alice, "ack")
        held = await next_frame(alice, "held")
        panel = await next_frame(alice, "crisis_panel")
        bob_saw = [f for f in await frames_for(bob) if f["type"] == "message"]
        await alice.disconnect()
        await bob.disconnect()
        return ack, held, panel, bob_saw

    ack, held, panel, bob_saw = run(scenario)
    assert ack["held"] is True
    assert "moderator will look at it soon" in held["message"] and "haven't done anything wrong" in held["message"]
    assert panel["panel"]["held"] is True
    assert bob_saw == []
    assert ChatMessage.objects.get().status == MessageStatus.HELD
    assert Notification.objects.filter(user=personas.moderator, kind="community.crisis").exists()


def test_script_in_a_message_arrives_as_plain_text(personas):
    room = make_room(personas.organisation)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        await send(alice, "<script>alert('hi')</script>\u202e", "x-1")
        frame = await next_frame(alice, "message")
        await alice.disconnect()
        return frame

    frame = run(scenario)
    assert frame["message"]["text"] == "<script>alert('hi')</script>"  # shown with textContent, never as HTML


def test_people_someone_blocked_are_hidden_from_them(personas):
    room = make_room(personas.organisation)
    Block.objects.create(blocker=personas.member, blocked=personas.peer)

    async def scenario():
        alice, _ = await connect(personas.member, room)
        bob, _ = await connect(personas.peer, room)
        carol, _ = await connect(personas.facilitator, room)
        await send(bob, "hello from bob", "bl-1")
        carol_saw = await next_frame(carol, "message")
        alice_saw = [f for f in await frames_for(alice) if f["type"] == "message"]
        for c in (alice, bob, carol):
            await c.disconnect()
        return carol_saw, alice_saw

    carol_saw, alice_saw = run(scenario)
    assert carol_saw["message"]["text"] == "hello from bob"
    assert alice_saw == []


def test_a_moderator_arriving_opens_a_scheduled_room_for_everyone_at_once(personas):
    room = make_room(personas.organisation, schedule="scheduled")
    open_all_day_today(room)

    async def scenario():
        alice, welcome = await connect(personas.member, room)
        moderator, _ = await connect(personas.moderator, room)
        state = await next_frame(alice, "state")
        while not state["state"]["open"]:  # the first may be from Alice's own arrival
            state = await next_frame(alice, "state")
        await send(alice, "Hello!", "o-1")
        ack = await next_frame(alice, "ack", "error")
        await moderator.disconnect()
        closed = await next_frame(alice, "state")
        await alice.disconnect()
        return welcome, state, ack, closed

    welcome, state, ack, closed = run(scenario)
    assert welcome["state"]["open"] is False
    assert state["state"]["open"] is True and ack["type"] == "ack"
    assert closed["state"]["open"] is False
