"""Presence heals itself after a worker dies without running disconnect: stale rows stop counting, the next join
starts afresh, open sockets keep their rows fresh, and the housekeeping command zeroes what is left."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.utils import timezone

from kindred.community import chat
from kindred.community.models import OpeningHours, RoomPresence, RoomSchedule

from .test_rooms_helpers import connect, make_room

LONDON = ZoneInfo("Europe/London")  # the personas' organisation keeps the default time zone


@pytest.mark.django_db
def test_a_crashed_workers_connections_stop_counting_after_the_ttl(personas):
    room = make_room(personas.organisation)
    chat.presence_join(personas.member, room)
    chat.presence_join(personas.peer, room)
    assert chat.presence_summary(room)["count"] == 2
    # The worker holding the member's socket dies: presence_leave never runs; the peer's socket stays and beats.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        chat.presence_touch(personas.peer, room)
    with time_machine.travel(timezone.now() + chat.PRESENCE_TTL + timedelta(seconds=30)):
        assert chat.presence_summary(room)["count"] == 1


@pytest.mark.django_db
def test_rejoining_after_a_crash_starts_the_count_afresh(personas):
    room = make_room(personas.organisation)
    chat.presence_join(personas.member, room)
    chat.presence_join(personas.member, room)  # two tabs, then the worker dies
    with time_machine.travel(timezone.now() + chat.PRESENCE_TTL + timedelta(minutes=1)):
        chat.presence_join(personas.member, room)
        assert RoomPresence.objects.get(room=room, user=personas.member).connections == 1
        chat.presence_leave(personas.member, room)
        assert chat.presence_summary(room)["count"] == 0


@pytest.mark.django_db
def test_a_live_connection_is_not_expired(personas):
    room = make_room(personas.organisation)
    chat.presence_join(personas.member, room)
    start = timezone.now()
    for minute in range(1, 10):
        with time_machine.travel(start + timedelta(minutes=minute)):
            chat.presence_touch(personas.member, room)
            assert chat.presence_summary(room)["count"] == 1
            assert chat.presence_expire() == 0


@pytest.mark.django_db
def test_a_scheduled_room_does_not_stay_open_on_a_crashed_moderators_presence(personas):
    room = make_room(personas.organisation, schedule=RoomSchedule.SCHEDULED, requires_moderator=True)
    OpeningHours.objects.create(room=room, weekday=0, opens_at=time(0, 0), closes_at=time(23, 59))
    monday = timezone.make_aware(datetime(2026, 11, 23, 10, 0), LONDON)
    with time_machine.travel(monday):
        chat.presence_join(personas.moderator, room)  # the moderator opens the room, then their worker dies
        assert chat.room_state(room).is_open
    with time_machine.travel(monday + chat.PRESENCE_TTL + timedelta(minutes=1)):
        state = chat.room_state(room)
        assert not state.is_open and "opens as soon as a moderator joins" in state.message


@pytest.mark.django_db
def test_housekeeping_command_zeroes_stale_rows(personas):
    room = make_room(personas.organisation)
    chat.presence_join(personas.member, room)
    chat.presence_show_name(user=personas.member, room=room, show=True)
    with time_machine.travel(timezone.now() + chat.PRESENCE_TTL + timedelta(minutes=1)):
        out = StringIO()
        call_command("community_digest", stdout=out)
        assert "Cleared 1 stale chat presence record." in out.getvalue()
    row = RoomPresence.objects.get(room=room, user=personas.member)
    assert row.connections == 0 and row.show_name is True  # their choice about their name is kept


@pytest.mark.django_db(transaction=True)
def test_an_open_socket_refreshes_its_presence_and_stops_when_closed(personas, monkeypatch):
    monkeypatch.setattr(chat, "PRESENCE_REFRESH_SECONDS", 0.05)
    beats: list[object] = []
    original = chat.presence_touch

    def counting_touch(user, room):
        beats.append(user)
        original(user, room)

    monkeypatch.setattr(chat, "presence_touch", counting_touch)
    room = make_room(personas.organisation)

    async def scenario():
        socket, _ = await connect(personas.member, room)
        await asyncio.sleep(0.4)
        await socket.disconnect()
        after_close = len(beats)
        await asyncio.sleep(0.2)
        return after_close

    after_close = async_to_sync(scenario)()
    assert after_close >= 2 and all(user == personas.member for user in beats)
    assert len(beats) == after_close  # the heartbeat ended with the socket
    assert RoomPresence.objects.get(room=room, user=personas.member).connections == 0
