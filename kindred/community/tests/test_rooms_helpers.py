"""Shared set-up for the chat room tests (no tests here): rooms, sockets with a session, frame helpers."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kindred.accounts.models import User
from kindred.asgi import application
from kindred.community.models import ModeratorShift, OpeningHours, Room, RoomSchedule
from kindred.organisations.models import Organisation

LONDON = ZoneInfo("Europe/London")  # the personas' organisation keeps the default time zone

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3  # seconds: generous for Redis on a busy CI machine


def make_room(organisation: Organisation, *, name: str = "Evening chat", **fields: Any) -> Room:
    fields.setdefault("schedule", RoomSchedule.ALWAYS_OPEN)
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    return Room.objects.create(organisation=organisation, name=name, slug=slug, **fields)


def open_all_day_today(room: Room) -> None:
    today = timezone.now().astimezone(LONDON)
    OpeningHours.objects.create(room=room, weekday=today.weekday(), opens_at=time(0, 0), closes_at=time(23, 59, 59))


def open_only_in_three_days(room: Room) -> OpeningHours:
    day = timezone.now().astimezone(LONDON) + timedelta(days=3)
    return OpeningHours.objects.create(room=room, weekday=day.weekday(), opens_at=time(19, 0), closes_at=time(21, 0))


def on_duty(moderator: User, organisation: Organisation) -> ModeratorShift:
    return ModeratorShift.objects.create(organisation=organisation, moderator=moderator, started_at=timezone.now())


def session_headers(user: User) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), ORIGIN]


def room_path(room: Room, since: str = "") -> str:
    return f"/ws/rooms/{room.public_id}/" + (f"?since={since}" if since else "")


async def connect(user: User | None, room: Room, since: str = "") -> tuple[WebsocketCommunicator, dict]:
    headers = await sync_to_async(session_headers)(user) if user is not None else [ORIGIN]
    communicator = WebsocketCommunicator(application, room_path(room, since), headers=headers)
    accepted, code = await communicator.connect(timeout=TIMEOUT)
    assert accepted, f"refused with {code}"
    welcome = await next_frame(communicator, "welcome")
    return communicator, welcome


async def refused(user: User | None, room_or_path: Room | str) -> Any:
    path = room_path(room_or_path) if isinstance(room_or_path, Room) else room_or_path
    headers = await sync_to_async(session_headers)(user) if user is not None else [ORIGIN]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    accepted, code = await communicator.connect(timeout=TIMEOUT)
    await communicator.wait()
    assert not accepted
    return code


async def next_frame(communicator: WebsocketCommunicator, *types: str) -> dict:
    """The next frame of one of these types, skipping others (presence updates arrive at any time)."""
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] in types:
            return frame


async def frames_for(communicator: WebsocketCommunicator, seconds: float = 0.4) -> list[dict]:
    """Every frame that arrives within `seconds` (for asserting that something did NOT arrive)."""
    # receive_nothing never times the application out (receive_json_from would cancel it).
    frames = []
    while not await communicator.receive_nothing(timeout=seconds):
        frames.append(await communicator.receive_json_from(timeout=TIMEOUT))
    return frames


async def send(communicator: WebsocketCommunicator, text: str, client_msg_id: str) -> None:
    await communicator.send_json_to({"type": "message", "text": text, "client_msg_id": client_msg_id})
