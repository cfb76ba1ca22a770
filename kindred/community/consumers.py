"""The live chat room socket: /ws/rooms/<room public id>/?since=<last message id seen>.

Client → server frames (JSON):
  {"type": "message", "client_msg_id": "…", "text": "…"}   post (resending the same id never duplicates)
  {"type": "catch_up", "since": "<message id>"}             what was missed (also done on connect with ?since=)
  {"type": "history", "before": "<message id>"}             older messages
  {"type": "presence", "show_name": true|false}             let others see your name, or not

Server → client frames: "welcome" (room state, your permissions, presence, recent or missed messages),
"message", "hidden", "ack" (your message is stored; `duplicate` when it was a resend), "held" (your message
is waiting for a moderator), "crisis_panel", "presence", "state", "history", "error" (kind words and a code).

Every decision is made in kindred.community.chat; this class only moves frames. Problems with one frame get an
error frame and the socket stays open: a person mid-conversation is never cut off for one mistake.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from . import chat
from .models import Room, RoomSchedule

# JSON may escape each character as \uXXXX (twice for an emoji): a full-length message can be 12 times longer.
MAX_FRAME_CHARS = chat.MAX_MESSAGE_CHARS * 12 + 500

CLOSE_NOT_SIGNED_IN = 4401  # mirrors HTTP 401
CLOSE_NOT_FOUND = 4404  # not a room, or not one this person may read (never says which)

NOT_JSON = 'We couldn\'t read that. Please send JSON, for example {"type": "message", "text": "hello"}.'
UNKNOWN = "We didn't understand that request."


class RoomConsumer(AsyncJsonWebsocketConsumer):
    room: Room
    can_post: bool
    blocked: set[str]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        self.user = user
        room_id = self.scope["url_route"]["kwargs"]["public_id"]
        try:
            self.room = await database_sync_to_async(chat.get_room_for)(user, room_id)
        except Http404:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.joined = False
        await self.channel_layer.group_add(self.room.group_name, self.channel_name)
        await self.accept()
        since = (parse_qs(self.scope.get("query_string", b"").decode()).get("since") or [""])[0]
        welcome = await database_sync_to_async(self._welcome)(since)
        self.joined = True
        self.heartbeat = asyncio.ensure_future(self._keep_presence_fresh())
        await self.send_json(welcome)
        await self._broadcast_presence()

    async def _keep_presence_fresh(self) -> None:
        """Refresh this person's presence row while the socket is open, so a crashed worker's rows go stale."""
        while True:
            await asyncio.sleep(chat.PRESENCE_REFRESH_SECONDS)
            await database_sync_to_async(chat.presence_touch)(self.user, self.room)

    def _welcome(self, since: str) -> dict[str, Any]:
        chat.presence_join(self.user, self.room)
        self.blocked = chat.blocked_public_ids(self.user)
        refusal = chat.posting_refusal(self.user, self.room)
        self.can_post = refusal is None or refusal.code in {"closed", "rate_limited", "room_busy"}
        frame: dict[str, Any] = {
            "type": "welcome",
            "room": {"id": str(self.room.public_id), "name": self.room.name},
            "state": chat.room_state(self.room).as_dict(),
            "can_post": refusal is None,
            "read_only": not self.can_post,
            "why_not": str(refusal) if refusal is not None else "",
            "show_name": chat.shows_name(self.user, self.room),
            "presence": chat.presence_summary(self.room),
            "max_chars": chat.MAX_MESSAGE_CHARS,
        }
        if since:
            try:
                page = chat.catch_up(self.user, self.room, since=since)
                frame["missed"] = [chat.message_payload(m) for m in page.messages]
                frame["more_missed"] = page.has_newer
            except chat.ChatError:
                since = ""  # an unknown cursor: send the latest page instead
        if not since:
            page = chat.history(self.user, self.room)
            frame["messages"] = [chat.message_payload(m) for m in page.messages]
            frame["has_older"] = page.has_older
        return frame

    async def disconnect(self, code: int) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        if not hasattr(self, "room"):
            return
        await self.channel_layer.group_discard(self.room.group_name, self.channel_name)
        if getattr(self, "joined", False):
            await database_sync_to_async(chat.presence_leave)(self.user, self.room)
            await self._broadcast_presence()

    # ------------------------------------------------------------ from the client

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None:
            await self._error(NOT_JSON, "not_json")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self._error(_too_long(), "too_long")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error(NOT_JSON, "not_json")
            return
        if not isinstance(content, dict):
            await self._error(NOT_JSON, "not_json")
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type", "message")
        if kind == "message":
            await self._post(content)
        elif kind == "catch_up":
            await self._catch_up(content.get("since"))
        elif kind == "history":
            await self._history(content.get("before"))
        elif kind == "presence":
            await database_sync_to_async(chat.presence_show_name)(
                user=self.user, room=self.room, show=bool(content.get("show_name"))
            )
            await self._broadcast_presence()
        else:
            await self._error(UNKNOWN, "unknown")

    async def _post(self, content: dict[str, Any]) -> None:
        client_msg_id = content.get("client_msg_id")
        try:
            outcome = await database_sync_to_async(chat.message_post)(
                author=self.user, room=self.room, text=content.get("text"), client_msg_id=client_msg_id, deliver=False
            )
        except chat.ChatError as error:
            await self._error(str(error), error.code, client_msg_id=client_msg_id, **error.extra)
            return
        message = outcome.message
        payload = outcome.extra.get("payload") or await database_sync_to_async(chat.message_payload)(message)
        if outcome.created and not outcome.held:
            # Stored and committed: now deliver it to everyone in the room, on every worker.
            await self.channel_layer.group_send(self.room.group_name, chat.message_event(payload))
        await self.send_json(
            {
                "type": "ack",
                "client_msg_id": client_msg_id,
                "id": payload["id"],
                "duplicate": not outcome.created,
                "held": outcome.held,
                "message": payload,
            }
        )
        if outcome.held and outcome.created:
            await self.send_json(
                {
                    "type": "held",
                    "id": payload["id"],
                    "message": (
                        "We haven't shown this message to the room yet: it has details that could be hard for "
                        "others to read, so a moderator will look at it soon. You haven't done anything wrong."
                    ),
                }
            )
        if outcome.crisis_panel is not None:
            await self.send_json({"type": "crisis_panel", "panel": outcome.crisis_panel})

    async def _catch_up(self, since: Any) -> None:
        try:
            page = await database_sync_to_async(chat.catch_up)(self.user, self.room, since=since)
        except chat.ChatError as error:
            await self._error(str(error), error.code)
            return
        messages = await database_sync_to_async(lambda: [chat.message_payload(m) for m in page.messages])()
        await self.send_json({"type": "missed", "messages": messages, "more": page.has_newer})

    async def _history(self, before: Any) -> None:
        try:
            page = await database_sync_to_async(chat.history)(self.user, self.room, before=before)
        except chat.ChatError as error:
            await self._error(str(error), error.code)
            return
        messages = await database_sync_to_async(lambda: [chat.message_payload(m) for m in page.messages])()
        await self.send_json({"type": "history", "messages": messages, "has_older": page.has_older})

    # ------------------------------------------------------------ from the room's group

    async def chat_message(self, event: dict[str, Any]) -> None:
        if event["author_id"] in self.blocked:
            return  # people someone has blocked are hidden from them
        await self.send(text_data=event["frame"])

    async def chat_hidden(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "hidden", "id": event["id"]})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "presence", "presence": event["presence"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "state", "state": event["state"]})

    # ------------------------------------------------------------ helpers

    async def _broadcast_presence(self) -> None:
        summary = await database_sync_to_async(chat.presence_summary)(self.room)
        await self.channel_layer.group_send(self.room.group_name, {"type": "chat.presence", "presence": summary})
        if self.room.schedule == RoomSchedule.SCHEDULED:
            # A moderator arriving or leaving can open or close a scheduled room: everyone is told at once.
            state = await database_sync_to_async(lambda: chat.room_state(self.room).as_dict())()
            await self.channel_layer.group_send(self.room.group_name, {"type": "chat.state", "state": state})

    async def _error(self, message: str, code: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, **extra})


def _too_long() -> str:
    return (
        f"Messages can be up to {chat.MAX_MESSAGE_CHARS:,} characters. Please send a shorter one, or split it in two."
    )
