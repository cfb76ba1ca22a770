"""Chat rooms over the JSON API: the same rules as the pages and the socket."""

from __future__ import annotations

import pytest
from django.test import Client

from kindred.accounts.services import api_token_create
from kindred.community.models import ChatMessage, MessageStatus

from .test_rooms_helpers import make_room, open_only_in_three_days

pytestmark = pytest.mark.django_db

BASE = "/api/online"


def api(user) -> Client:
    _, raw = api_token_create(actor=user, name="Test script")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, room, text: str, client_msg_id: str = "api-1"):
    return client.post(
        f"{BASE}/rooms/{room.public_id}/messages",
        {"text": text, "client_msg_id": client_msg_id},
        content_type="application/json",
    )


def test_a_token_is_needed(personas):
    room = make_room(personas.organisation)
    assert Client().get(f"{BASE}/rooms").status_code == 401
    assert Client().get(f"{BASE}/rooms/{room.public_id}/messages").status_code == 401


def test_rooms_list_and_detail_follow_the_same_access_as_the_pages(personas):
    room = make_room(personas.organisation, name="Riverside evening")
    make_room(personas.other_organisation, name="Hilltop lounge")
    names = [r["name"] for r in api(personas.member).get(f"{BASE}/rooms").json()]
    assert names == ["Riverside evening"]
    detail = api(personas.member).get(f"{BASE}/rooms/{room.public_id}").json()
    assert detail["can_post"] is True and detail["state"]["open"] is True and detail["presence"]["count"] == 0
    outsider = api(personas.outsider).get(f"{BASE}/rooms/{room.public_id}")
    assert outsider.status_code == 404 and "couldn't find that" in outsider.json()["detail"]


def test_posting_is_idempotent_on_the_client_message_id(personas):
    room = make_room(personas.organisation)
    client = api(personas.member)
    first = post(client, room, "Hello from a script")
    again = post(client, room, "Hello from a script")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["duplicate"] is True
    assert first.json()["message"]["id"] == again.json()["message"]["id"]
    assert ChatMessage.objects.count() == 1


def test_post_refusals_carry_the_reason(personas, settings):
    closed = make_room(personas.organisation, name="Closed room", schedule="scheduled")
    open_only_in_three_days(closed)
    response = post(api(personas.member), closed, "Hello?")
    assert response.status_code == 403 and "It next opens on" in response.json()["detail"]

    guest_room = make_room(personas.organisation, name="Guest room", guests_can_read=True)
    response = post(api(personas.outsider), guest_room, "Hi")
    assert response.status_code == 403 and "Only members" in response.json()["detail"]

    private = make_room(personas.organisation, name="Members room")
    assert post(api(personas.outsider), private, "Hi").status_code == 404

    open_room = make_room(personas.organisation, name="Open room")
    response = post(api(personas.member), open_room, "x" * 2001)
    assert response.status_code == 400 and "2,000 characters" in response.json()["detail"]

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_message": (1, 60)}
    client = api(personas.peer)
    assert post(client, open_room, "one", "r-1").status_code == 201
    assert post(client, open_room, "two", "r-2").status_code == 429
    assert not ChatMessage.objects.filter(room__in=[closed, guest_room, private]).exists()


def test_screening_answers_at_once_with_the_crisis_panel(personas):
    room = make_room(personas.organisation)
    body = post(api(personas.member), room, "I want to end my life.").json()
    assert body["screening"] == {"level": "urgent", "held": False}
    assert {r["name"] for r in body["crisis_panel"]["uk_routes"]} >= {"Samaritans", "Shout"}
    held = post(api(personas.member), room, "What's the lethal dose of [medication]?", "api-2").json()
    assert held["screening"]["held"] is True and held["message"]["status"] == MessageStatus.HELD


def test_history_and_catch_up(personas):
    room = make_room(personas.organisation)
    for n in range(5):
        ChatMessage.objects.create(room=room, author=personas.peer, client_msg_id=f"m{n}", body=f"message {n}")
    hidden = ChatMessage.objects.create(
        room=room, author=personas.peer, client_msg_id="h", body="hidden one", status=MessageStatus.HIDDEN
    )
    client = api(personas.member)
    latest = client.get(f"{BASE}/rooms/{room.public_id}/messages", {"limit": 2}).json()
    assert [m["text"] for m in latest["messages"]] == ["message 3", "message 4"] and latest["has_older"] is True
    older = client.get(f"{BASE}/rooms/{room.public_id}/messages", {"before": latest["messages"][0]["id"]}).json()
    assert [m["text"] for m in older["messages"]] == ["message 0", "message 1", "message 2"]
    since = client.get(f"{BASE}/rooms/{room.public_id}/messages", {"since": older["messages"][1]["id"]}).json()
    assert [m["text"] for m in since["messages"]] == ["message 2", "message 3", "message 4"]
    assert "hidden one" not in str(since) and str(hidden.public_id) not in str(since)
    unknown = client.get(f"{BASE}/rooms/{room.public_id}/messages", {"since": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 400


def test_the_endpoints_are_in_the_openapi_schema():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/online/rooms", "/api/online/rooms/{public_id}", "/api/online/rooms/{public_id}/messages"} <= set(
        paths
    )
    assert {"get", "post"} <= set(paths["/api/online/rooms/{public_id}/messages"])
