"""Live chat in a real browser: two people in two browser contexts chat in a room and see each other's messages
at once; one reports a message; a moderator hides it (the reporter's page updates live); the author reads why and
appeals. axe-core checks the space, thread and room pages.

pytest-django's live_server speaks WSGI only, so this test starts a real ASGI server, uvicorn, serving
kindred.asgi (HTTP, static files and WebSockets) on a free loopback port. It runs in a thread of the test
process rather than a separate process, on purpose: the test database is then the one the test writes to
whatever the engine — PostgreSQL, or SQLite's shared-cache in-memory test database, which another process
could not open (a separate process would need a file database and its own settings). The channel layer is the
configured one: in-memory by default, Redis in the PostgreSQL+Redis run.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from kindred.community.models import Appeal, ChatMessage, MessageStatus, Report, Room, RoomSchedule
from kindred.community.tests.core_helpers import make_space, make_thread
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[str]:
    """uvicorn serving Kindred's ASGI application (with static files) in a background thread; yields its URL."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from kindred.asgi import application

    static = ASGIStaticFilesHandler(application)

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await static(scope, receive, send)
        else:
            await application(scope, receive, send)

    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="asgi-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def person(browser: Any, base_url: str, email: str) -> Any:
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/account/login/")
    tab.get_by_label("Email address").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(tab.get_by_role("heading", level=1)).not_to_have_text("Log in")
    return tab


def test_two_people_chat_live_a_message_is_reported_hidden_and_appealed(
    browser: Any, asgi_server: str, personas: Any
) -> None:
    space = make_space(personas, visibility="members", name="Low mood")
    thread = make_thread(space, personas.member, title="Small wins this week", body="I went for a walk today.")
    room = Room.objects.create(
        organisation=personas.organisation,
        space=space,
        name="Low mood drop-in",
        slug="low-mood-drop-in",
        schedule=RoomSchedule.ALWAYS_OPEN,
    )
    room_url = f"/online/rooms/{room.public_id}/"

    alice = person(browser, asgi_server, personas.member.email)
    bob = person(browser, asgi_server, personas.peer.email)

    # The space and thread pages, checked for accessibility on the way.
    alice.goto(f"/online/spaces/{space.slug}/")
    expect(alice.get_by_role("heading", level=1)).to_contain_text("Low mood")
    assert_accessible(alice)
    alice.goto(f"/online/threads/{thread.public_id}/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Small wins this week")
    assert_accessible(alice)

    # Both open the room; the live socket connects and counts them.
    alice.goto(room_url)
    bob.goto(room_url)
    expect(bob.get_by_test_id("presence")).to_contain_text("2 people here")
    expect(alice.get_by_test_id("presence")).to_contain_text("2 people here")
    assert_accessible(alice)

    # They chat and see each other's messages without reloading.
    alice.get_by_label("Your message").fill("Evening all, kettle's on.")
    alice.get_by_role("button", name="Send").click()
    expect(bob.get_by_test_id("messages")).to_contain_text("Evening all, kettle's on.")
    bob.get_by_label("Your message").fill("Honestly you lot are all pathetic.")
    bob.get_by_role("button", name="Send").click()
    expect(alice.get_by_test_id("messages")).to_contain_text("Honestly you lot are all pathetic.")
    expect(alice.get_by_label("Your message")).to_have_value("")
    assert ChatMessage.objects.filter(room=room).count() == 2
    unkind = ChatMessage.objects.get(body="Honestly you lot are all pathetic.")

    # Alice reports Bob's message.
    alice.get_by_role("link", name=f"Report this message from {personas.peer.display_name}").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Report a message")
    alice.get_by_label("Unkind, bullying or harassing").check()
    alice.get_by_role("button", name="Send the report").click()
    expect(alice.get_by_role("main")).to_contain_text("Thank you for telling us")
    report = Report.objects.get()
    assert report.target == unkind

    # A moderator sees it and hides it with a reason; Alice's open room updates live.
    moderator = person(browser, asgi_server, personas.moderator.email)
    moderator.goto(f"/online/moderation/{personas.organisation.slug}/")
    expect(moderator.get_by_role("main")).to_contain_text("Honestly you lot are all pathetic.")
    moderator.goto(room_url)
    expect(alice.get_by_test_id("presence")).to_contain_text("3 people here")
    moderator.get_by_role("link", name="Moderate this message").last.click()
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Moderate a message")
    moderator.get_by_label("Hidden", exact=True).check()
    moderator.get_by_label("Reason").fill("Please be kind: everyone here is finding their way.")
    moderator.get_by_role("button", name="Take this action").click()
    expect(moderator.get_by_role("main")).to_contain_text("The person has been told")
    expect(alice.locator(f"#message-{unkind.public_id}")).to_contain_text("hidden by a moderator")
    unkind.refresh_from_db()
    assert unkind.status == MessageStatus.HIDDEN

    # Bob reads why, and appeals once.
    bob.goto("/notifications/")
    bob.get_by_role("link", name="A moderator hid one of your messages").click()
    expect(bob.get_by_test_id("action-reason")).to_have_text("Please be kind: everyone here is finding their way.")
    bob.get_by_label("Why should the decision change?").fill("I was having a bad night. I'm sorry, it was unkind.")
    bob.get_by_role("button", name="Send my appeal").click()
    expect(bob.get_by_role("main")).to_contain_text("Waiting for another moderator")
    assert Appeal.objects.get().appellant == personas.peer

    for tab in (alice, bob, moderator):
        tab.context.close()
