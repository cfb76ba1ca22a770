"""The journey API: same rules as the pages — own record only, 401 without sign-in, 404 for others, 422 kindly."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from ninja import Schema

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


def test_session_writes_need_the_csrf_token_like_the_rest_of_the_api(personas):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.member)
    moment = moment_create(actor=personas.member, happened_on=date(2024, 1, 1), text="mine")
    refused = [
        strict.post("/api/journey/moments", {"happened_on": "2024-02-01", "text": "x"}, content_type=JSON),
        strict.patch(f"/api/journey/moments/{moment.public_id}", {"text": "changed"}, content_type=JSON),
        strict.delete(f"/api/journey/moments/{moment.public_id}"),
        strict.put("/api/journey/status", {"status": "able_to_give"}, content_type=JSON),
        strict.post("/api/journey/reflections", {"text": "x"}, content_type=JSON),
        strict.post("/api/journey/suggestions/dismiss", {"key": "from-home:x"}, content_type=JSON),
    ]
    assert [r.status_code for r in refused] == [403] * 6
    assert all("security token" in r.json()["detail"] for r in refused)
    assert Moment.objects.get().text == "mine"
    assert not StatusChange.objects.exists() and not Reflection.objects.exists()
    assert not SuggestionDismissal.objects.exists()

    assert strict.get("/api/journey").status_code == 200  # reads need no token
    strict.get("/api/docs")  # sets the CSRF cookie
    token = {"X-CSRFToken": strict.cookies["csrftoken"].value}
    made = strict.post(
        "/api/journey/moments", {"happened_on": "2024-02-01", "text": "moved"}, content_type=JSON, headers=token
    )
    assert made.status_code == 201


def test_the_journey_api_is_documented_in_the_openapi_schema(client, personas):
    client.force_login(personas.member)
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]

    def props(ref_holder: dict) -> set[str]:
        ref = ref_holder.get("$ref") or ref_holder["items"]["$ref"]
        return set(components[ref.rsplit("/", 1)[-1]]["properties"])

    def body(path: str, method: str) -> set[str]:
        return props(schema["paths"][path][method]["requestBody"]["content"][JSON]["schema"])

    def answer(path: str, method: str, code: str) -> set[str]:
        return props(schema["paths"][path][method]["responses"][code]["content"][JSON]["schema"])

    expected = {
        "/api/journey": {"get"},
        "/api/journey/moments": {"get", "post"},
        "/api/journey/moments/{public_id}": {"get", "patch", "delete"},
        "/api/journey/status": {"put"},
        "/api/journey/reflections": {"get", "post"},
        "/api/journey/reflections/{public_id}": {"get", "patch", "delete"},
        "/api/journey/suggestions": {"get"},
        "/api/journey/suggestions/dismiss": {"post"},
    }
    for path, methods in expected.items():
        assert set(schema["paths"][path]) == methods, path
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation["summary"] and operation["security"], (path, method)
            assert "401" in operation["responses"], (path, method)
        for method in methods & {"patch", "delete"}:
            assert "404" in schema["paths"][path][method]["responses"], (path, method)
    # Each endpoint documents the journey's own bodies, not another app's schema that happens to share a name.
    assert answer("/api/journey", "get", "200") == {"engagements", "moments", "status", "status_history", "summary"}
    assert body("/api/journey/status", "put") == {"status", "housebound"}
    assert answer("/api/journey/status", "put", "200") >= {"status", "label", "since", "housebound"}
    assert answer("/api/journey/suggestions", "get", "200") >= {"key", "rule", "title", "reason", "url"}
    assert body("/api/journey/suggestions/dismiss", "post") == {"key"}
    assert body("/api/journey/moments", "post") == {"happened_on", "text"}
    assert answer("/api/journey/reflections", "get", "200") >= {"public_id", "text", "created_at"}


def test_journey_schema_names_are_not_shared_with_other_apps():
    # OpenAPI components are keyed by class name: two apps' StatusIn would document one under the other's endpoint.
    import kindred.api  # noqa: F401 - loads every app's routers and schemas

    def every(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in every(child))]

    classes = [c for c in every(Schema) if c.__module__.startswith("kindred.")]
    mine = {c.__name__ for c in classes if c.__module__ == "kindred.journey.api"}
    others = {c.__name__ for c in classes if c.__module__ != "kindred.journey.api"}
    assert {"JourneyStatusIn", "JourneySuggestionOut"} <= mine
    assert not mine & others


def test_status_left_out_is_kept_and_empty_means_rather_not_say(client, personas):
    client.force_login(personas.member)
    client.put("/api/journey/status", {"status": "able_to_give"}, content_type=JSON)
    only_housebound = client.put("/api/journey/status", {"housebound": True}, content_type=JSON)
    assert only_housebound.status_code == 200
    assert only_housebound.json()["status"] == "able_to_give" and only_housebound.json()["housebound"] is True
    cleared = client.put("/api/journey/status", {"status": ""}, content_type=JSON)
    assert cleared.status_code == 200 and cleared.json()["status"] == "" and cleared.json()["housebound"] is True
    assert [(c.status, c.housebound) for c in StatusChange.objects.order_by("changed_at", "id")] == [
        ("able_to_give", False),
        ("able_to_give", True),
        ("", True),
    ]
