from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

MAX_ECHO_CHARS = 2000


class EchoConsumer(AsyncJsonWebsocketConsumer):
    """Proves the socket stack end to end: only signed-in people connect; messages come back to them."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        await self.accept()
        await self.send_json({"type": "hello", "display_name": user.display_name})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        text = content.get("text") if isinstance(content, dict) else None
        if not isinstance(text, str) or not text.strip():
            await self.send_json({"type": "error", "message": 'Send a message as {"text": "..."}.'})
            return
        if len(text) > MAX_ECHO_CHARS:
            await self.send_json({"type": "error", "message": f"Messages can be up to {MAX_ECHO_CHARS} characters."})
            return
        await self.send_json({"type": "echo", "text": text})

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
