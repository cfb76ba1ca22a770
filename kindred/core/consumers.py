from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

MAX_ECHO_CHARS = 2000
# A frame far bigger than any allowed message is refused before we spend time parsing it. JSON may
# escape each character as \uXXXX (twice for an emoji), so a full-length message can be 12 times longer.
MAX_FRAME_CHARS = MAX_ECHO_CHARS * 12 + 200

# Close code for "not signed in" (4000 to 4999 are ours to define; 4401 mirrors HTTP 401).
CLOSE_NOT_SIGNED_IN = 4401

ASK_FOR_TEXT = 'Please send a message as {"text": "your message"}.'
TOO_LONG = f"Messages can be up to {MAX_ECHO_CHARS} characters. Please send a shorter one."
NOT_JSON = 'We couldn\'t read that. Please send JSON, for example {"text": "hello"}.'


class EchoConsumer(AsyncJsonWebsocketConsumer):
    """Proves the socket stack end to end: only signed-in people connect; messages come back to them.

    Every problem with a message gets a kind error frame and the socket stays open: a person
    mid-conversation should never be cut off because one message was wrong.
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Closing before accepting refuses the handshake (the browser sees HTTP 403).
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        await self.accept()
        await self.send_json({"type": "hello", "display_name": user.display_name})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None:  # a binary frame: the base class would raise and drop the connection
            await self._error(NOT_JSON)
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self._error(TOO_LONG)
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error(NOT_JSON)
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        text = content.get("text") if isinstance(content, dict) else None
        if not isinstance(text, str) or not text.strip():
            await self._error(ASK_FOR_TEXT)
            return
        if len(text) > MAX_ECHO_CHARS:
            await self._error(TOO_LONG)
            return
        await self.send_json({"type": "echo", "text": text})

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})
