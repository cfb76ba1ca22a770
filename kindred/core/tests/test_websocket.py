"""The socket stack end to end: the real ASGI application, the session cookie, the echo consumer.

Runs on the in-memory channel layer by default and on Redis when REDIS_URL is set. The tests are
transactional because the consumer reads the session and user from the database on its own thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from kindred.asgi import application
from kindred.core.consumers import ASK_FOR_TEXT, CLOSE_NOT_SIGNED_IN, MAX_ECHO_CHARS, NOT_JSON, TOO_LONG
from kindred.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/echo/"
ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3  # seconds: generous for Redis on a busy CI machine


def session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), ORIGIN]


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return async_to_sync(scenario)()


async def connected(headers: list[tuple[bytes, bytes]]) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    accepted, _ = await communicator.connect(timeout=TIMEOUT)
    assert accepted
    return communicator


def test_anonymous_people_are_refused():
    async def scenario() -> tuple[bool, Any]:
        communicator = WebsocketCommunicator(application, PATH, headers=[ORIGIN])
        result = await communicator.connect(timeout=TIMEOUT)
        await communicator.wait()
        return result

    accepted, code = run(scenario)

    assert accepted is False
    assert code == CLOSE_NOT_SIGNED_IN


def test_a_forged_or_ended_session_is_refused():
    user = UserFactory(display_name="Wren")
    headers = session_headers(user)
    forged = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}=not-a-session".encode()), ORIGIN]
    user.is_active = False
    user.save()

    async def scenario() -> list[tuple[bool, Any]]:
        results = []
        for attempt in (forged, headers):
            communicator = WebsocketCommunicator(application, PATH, headers=attempt)
            results.append(await communicator.connect(timeout=TIMEOUT))
            await communicator.wait()
        return results

    assert run(scenario) == [(False, CLOSE_NOT_SIGNED_IN), (False, CLOSE_NOT_SIGNED_IN)]


def test_a_signed_in_person_is_greeted_and_their_messages_come_back():
    headers = session_headers(UserFactory(display_name="Wren"))

    async def scenario() -> list[dict[str, Any]]:
        communicator = await connected(headers)
        frames = [await communicator.receive_json_from(timeout=TIMEOUT)]
        await communicator.send_json_to({"text": "Hello, is anyone there?"})
        frames.append(await communicator.receive_json_from(timeout=TIMEOUT))
        # Exactly the limit is fine, even when JSON escapes every character (\uXXXX, twice for emoji).
        await communicator.send_json_to({"text": "🌱" * MAX_ECHO_CHARS})
        frames.append(await communicator.receive_json_from(timeout=TIMEOUT))
        await communicator.disconnect()
        return frames

    hello, echo, longest = run(scenario)

    assert hello == {"type": "hello", "display_name": "Wren"}
    assert echo == {"type": "echo", "text": "Hello, is anyone there?"}
    assert longest == {"type": "echo", "text": "🌱" * MAX_ECHO_CHARS}


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ({"text_data": "{not json"}, NOT_JSON),
        ({"bytes_data": b"\x00\x01binary"}, NOT_JSON),
        ({"text_data": "{}"}, ASK_FOR_TEXT),
        ({"text_data": '{"text": "   "}'}, ASK_FOR_TEXT),
        ({"text_data": '{"text": 42}'}, ASK_FOR_TEXT),
        ({"text_data": '["text", "hello"]'}, ASK_FOR_TEXT),
        ({"text_data": '{"text": "' + "x" * (MAX_ECHO_CHARS + 1) + '"}'}, TOO_LONG),
        ({"text_data": '{"text": "' + "x" * (MAX_ECHO_CHARS * 20) + '"}'}, TOO_LONG),
    ],
)
def test_bad_messages_get_a_kind_error_and_the_socket_stays_open(frame, message):
    headers = session_headers(UserFactory(display_name="Wren"))

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        communicator = await connected(headers)
        await communicator.receive_json_from(timeout=TIMEOUT)  # hello
        await communicator.send_to(**frame)
        error = await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.send_json_to({"text": "still here"})
        after = await communicator.receive_json_from(timeout=TIMEOUT)
        await communicator.disconnect()
        return error, after

    error, after = run(scenario)

    assert error == {"type": "error", "message": message}
    assert after == {"type": "echo", "text": "still here"}


def test_each_person_hears_only_their_own_echo():
    wren = session_headers(UserFactory(display_name="Wren"))
    robin = session_headers(UserFactory(display_name="Robin"))

    async def scenario() -> tuple[list[Any], bool]:
        first, second = await connected(wren), await connected(robin)
        greetings = [await first.receive_json_from(timeout=TIMEOUT), await second.receive_json_from(timeout=TIMEOUT)]
        await first.send_json_to({"text": "private to Wren"})
        greetings.append(await first.receive_json_from(timeout=TIMEOUT))
        second_heard_nothing = await second.receive_nothing(timeout=0.3)
        await first.disconnect()
        await second.disconnect()
        return greetings, second_heard_nothing

    frames, second_heard_nothing = run(scenario)

    assert [f.get("display_name") for f in frames[:2]] == ["Wren", "Robin"]
    assert frames[2] == {"type": "echo", "text": "private to Wren"}
    assert second_heard_nothing
