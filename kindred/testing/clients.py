"""Test clients: a signed-in browser for a person, and the JSON API as a person (session or bearer token)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from kindred.accounts.models import User
from kindred.accounts.services import api_token_create


def client_for(user: User | None) -> Client:
    """A browser signed in as `user` (or signed out, for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user: User) -> Client:
    """A client that calls the API with a fresh personal token for `user`, as a script would."""
    _, raw = api_token_create(actor=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def call(client: Client, method: str, path: str, body: Any = None) -> Any:
    """Call the API with a JSON body (if any); the response as Django's test client gives it."""
    send = getattr(client, method.lower())
    if body is None:
        return send(path)
    return send(path, data=json.dumps(body), content_type="application/json")
