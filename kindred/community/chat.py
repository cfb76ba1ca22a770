"""Chat rooms: who may read and post, whether a room is open, posting a message, history and catch-up, presence.

The socket consumer, the room page and the API all call these; none of them decides anything on its own.

Order of work when someone posts: validate → the same client message id again? return the stored message
(nothing is sent twice) → may they post, is the room open → rate limits → crisis screening → store → only
after the transaction commits is the message delivered to the room's sockets. A message screened with
method detail is stored as held: it is never delivered, and moderators are alerted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import User
from kindred.accounts.names import display_name
from kindred.commons.blocks import blocked_ids
from kindred.core import ratelimit
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Membership
from kindred.safety.screening import ScreeningResult, crisis_panel_payload, screen

from . import access
from .models import ChatMessage, MessageStatus, ModeratorShift, Room, RoomPresence, RoomSchedule

MAX_MESSAGE_CHARS = 2000
HISTORY_PAGE = 50
CATCH_UP_MAX = 200
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
ROOM_NOT_FOUND = "We couldn't find that room. It may not exist, or it may not be open to you."


class ChatError(AppError):
    """A kind, plain message for the person; nothing was stored. `code` lets a client react."""

    def __init__(self, message: str, *, code: str = "invalid", **extra: Any) -> None:
        super().__init__(message, code=code)
        self.extra = extra


# ---------------------------------------------------------------- access


def _authenticated(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_room_member(user: User | None, room: Room) -> bool:
    """Members of the room's organisation (or of a space's organisations, or invited to the space)."""
    if not _authenticated(user):
        return False
    assert user is not None
    if user.is_superuser:
        return True
    if room.space_id is not None:
        space = room.space
        assert space is not None
        return access.can_read(user, space) and bool(
            access.roles_in_space_organisations(user, space) or access.is_space_member(user, space)
        )
    return Membership.objects.filter(user=user, organisation_id=room.organisation_id).exists()


def can_moderate_room(user: User | None, room: Room) -> bool:
    if not _authenticated(user):
        return False
    if room.space_id is not None:
        assert room.space is not None
        return access.can_moderate(user, room.space)
    return access.is_organisation_moderator(user, room.organisation)


def can_read_room(user: User | None, room: Room) -> bool:
    if not _authenticated(user) or (room.is_archived and not can_moderate_room(user, room)):
        return False
    if is_room_member(user, room):
        return True
    if not room.guests_can_read:
        return False
    return room.space is None or access.can_read(user, room.space)


def get_room_for(user: User | None, public_id: Any) -> Room:
    """The room, or Http404 for anyone who may not read it (a private room never reveals that it exists)."""
    try:
        room = Room.objects.select_related("organisation", "space", "offer").filter(public_id=public_id).first()
    except (ValueError, TypeError):  # not a UUID
        room = None
    if room is None or not can_read_room(user, room):
        raise Http404(ROOM_NOT_FOUND)
    return room


def rooms_for(user: User | None) -> list[Room]:
    if not _authenticated(user):
        return []
    candidates = Room.objects.select_related("organisation", "space").filter(is_archived=False)
    return [room for room in candidates if can_read_room(user, room)]


# ---------------------------------------------------------------- opening hours


@dataclass(frozen=True)
class RoomState:
    is_open: bool
    within_hours: bool
    moderator_present: bool
    next_opening: datetime | None  # London time
    message: str  # what to tell people, kindly

    def as_dict(self) -> dict[str, Any]:
        return {
            "open": self.is_open,
            "within_hours": self.within_hours,
            "moderator_present": self.moderator_present,
            "next_opening": self.next_opening.isoformat() if self.next_opening else None,
            "message": self.message,
        }


def _slots_around(room: Room, now_local: datetime) -> list[tuple[datetime, datetime]]:
    """Opening slots from yesterday to eight days ahead, as aware datetimes in the organisation's time zone."""
    hours = list(room.opening_hours.all())
    slots: list[tuple[datetime, datetime]] = []
    for offset in range(-1, 9):
        day = (now_local + timedelta(days=offset)).date()
        for entry in hours:
            if entry.weekday == day.weekday():
                slots.append(
                    (
                        datetime.combine(day, entry.opens_at, tzinfo=now_local.tzinfo),
                        datetime.combine(day, entry.closes_at, tzinfo=now_local.tzinfo),
                    )
                )
    slots.sort()
    return slots


def moderator_present(room: Room) -> bool:
    """A moderator of the room is on duty for its organisation, or has the room open now."""
    if ModeratorShift.objects.filter(organisation_id=room.organisation_id, ended_at__isnull=True).exists():
        return True
    present = RoomPresence.objects.filter(
        room=room, connections__gt=0, last_seen__gte=_presence_cutoff()
    ).select_related("user")
    return any(can_moderate_room(presence.user, room) for presence in present)


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def room_state(room: Room, *, now: datetime | None = None) -> RoomState:
    if room.is_archived:
        return RoomState(False, False, False, None, "This room has been closed for good. You can still read it.")
    if room.schedule == RoomSchedule.ALWAYS_OPEN:
        return RoomState(True, True, False, None, "This room is always open.")
    now_local = (now or timezone.now()).astimezone(room.organisation.zone)  # opening hours are local times
    slots = _slots_around(room, now_local)
    current = next(((start, end) for start, end in slots if start <= now_local < end), None)
    upcoming = next((start for start, _ in slots if start > now_local), None)
    if current is not None:
        present = not room.requires_moderator or moderator_present(room)
        if present:
            return RoomState(True, True, True, None, f"Open now until {current[1]:%H:%M}.")
        return RoomState(
            False,
            True,
            False,
            upcoming,
            "This room opens as soon as a moderator joins. Please check back in a few minutes.",
        )
    if upcoming is None:
        return RoomState(False, False, False, None, "This room has no opening times set at the moment.")
    return RoomState(
        False,
        False,
        False,
        upcoming,
        f"This room is closed now. It next opens on {format_when(upcoming, room.organisation.zone)}.",
    )


# ---------------------------------------------------------------- sanitising


_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_body(text: Any) -> str:
    """Plain text: NFC, no control or direction-override characters, at most two blank lines in a row."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# ---------------------------------------------------------------- posting


@dataclass
class PostOutcome:
    message: ChatMessage
    created: bool
    screening: ScreeningResult | None = None
    crisis_panel: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return self.message.status == MessageStatus.HELD


def posting_refusal(user: User | None, room: Room, *, state: RoomState | None = None) -> ChatError | None:
    """Why `user` may not post in `room` now; None if they may."""
    if not _authenticated(user):
        return ChatError("Please sign in to post.", code="not_signed_in")
    if not can_read_room(user, room):
        return ChatError(ROOM_NOT_FOUND, code="not_found")
    if not is_room_member(user, room):
        return ChatError(
            "You're welcome to follow the conversation here. Only members of the organisation can post.",
            code="read_only",
        )
    if room.organisation.is_closed:
        return ChatError(
            f"{room.organisation.name} has closed, so this room takes no new messages. You can still read it.",
            code="read_only",
        )
    if room.space is not None:
        refusal = access.posting_refusal(user, room.space)
        if refusal is not None:
            return ChatError(refusal, code="restricted")
    else:
        restriction = access.active_restriction(user, organisation=room.organisation)
        if restriction is not None:
            return ChatError(
                f"You can't post here for now: a moderator {restriction.get_kind_display().lower()} you. "
                f"Their reason: {restriction.reason}",
                code="restricted",
            )
    state = state or room_state(room)
    if not state.is_open and not can_moderate_room(user, room):
        return ChatError(state.message, code="closed", next_opening=state.as_dict()["next_opening"])
    return None


def _room_rate_check(room: Room) -> None:
    """A fixed one-minute window per room, shared by every worker through the cache."""
    window = int(timezone.now().timestamp() // 60)
    key = f"chatroom-rate:{room.public_id.hex}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=90)
        count = 1
    if count > room.messages_per_minute:
        raise ChatError(
            "The room is very busy right now, so new messages are paused for a moment. Please try again shortly.",
            code="room_busy",
        )


def message_post(*, author: User, room: Room, text: Any, client_msg_id: Any, deliver: bool = True) -> PostOutcome:
    """Store a message (or find the one already stored under this client id). Raises ChatError, storing nothing.

    With `deliver` the message goes to the room's sockets after commit. The socket consumer passes False and
    sends it itself once this returns (already committed), so its database thread never waits on the layer.
    """
    if not isinstance(client_msg_id, str) or not CLIENT_ID.match(client_msg_id):
        raise ChatError("Something went wrong sending that. Please try again.", code="bad_client_id")
    if not isinstance(text, str):
        raise ChatError('Please send a message as {"text": "your message"}.', code="invalid")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ChatError(
            f"Messages can be up to {MAX_MESSAGE_CHARS:,} characters. Please send a shorter one, or split it in two.",
            code="too_long",
        )
    body = clean_body(text)
    if not body:
        raise ChatError("Please write a message first.", code="empty")
    existing = ChatMessage.objects.filter(room=room, author=author, client_msg_id=client_msg_id).first()
    if existing is not None:
        return PostOutcome(message=existing, created=False)
    refusal = posting_refusal(author, room)
    if refusal is not None:
        raise refusal
    try:
        ratelimit.check("chat_message", f"{author.pk}")
    except ratelimit.RateLimited as exc:
        raise ChatError(
            "You're sending messages very quickly. Please take a breath and try again in a few seconds.",
            code="rate_limited",
        ) from exc
    _room_rate_check(room)
    result = screen(body)
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                room=room,
                author=author,
                client_msg_id=client_msg_id,
                body=body,
                status=MessageStatus.HELD if result.hold else MessageStatus.VISIBLE,
                screening_level=result.level,
                screening_triggers=result.triggers,
            )
            if result.needs_support:
                _alert_moderators(message, result)
            if deliver and not result.hold:
                payload = message_payload(message)
                transaction.on_commit(lambda: broadcast(room, message_event(payload)))
    except IntegrityError:  # the same client id arrived twice at once: the first one won
        existing = ChatMessage.objects.get(room=room, author=author, client_msg_id=client_msg_id)
        return PostOutcome(message=existing, created=False)
    panel = crisis_panel_payload(room.organisation, held=result.hold) if result.needs_support else None
    return PostOutcome(
        message=message, created=True, screening=result, crisis_panel=panel, extra={"payload": message_payload(message)}
    )


def _alert_moderators(message: ChatMessage, result: ScreeningResult) -> None:
    from .moderation import screening_alert

    screening_alert(
        author=message.author,
        organisation=message.room.organisation,
        level=result.level,
        triggers=result.triggers,
        held=result.hold,
        url=message.moderation_context()["url"],
        where=f"the {message.room.name} chat room",
        subject=message,
        noun="message",
        space=message.room.space,
    )


def message_release(*, moderator: User, message: ChatMessage) -> ChatMessage:
    """A moderator shows a held message after all; it is delivered to the room as if just sent."""
    if not can_moderate_room(moderator, message.room):
        raise ChatError("Only this room's moderators can do that.", code="forbidden")
    if message.status != MessageStatus.HELD:
        raise ChatError("This message isn't waiting for a moderator.", code="not_held")
    with transaction.atomic():
        message.status = MessageStatus.VISIBLE
        message.save(update_fields=["status"])
        audit_record(
            actor=moderator,
            action="community.chat_release",
            subject=message,
            organisation=message.room.organisation,
        )
        payload = message_payload(message)
        transaction.on_commit(lambda: broadcast(message.room, message_event(payload)))
    return message


def message_visibility_changed(message: ChatMessage) -> None:
    """Called when a moderator hides or restores a message: every open socket updates after commit."""
    if message.status == MessageStatus.HIDDEN:
        event = {"type": "chat.hidden", "id": str(message.public_id)}
    else:
        event = message_event(message_payload(message))
    transaction.on_commit(lambda: broadcast(message.room, event))


def get_message_for(user: User | None, public_id: Any, *, require: str = "read") -> ChatMessage:
    try:
        message = (
            ChatMessage.objects.select_related("room", "room__organisation", "room__space", "author")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError):
        message = None
    if message is None:
        raise Http404("We couldn't find that message.")
    room = get_room_for(user, message.room.public_id)
    moderator = can_moderate_room(user, room)
    is_author = user is not None and user.is_authenticated and message.author_id == user.pk
    if message.status != MessageStatus.VISIBLE and not (moderator or is_author):
        raise Http404("We couldn't find that message.")
    if require == "moderate" and not moderator:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only this room's moderators can do that.")
    return message


# ---------------------------------------------------------------- delivery


def broadcast(room: Room, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(room.group_name, event)


def message_event(payload: dict[str, Any]) -> dict[str, Any]:
    """The channel-layer event for a new or restored message. The client frame is serialised once here, not
    once per recipient: fan-out to a busy room is the hot path."""
    return {
        "type": "chat.message",
        "author_id": payload["author_id"],
        "frame": json.dumps({"type": "message", "message": payload}),
    }


def message_payload(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": str(message.public_id),
        "author": display_name(message.author),
        "author_id": str(message.author.public_id) if message.author is not None else None,
        "text": message.body,
        "status": message.status,
        "created_at": message.created_at.isoformat(),
    }


# ---------------------------------------------------------------- reading


def blocked_author_ids(user: User | None) -> set[int]:
    if user is None or not _authenticated(user):
        return set()
    return blocked_ids(user)


def blocked_public_ids(user: User | None) -> set[str]:
    if user is None or not _authenticated(user):
        return set()
    return {str(u) for u in User.objects.filter(pk__in=blocked_ids(user)).values_list("public_id", flat=True)}


def _visible_to(user: User | None, room: Room) -> QuerySet[ChatMessage]:
    rows = ChatMessage.objects.filter(room=room).select_related("author")
    own = Q(author=user) if _authenticated(user) else Q(pk__in=[])
    if can_moderate_room(user, room):
        rows = rows.filter(Q(status=MessageStatus.VISIBLE) | Q(status=MessageStatus.HELD) | own)
    else:
        rows = rows.filter(Q(status=MessageStatus.VISIBLE) | own)
    blocked = blocked_author_ids(user)
    if blocked:
        rows = rows.exclude(author_id__in=blocked)
    return rows


def _pk_of(room: Room, public_id: Any) -> int | None:
    try:
        return ChatMessage.objects.filter(room=room, public_id=public_id).values_list("pk", flat=True).first()
    except (ValueError, TypeError):
        return None


@dataclass
class HistoryPage:
    messages: list[ChatMessage]
    has_older: bool
    has_newer: bool = False


def history(user: User | None, room: Room, *, before: Any = None, limit: int = HISTORY_PAGE) -> HistoryPage:
    """A page of messages, oldest first, ending just before `before` (a message public id), or the latest."""
    limit = max(1, min(limit, 200))
    rows = _visible_to(user, room)
    if before:
        pivot = _pk_of(room, before)
        if pivot is None:
            raise ChatError("We couldn't find that point in the conversation.", code="bad_cursor")
        rows = rows.filter(pk__lt=pivot)
    page = list(rows.order_by("-pk")[: limit + 1])
    has_older = len(page) > limit
    return HistoryPage(messages=list(reversed(page[:limit])), has_older=has_older)


def catch_up(user: User | None, room: Room, *, since: Any, limit: int = CATCH_UP_MAX) -> HistoryPage:
    """Messages after `since` (the last message the client saw), oldest first: what was missed while away."""
    pivot = _pk_of(room, since)
    if pivot is None:
        raise ChatError("We couldn't find that point in the conversation.", code="bad_cursor")
    page = list(_visible_to(user, room).filter(pk__gt=pivot).order_by("pk")[: limit + 1])
    return HistoryPage(messages=page[:limit], has_older=False, has_newer=len(page) > limit)


# ---------------------------------------------------------------- presence


# Each open socket refreshes its row every PRESENCE_REFRESH_SECONDS. A row not refreshed for PRESENCE_TTL belongs
# to sockets that died without saying goodbye (a worker crashed or was killed): it no longer counts, the next join
# starts its count afresh, and presence_expire() (run with the community housekeeping command) zeroes it.
PRESENCE_REFRESH_SECONDS = 60
PRESENCE_TTL = timedelta(minutes=3)


def _presence_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - PRESENCE_TTL


def presence_join(user: User, room: Room) -> None:
    now = timezone.now()
    presence, _ = RoomPresence.objects.get_or_create(room=room, user=user)
    RoomPresence.objects.filter(pk=presence.pk).update(
        # A stale count is left over from sockets that are gone: this connection is the only one we know of.
        connections=Case(When(last_seen__lt=_presence_cutoff(now), then=Value(1)), default=F("connections") + 1),
        last_seen=now,
    )


def presence_touch(user: User, room: Room) -> None:
    """An open socket saying "still here" (the consumer calls this every PRESENCE_REFRESH_SECONDS)."""
    RoomPresence.objects.filter(room=room, user=user, connections__gt=0).update(last_seen=timezone.now())


def presence_leave(user: User, room: Room) -> None:
    RoomPresence.objects.filter(room=room, user=user, connections__gt=0).update(
        connections=F("connections") - 1, last_seen=timezone.now()
    )


def presence_expire(*, now: datetime | None = None) -> int:
    """Zero the counts no live socket has refreshed lately. Returns how many rows were stale."""
    return RoomPresence.objects.filter(connections__gt=0, last_seen__lt=_presence_cutoff(now)).update(connections=0)


def presence_show_name(*, user: User, room: Room, show: bool) -> None:
    presence, _ = RoomPresence.objects.get_or_create(room=room, user=user)
    if presence.show_name != show:
        presence.show_name = show
        presence.save(update_fields=["show_name"])


def presence_summary(room: Room) -> dict[str, Any]:
    """How many people are here, and the names of only those who chose to show theirs."""
    present = RoomPresence.objects.filter(
        room=room, connections__gt=0, last_seen__gte=_presence_cutoff()
    ).select_related("user")
    rows = list(present)
    return {
        "count": len(rows),
        "names": sorted(p.user.display_name for p in rows if p.show_name),
    }


def shows_name(user: User | None, room: Room) -> bool:
    if not _authenticated(user):
        return False
    return RoomPresence.objects.filter(room=room, user=user, show_name=True).exists()


def rate_limits() -> dict[str, Any]:
    limit, window = settings.RATE_LIMITS["chat_message"]
    return {"per_person": limit, "per_person_seconds": window}
