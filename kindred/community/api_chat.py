"""Chat rooms over the JSON API: the rooms you can see, a room's state, history and catch-up, and posting.

Exactly the same rules as the socket and the pages (kindred.community.chat): a room you may not read is a 404;
posting where you may only read, or while the room is closed, is a 403 with the reason; posting too fast is a
429. Posting is idempotent on `client_msg_id`: a retry returns the stored message with 200 instead of 201.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kindred.accounts.http import current_user
from kindred.core.api import InputSchema, responses

from . import chat


class RoomOut(Schema):
    public_id: UUID
    name: str
    description: str
    organisation: str = Field(..., description="The organisation's slug.")
    space: str | None = Field(None, description="The space's slug, for a room inside a space.")
    schedule: str = Field(..., description="always_open or scheduled (opening times are Europe/London).")
    guests_can_read: bool


class RoomStateOut(Schema):
    open: bool
    within_hours: bool
    moderator_present: bool
    next_opening: datetime | None
    message: str


class PresenceOut(Schema):
    count: int
    names: list[str] = Field(..., description="Only people who chose to show their name.")


class RoomDetailOut(RoomOut):
    state: RoomStateOut
    can_post: bool
    why_not: str = Field("", description="Why you can't post now, in words you can show the person.")
    presence: PresenceOut
    max_chars: int


class CommunityMessageOut(Schema):
    id: UUID
    author: str = Field(..., description="The name they chose to show, or 'a former member'.")
    author_id: UUID | None = Field(..., description="Null when the person has deleted their account.")
    text: str = Field(..., description="Plain text. Show it as text, never as HTML.")
    status: str = Field(..., description="visible, or held/hidden (only its author and moderators see those).")
    created_at: datetime


class MessagePageOut(Schema):
    messages: list[CommunityMessageOut]
    has_older: bool
    has_newer: bool


class CommunityMessageIn(InputSchema):
    text: str = Field(..., max_length=chat.MAX_MESSAGE_CHARS * 2)
    client_msg_id: str = Field(
        ...,
        min_length=1,
        max_length=64,
        description="Your own id for this message (letters, digits, _ . : -). Resending it never duplicates.",
    )


class ScreeningOut(Schema):
    level: str = Field(..., description="none, concern or urgent.")
    held: bool


class PostedOut(Schema):
    message: CommunityMessageOut
    duplicate: bool = Field(..., description="True when this client_msg_id was already stored.")
    screening: ScreeningOut | None = None
    crisis_panel: dict[str, Any] | None = Field(
        None, description="When screening found concern or urgent: crisis routes to show the author at once."
    )


class HistoryQuery(Schema):
    before: UUID | None = Field(None, description="Messages before this message id (older pages).")
    since: UUID | None = Field(None, description="Messages after this message id (catching up).")
    limit: int = Field(chat.HISTORY_PAGE, ge=1, le=200)


def _room_out(room: Any) -> dict[str, Any]:
    return {
        "public_id": room.public_id,
        "name": room.name,
        "description": room.description,
        "organisation": room.organisation.slug,
        "space": room.space.slug if room.space_id else None,
        "schedule": room.schedule,
        "guests_can_read": room.guests_can_read,
    }


router = Router(tags=["online"])


@router.get("/rooms", response=responses({200: list[RoomOut]}), summary="Chat rooms you can see")
def room_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_room_out(room) for room in chat.rooms_for(current_user(request))]


@router.get("/rooms/{public_id}", response=responses({200: RoomDetailOut}, 404), summary="A chat room")
def room_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    room = chat.get_room_for(user, public_id)
    state = chat.room_state(room)
    refusal = chat.posting_refusal(user, room, state=state)
    return {
        **_room_out(room),
        "state": state.as_dict(),
        "can_post": refusal is None,
        "why_not": str(refusal) if refusal else "",
        "presence": chat.presence_summary(room),
        "max_chars": chat.MAX_MESSAGE_CHARS,
    }


@router.get(
    "/rooms/{public_id}/messages",
    response=responses({200: MessagePageOut}, 400, 404),
    summary="A room's messages: the latest, an older page (before) or what you missed (since)",
)
def room_messages(request: HttpRequest, public_id: UUID, query: Query[HistoryQuery]) -> dict[str, Any]:
    user = current_user(request)
    room = chat.get_room_for(user, public_id)
    if query.since is not None:
        page = chat.catch_up(user, room, since=query.since, limit=query.limit)
    else:
        page = chat.history(user, room, before=query.before, limit=query.limit)
    return {
        "messages": [chat.message_payload(m) for m in page.messages],
        "has_older": page.has_older,
        "has_newer": page.has_newer,
    }


@router.post(
    "/rooms/{public_id}/messages",
    response=responses({200: PostedOut, 201: PostedOut}, 400, 403, 404, 429),
    summary="Post a message (idempotent on client_msg_id)",
)
def room_post(request: HttpRequest, public_id: UUID, payload: CommunityMessageIn) -> Status:
    user = current_user(request)
    room = chat.get_room_for(user, public_id)
    outcome = chat.message_post(author=user, room=room, text=payload.text, client_msg_id=payload.client_msg_id)
    screening = {"level": outcome.screening.level, "held": outcome.held} if outcome.screening is not None else None
    body = {
        "message": chat.message_payload(outcome.message),
        "duplicate": not outcome.created,
        "screening": screening,
        "crisis_panel": outcome.crisis_panel,
    }
    return Status(201 if outcome.created else 200, body)
