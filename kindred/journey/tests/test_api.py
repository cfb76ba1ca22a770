"""The journey API: same rules as the pages — own record only, 401 without sign-in, 404 for others, 422 kindly."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from kindred.accounts.services import api_token_create
from kindred.community.models import Space
from kindred.journey.models import Moment, Reflection, StatusChange, SuggestionDismissal
from kindred.journey.services import moment_create, reflection_create, status_set

from .helpers import at, offer, span

pytestmark = pytest.mark.django_db
NOW = "2026-06-01 12:00Z"
JSON = "application/json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/journey"),
        ("get", "/api/journey/moments"),
        ("post", "/api/journey/moments"),
        ("put", "/api/journey/status"),
        ("get", "/api/journey/reflections"),
        ("post", "/api/journey/reflections"),
        ("get", "/api/journey/suggestions"),
        ("post", "/api/journey/suggestions/dismiss"),
    ],
)
def test_everything_needs_sign_in(client, method, path):
    response = getattr(client, method)(path, {}, content_type=JSON)
    assert response.status_code == 401 and "Please sign in" in response.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_read_my_journey_with_a_token(client, personas):
    org = personas.organisation
    group = offer(org, "Riverside Hearing Voices")
    span(personas.member, group, "group", "receiving", at(2020, 3), at(2021, 2), reason="paused", organisation=org)
    span(personas.member, group, "group", "receiving", at(2022, 1), organisation=org)
    span(personas.peer, group, "group", "facilitating", at(2019, 1), organisation=org)  # someone else's
    moment_create(actor=personas.member, happened_on=date(2021, 6, 1), text="moved house")
    with time_machine.travel("2026-02-01 12:00Z", tick=False):
        status_set(actor=personas.member, status="needing_support")
    _, secret = api_token_create(actor=personas.member, name="script")

    body = client.get("/api/journey", headers={"Authorization": f"Bearer {secret}"}).json()
    assert [(e["what"], e["form"], e["role"], e["end_reason"]) for e in body["engagements"]] == [
        ("Riverside Hearing Voices", "group", "receiving", "paused"),
        ("Riverside Hearing Voices", "group", "receiving", ""),
    ]
    assert body["engagements"][0]["organisation"] == "Riverside Peer Support"
    assert body["moments"] == [
        {"public_id": body["moments"][0]["public_id"], "happened_on": "2021-06-01", "text": "moved house"}
    ]
    assert body["status"]["status"] == "needing_support" and body["status"]["since"].startswith("2026-02-01")
    assert body["summary"]["groups"] == 1 and body["summary"]["months_receiving"] == 64


@time_machine.travel(NOW, tick=False)
def test_moments_crud_and_kind_422s(client, personas):
    client.force_login(personas.member)
    made = client.post(
        "/api/journey/moments", {"happened_on": "2024-03-01", "text": "started volunteering"}, content_type=JSON
    )
    assert made.status_code == 201
    public_id = made.json()["public_id"]
    assert client.get(f"/api/journey/moments/{public_id}").json()["text"] == "started volunteering"

    changed = client.patch(f"/api/journey/moments/{public_id}", {"text": "moved house"}, content_type=JSON)
    assert changed.status_code == 200 and changed.json() == {
        "public_id": public_id,
        "happened_on": "2024-03-01",
        "text": "moved house",
    }

    future = client.post("/api/journey/moments", {"happened_on": "2030-01-01", "text": "x"}, content_type=JSON)
    assert future.status_code == 422
    assert future.json()["detail"] == (
        "That date is in the future. Moments are things that have already happened. Nothing has been changed."
    )
    empty = client.patch(f"/api/journey/moments/{public_id}", {"text": "  "}, content_type=JSON)
    assert empty.status_code == 422 and "Please write a few words" in empty.json()["detail"]
    too_long = client.post("/api/journey/moments", {"happened_on": "2024-01-01", "text": "x" * 141}, content_type=JSON)
    assert too_long.status_code == 422 and "140 characters or fewer" in too_long.json()["detail"]
    not_a_date = client.post("/api/journey/moments", {"happened_on": "soon", "text": "x"}, content_type=JSON)
    assert not_a_date.status_code == 422 and "happened_on" in not_a_date.json()["detail"]
    extra = client.post(
        "/api/journey/moments", {"happened_on": "2024-01-01", "text": "x", "person": 1}, content_type=JSON
    )
    assert extra.status_code == 422 and "isn't something that can be set here" in extra.json()["detail"]
    assert Moment.objects.get().text == "moved house"

    assert client.delete(f"/api/journey/moments/{public_id}").status_code == 204
    assert not Moment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_other_peoples_ids_are_404_even_for_staff(client, personas):
    moment = moment_create(actor=personas.member, happened_on=date(2024, 1, 1), text="mine")
    reflection = reflection_create(actor=personas.member, text="private")
    personas.coordinator.is_staff = personas.coordinator.is_superuser = True
    personas.coordinator.save()
    for other in (personas.coordinator, personas.outsider):
        client.force_login(other)
        assert client.get(f"/api/journey/moments/{moment.public_id}").status_code == 404
        assert (
            client.patch(f"/api/journey/moments/{moment.public_id}", {"text": "x"}, content_type=JSON).status_code
            == 404
        )
        assert client.delete(f"/api/journey/moments/{moment.public_id}").status_code == 404
        assert client.get(f"/api/journey/reflections/{reflection.public_id}").status_code == 404
        response = client.patch(f"/api/journey/reflections/{reflection.public_id}", {"text": "x"}, content_type=JSON)
        assert response.status_code == 404
        assert client.delete(f"/api/journey/reflections/{reflection.public_id}").status_code == 404
        assert client.get("/api/journey/reflections").json() == []
        assert client.get("/api/journey").json()["moments"] == []
    assert Moment.objects.get().text == "mine" and Reflection.objects.get().text == "private"
    client.force_login(personas.member)
    assert client.get("/api/journey/moments/not-a-uuid").status_code == 422


def test_status_set_and_bad_status(client, personas):
    client.force_login(personas.member)
    ok = client.put("/api/journey/status", {"status": "able_to_give", "housebound": True}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["label"] == "Able to give support" and ok.json()["housebound"] is True
    kept = client.put("/api/journey/status", {"status": "able_to_give"}, content_type=JSON)
    assert kept.json()["housebound"] is True  # left out: unchanged
    bad = client.put("/api/journey/status", {"status": "superhero"}, content_type=JSON)
    assert bad.status_code == 422 and "please choose one of" in bad.json()["detail"]
    assert StatusChange.objects.filter(person=personas.member).count() == 1
    cleared = client.put("/api/journey/status", {"status": None, "housebound": False}, content_type=JSON)
    assert cleared.json()["status"] == "" and StatusChange.objects.count() == 2
    assert client.get("/api/journey/status").status_code == 405


def test_reflections_crud(client, personas):
    client.force_login(personas.member)
    made = client.post("/api/journey/reflections", {"text": "The Sunday walk helped."}, content_type=JSON)
    assert made.status_code == 201
    public_id = made.json()["public_id"]
    assert [r["text"] for r in client.get("/api/journey/reflections").json()] == ["The Sunday walk helped."]
    changed = client.patch(f"/api/journey/reflections/{public_id}", {"text": "Walking helped."}, content_type=JSON)
    assert changed.json()["text"] == "Walking helped."
    blank = client.patch(f"/api/journey/reflections/{public_id}", {"text": " "}, content_type=JSON)
    assert blank.status_code == 422 and "Please write something first" in blank.json()["detail"]
    huge = client.post("/api/journey/reflections", {"text": "x" * 3001}, content_type=JSON)
    assert huge.status_code == 422 and "3000 characters or fewer" in huge.json()["detail"]
    assert Reflection.objects.get().text == "Walking helped."
    assert client.delete(f"/api/journey/reflections/{public_id}").status_code == 204
    assert not Reflection.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_suggestions_and_dismiss(client, personas):
    listing = offer(personas.organisation, "Night Owls", kind="online_space", delivery="online")
    Space.objects.create(
        slug=listing.slug, name="Night Owls", organisation=personas.organisation, offer=listing, visibility="public"
    )
    status_set(actor=personas.member, status="", housebound=True)
    client.force_login(personas.member)
    items = client.get("/api/journey/suggestions").json()
    assert [(s["title"], s["rule"]) for s in items] == [("Night Owls", "from-home")]
    assert items[0]["reason"].startswith("Because you said you're mostly at home")
    dismissed = client.post("/api/journey/suggestions/dismiss", {"key": items[0]["key"]}, content_type=JSON)
    assert dismissed.status_code == 200 and dismissed.json()["key"] == items[0]["key"]
    assert client.get("/api/journey/suggestions").json() == []
    bad = client.post("/api/journey/suggestions/dismiss", {"key": "nonsense"}, content_type=JSON)
    assert bad.status_code == 422 and "We couldn't tell which suggestion" in bad.json()["detail"]
    assert SuggestionDismissal.objects.count() == 1
