"""Personal API tokens: made in the browser, shown once, stored as a digest, revoked at once."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from kindred.accounts import services
from kindred.accounts.models import ApiToken
from kindred.core.hashing import keyed_digest
from kindred.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:tokens")


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:token_revoke", args=[token.public_id])


def shown_token(response) -> str:
    found = re.findall(r'<code class="token"[^>]*>([^<]+)</code>', response.content.decode())
    assert len(found) == 1, "expected exactly one token on the page"
    return html.unescape(found[0]).strip()


# --- The pages -----------------------------------------------------------------------------------


def test_token_pages_need_you_to_log_in(client, personas):
    token, _raw = services.api_token_create(actor=personas.member, name="Mine")

    page = client.get(TOKENS)
    revoke = client.post(revoke_url(token))

    assert page.status_code == revoke.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_making_a_token_shows_it_once_and_it_works_with_the_api(client, personas):
    client.force_login(personas.member)

    response = client.post(TOKENS, {"name": "Journal export"})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Copy it now, it won't be shown again" in page
    assert "no-store" in response["Cache-Control"]
    raw = shown_token(response)
    token = ApiToken.objects.get(user=personas.member)
    assert token.name == "Journal export"
    assert token.digest == keyed_digest(raw, purpose="api-token")
    assert AuditEvent.objects.filter(action="api_token.created", actor=personas.member).exists()

    # Shown once: the list page afterwards has the name but never the token.
    again = client.get(TOKENS)
    assert "Journal export" in again.content.decode()
    assert raw not in again.content.decode()
    assert 'class="token"' not in again.content.decode()

    client.logout()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).json()["display_name"] == "Member"


def test_the_list_shows_name_dates_and_status_of_only_my_tokens(client, personas):
    mine, _ = services.api_token_create(actor=personas.member, name="Phone app")
    old, _ = services.api_token_create(actor=personas.member, name="Old laptop")
    services.api_token_revoke(actor=personas.member, token=old)
    services.api_token_create(actor=personas.peer, name="Someone else's script")
    client.force_login(personas.member)

    page = html.unescape(client.get(TOKENS).content.decode())

    assert "Phone app" in page and "Old laptop" in page
    assert "Someone else's script" not in page
    assert "Never" in page  # last used
    assert "Revoked" in page
    assert revoke_url(mine) in page
    assert revoke_url(old) not in page  # nothing to revoke twice


@pytest.mark.parametrize(("name", "phrase"), [("", "Please give the token a name"), ("x" * 81, "80 characters")])
def test_a_bad_name_is_explained_and_nothing_is_made(client, personas, name, phrase):
    client.force_login(personas.member)

    response = client.post(TOKENS, {"name": name})

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There's a problem" in page
    assert phrase in page
    assert 'aria-invalid="true"' in page
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(client, personas):
    token, raw = services.api_token_create(actor=personas.member, name="Script")
    client.force_login(personas.member)

    response = client.post(revoke_url(token), follow=True)

    assert "has been revoked" in html.unescape(response.content.decode())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", subject_id=str(token.public_id)).count() == 1
    client.logout()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_revoke_is_post_only(client, personas):
    token, _ = services.api_token_create(actor=personas.member, name="Script")
    client.force_login(personas.member)

    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_no_one_can_revoke_someone_elses_token(client, personas):
    token, _ = services.api_token_create(actor=personas.member, name="Script")
    client.force_login(personas.coordinator)

    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@override_settings(RATE_LIMITS={"api_token": (2, 3600)})
def test_making_many_tokens_quickly_is_paused_kindly(client, personas):
    client.force_login(personas.member)
    for n in range(2):
        assert client.post(TOKENS, {"name": f"Script {n}"}).status_code == 200

    response = client.post(TOKENS, {"name": "One more"})

    assert response.status_code == 429
    assert "Please wait about 60 minutes" in html.unescape(response.content.decode())
    assert ApiToken.objects.count() == 2


# --- The API -----------------------------------------------------------------------------------------


def test_api_lists_my_tokens_without_secrets(client, personas):
    _token, raw = services.api_token_create(actor=personas.member, name="Script")
    services.api_token_create(actor=personas.peer, name="Not mine")

    response = client.get("/api/me/tokens", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "Script"
    assert row["active"] is True
    assert row["last_used_at"] is not None  # this very request
    assert "token" not in row and "digest" not in row
    assert raw not in response.content.decode()


def test_api_makes_a_token_for_a_browser_session_and_returns_it_once(client, personas):
    client.force_login(personas.member)

    response = client.post("/api/me/tokens", data={"name": "  Garden   diary  "}, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Garden diary"
    token = ApiToken.objects.get(public_id=body["public_id"])
    assert token.digest == keyed_digest(body["token"], purpose="api-token")
    listed = client.get("/api/me/tokens").content.decode()
    assert body["token"] not in listed


def test_a_token_cannot_mint_more_tokens(client, personas):
    _token, raw = services.api_token_create(actor=personas.member, name="Script")

    response = client.post(
        "/api/me/tokens",
        data={"name": "Another"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "phrase"),
    [
        ({"name": "   "}, 400, "Please give the token a name"),
        ({"name": "x" * 81}, 422, "80 characters"),
        ({}, 422, "name"),
    ],
)
def test_api_refuses_bad_token_names(client, personas, body, status, phrase):
    client.force_login(personas.member)

    response = client.post("/api/me/tokens", data=body, content_type="application/json")

    assert response.status_code == status
    assert phrase in response.json()["detail"]
    assert not ApiToken.objects.exists()


@override_settings(RATE_LIMITS={"api_token": (1, 600)})
def test_api_token_creation_is_rate_limited(client, personas):
    client.force_login(personas.member)
    assert client.post("/api/me/tokens", data={"name": "One"}, content_type="application/json").status_code == 201

    response = client.post("/api/me/tokens", data={"name": "Two"}, content_type="application/json")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Please wait about 10 minutes" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_there_is_a_kind_limit_on_active_tokens(personas):
    for n in range(services.MAX_ACTIVE_API_TOKENS):
        services.api_token_create(actor=personas.member, name=f"Script {n}")

    with pytest.raises(services.AccountError, match="revoke one you no longer need"):
        services.api_token_create(actor=personas.member, name="One too many")

    services.api_token_revoke(actor=personas.member, token=ApiToken.objects.first())
    services.api_token_create(actor=personas.member, name="Now there is room")


def test_api_revokes_my_token_and_it_stops_working(client, personas):
    token, raw = services.api_token_create(actor=personas.member, name="Leaked")
    auth = {"Authorization": f"Bearer {raw}"}

    response = client.delete(f"/api/me/tokens/{token.public_id}", headers=auth)

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/me", headers=auth).status_code == 401


def test_api_cannot_revoke_someone_elses_token(client, personas):
    theirs, _ = services.api_token_create(actor=personas.peer, name="Peer's")
    client.force_login(personas.member)

    other = client.delete(f"/api/me/tokens/{theirs.public_id}")
    missing = client.delete(f"/api/me/tokens/{uuid.uuid4()}")

    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
