"""Who may use the API: bearer tokens and browser sessions, and everyone else gets a kind 401."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kindred.accounts import services
from kindred.accounts.models import ApiToken
from kindred.core.hashing import keyed_digest
from kindred.organisations.models import Invitation

pytestmark = pytest.mark.django_db

SOME_UUID = "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f"  # fixed, so parallel workers collect the same ids

# Every endpoint, with a body that would be valid, so only authentication decides the answer.
ENDPOINTS = [
    ("get", "/api/me", None),
    ("patch", "/api/me", {"display_name": "Kestrel"}),
    ("get", "/api/me/profile", None),
    ("patch", "/api/me/profile", {"faith": "Quaker"}),
    ("get", "/api/me/consents", None),
    ("post", "/api/me/consents", {"kind": "research_contact", "granted": True}),
    ("get", f"/api/people/{SOME_UUID}", None),
    ("get", "/api/organisations", None),
    ("get", "/api/organisations/riverside", None),
    ("get", "/api/organisations/riverside/people", None),
    ("post", "/api/organisations/riverside/invitations", {"email": "new@example.org", "role": "member"}),
    ("get", "/api/me/tokens", None),
    ("post", "/api/me/tokens", {"name": "Script"}),
    ("delete", f"/api/me/tokens/{SOME_UUID}", None),
]


def call(client: Client, method: str, path: str, body: dict | None = None, **headers: str):
    kwargs: dict = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def token_for(user, name: str = "Test script") -> str:
    _token, raw = services.api_token_create(actor=user, name=name)
    return raw


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_refuses_without_auth_kindly(client, personas, method, path, body):
    response = call(client, method, path, body)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Please sign in, or send a personal API token as 'Authorization: Bearer <token>'.",
        "code": "unauthorised",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Invitation.objects.exists()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_refuses_a_forged_token(client, personas, method, path, body):
    token_for(personas.coordinator)  # a real token exists; the forged one must not match it

    response = call(client, method, path, body, **bearer("x" * 43))

    assert response.status_code == 401
    assert "Please sign in" in response.json()["detail"]
    assert not Invitation.objects.exists()


def test_a_bearer_token_works_and_records_when_it_was_last_used(client, personas):
    raw = token_for(personas.member)
    assert ApiToken.objects.get().last_used_at is None

    response = client.get("/api/me", headers=bearer(raw))

    assert response.status_code == 200
    assert response.json()["email"] == "member@example.org"
    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_keyed_digest_of_a_token_is_stored(personas):
    token, raw = services.api_token_create(actor=personas.member, name="Export")

    token.refresh_from_db()
    assert token.digest == keyed_digest(raw, purpose="api-token")
    assert token.digest != raw
    stored = " ".join(str(v) for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get())
    assert raw not in stored


def test_a_revoked_token_stops_working_at_once(client, personas):
    raw = token_for(personas.member)
    assert client.get("/api/me", headers=bearer(raw)).status_code == 200

    services.api_token_revoke(actor=personas.member, token=ApiToken.objects.get())

    assert client.get("/api/me", headers=bearer(raw)).status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(client, personas):
    raw = token_for(personas.member)
    personas.member.is_active = False
    personas.member.save()

    assert client.get("/api/me", headers=bearer(raw)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Token abc", "Bearer " + "a" * 500])
def test_malformed_authorization_headers_get_401(client, personas, header):
    token_for(personas.member)
    response = client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_bearer_token_writes_need_no_csrf(personas):
    raw = token_for(personas.member)
    strict = Client(enforce_csrf_checks=True)

    response = call(strict, "patch", "/api/me", {"display_name": "Kestrel"}, **bearer(raw))

    assert response.status_code == 200
    personas.member.refresh_from_db()
    assert personas.member.display_name == "Kestrel"


def test_session_reads_work_without_csrf(personas):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.member)

    response = strict.get("/api/me")

    assert response.status_code == 200
    assert response.json()["display_name"] == "Member"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/me", {"display_name": "Kestrel"}),
        ("patch", "/api/me/profile", {"faith": "Quaker"}),
        ("post", "/api/me/consents", {"kind": "research_contact", "granted": True}),
        ("post", "/api/me/tokens", {"name": "Script"}),
    ],
)
def test_session_writes_without_csrf_are_refused_and_change_nothing(personas, method, path, body):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.member)

    response = call(strict, method, path, body)

    assert response.status_code == 403
    assert "security token" in response.json()["detail"]
    personas.member.refresh_from_db()
    assert personas.member.display_name == "Member"
    assert personas.member.profile.faith == ""
    assert not ApiToken.objects.exists()
    assert not personas.member.consents.filter(kind="research_contact").exists()


def test_session_writes_with_the_csrf_token_work(personas):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.member)
    strict.get("/api/docs")  # any page with a form sets the CSRF cookie
    csrf = strict.cookies["csrftoken"].value

    response = call(strict, "patch", "/api/me", {"display_name": "Kestrel"}, **{"X-CSRFToken": csrf})

    assert response.status_code == 200
    assert response.json()["display_name"] == "Kestrel"


def test_a_logged_out_session_cookie_gets_401_not_a_csrf_error(client, personas):
    client.force_login(personas.member)
    client.logout()
    client.cookies["sessionid"] = "not-a-real-session"

    response = call(client, "get", "/api/me")

    assert response.status_code == 401


# --- The schema and the docs page -------------------------------------------------------------------


def test_openapi_schema_lists_every_endpoint_and_both_ways_to_sign_in(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    listed = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    for method, path, _body in ENDPOINTS:
        templated = path.replace(SOME_UUID, "{public_id}").replace("/riverside", "/{slug}")
        assert (method, templated) in listed, (method, templated)
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionCookieAuth"}
    # Creating a token needs the browser session: a leaked token can't mint more.
    assert schema["paths"]["/api/me/tokens"]["post"]["security"] == [{"SessionCookieAuth": []}]


def test_docs_page_is_served_from_our_own_static_files(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert references, "expected the page to load its scripts and styles"
    for ref in references:
        assert ref.startswith("/static/"), ref
    assert not re.search(r"https?://", page.replace("http://www.w3.org", ""))
    # Swagger UI would otherwise fetch a badge from validator.swagger.io.
    assert '"validatorUrl": null' in page
    # No inline script runs: the only <script> body is a JSON data block.
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        assert body.strip() == "" or 'type="application/json"' in attrs


def test_docs_page_keeps_the_strict_content_security_policy(client):
    response = client.get("/api/docs")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
