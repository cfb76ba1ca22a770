"""Staying in touch, funds and closing well over the JSON API: the same rules as the pages (members only; roles
for funds, sending, closing)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from kindred.accounts.services import api_token_create
from kindred.groups.models import AbsenceCheckIn, BoardPost, LedgerEntry, NewsletterIssue
from kindred.notifications.models import Notification

from .more_helpers import make_group

pytestmark = pytest.mark.django_db


def api(user, method: str, path: str, body: object | None = None, **params: str):
    _token, secret = api_token_create(actor=user, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    call = getattr(client, method)
    if body is None:
        return call(f"/api/groups{path}", params) if method == "get" else call(f"/api/groups{path}")
    return call(f"/api/groups{path}", json.dumps(body), content_type="application/json")


def test_the_noticeboard_and_newsletter_read_and_write_like_the_pages(
    personas, django_capture_on_commit_callbacks
) -> None:
    group = make_group(personas)
    created = api(personas.member, "post", f"/{group.slug}/noticeboard", {"body": "Walk on Sunday?"})
    assert created.status_code == 201
    assert created.json()["mine"] is True
    listed = api(personas.peer, "get", f"/{group.slug}/noticeboard")
    assert listed.status_code == 200
    assert [p["body"] for p in listed.json()] == ["Walk on Sunday?"]
    assert api(personas.outsider, "get", f"/{group.slug}/noticeboard").status_code == 404
    assert api(personas.outsider, "post", f"/{group.slug}/noticeboard", {"body": "hi"}).status_code == 404
    assert api(personas.member, "post", f"/{group.slug}/noticeboard", {"body": ""}).status_code == 422
    assert BoardPost.objects.count() == 1

    assert (
        api(personas.member, "post", f"/{group.slug}/newsletter/items", {"title": "Hi", "body": "News"}).status_code
        == 201
    )
    assert (
        api(personas.member, "put", f"/{group.slug}/newsletter/subscription", {"subscribed": False}).json()[
            "subscribed"
        ]
        is False
    )
    assert api(personas.member, "post", f"/{group.slug}/newsletter/send").status_code == 403
    NewsletterIssue.objects.create(group=group, title="June", introduction="Hello.")
    with django_capture_on_commit_callbacks(execute=True):
        sent = api(personas.facilitator, "post", f"/{group.slug}/newsletter/send")
    assert sent.status_code == 200
    assert sent.json()["recipients"] == 2  # the facilitator and the peer; the member said no
    assert personas.member.email not in [m.to[0] for m in mail.outbox]
    archive = api(personas.member, "get", f"/{group.slug}/newsletter").json()
    assert archive["subscribed"] is False
    issue_id = archive["issues"][0]["public_id"]
    assert api(personas.member, "get", f"/{group.slug}/newsletter/issues/{issue_id}").json()["introduction"] == "Hello."
    assert api(personas.outsider, "get", f"/{group.slug}/newsletter/issues/{issue_id}").status_code == 404


def test_the_absence_check_in_over_the_api(personas) -> None:
    group = make_group(personas)
    path = f"/{group.slug}/keep-in-touch"
    assert api(personas.member, "get", path).json() == {"trusted": None, "trusted_name": "", "after_missed": None}
    response = api(personas.member, "put", path, {"trusted": str(personas.peer.public_id), "after_missed": 3})
    assert response.status_code == 200
    assert response.json()["trusted_name"] == "Peer"
    assert (
        api(personas.member, "put", path, {"trusted": str(personas.peer.public_id), "after_missed": 0}).status_code
        == 422
    )
    yourself = api(personas.member, "put", path, {"trusted": str(personas.member.public_id), "after_missed": 2})
    assert yourself.status_code == 400
    assert AbsenceCheckIn.objects.get().after_missed == 3
    assert Notification.objects.filter(user=personas.peer, kind="group.absence_trusted").exists()
    assert not Notification.objects.filter(user=personas.member).exists()
    assert (
        api(personas.outsider, "put", path, {"trusted": str(personas.peer.public_id), "after_missed": 2}).status_code
        == 404
    )
    assert api(personas.member, "delete", path).status_code == 204
    assert not AbsenceCheckIn.objects.exists()


def test_the_ledger_and_report_over_the_api(personas) -> None:
    group = make_group(personas)
    path = f"/{group.slug}/funds"
    ok = api(
        personas.facilitator,
        "post",
        path,
        {"direction": "income", "category": "grant", "amount_pence": 25000, "on": "2026-01-05"},
    )
    assert ok.status_code == 201
    assert ok.json()["balance_pence"] == 25000
    spent = api(
        personas.facilitator,
        "post",
        path,
        {"direction": "spending", "category": "room_hire", "amount_pence": 3000, "on": "2026-01-06"},
    )
    assert spent.json()["balance_pence"] == 22000
    for bad in (
        {"direction": "spending", "category": "room_hire", "amount_pence": -3000, "on": "2026-01-06"},
        {"direction": "spending", "category": "room_hire", "amount_pence": 0, "on": "2026-01-06"},
        {"direction": "sideways", "category": "room_hire", "amount_pence": 100, "on": "2026-01-06"},
        {"direction": "spending", "category": "yachts", "amount_pence": 100, "on": "2026-01-06"},
    ):
        assert api(personas.facilitator, "post", path, bad).status_code == 422
    assert LedgerEntry.objects.count() == 2
    ledger = api(personas.facilitator, "get", path).json()
    assert ledger["balance_pence"] == 22000
    assert [e["balance_pence"] for e in ledger["entries"]] == [25000, 22000]
    assert api(personas.member, "get", path).status_code == 403
    assert api(personas.outside_coordinator, "get", path).status_code == 404
    assert (
        api(
            personas.member,
            "post",
            path,
            {"direction": "income", "category": "grant", "amount_pence": 1, "on": "2026-01-05"},
        ).status_code
        == 403
    )

    report = api(personas.facilitator, "get", f"{path}/report", start="2026-01-01", end="2026-01-31")
    assert report.status_code == 200
    assert report.json()["income_pence"] == 25000 and report.json()["closing_balance_pence"] == 22000
    assert api(personas.facilitator, "get", f"{path}/report", start="2026-02-01", end="2026-01-01").status_code == 400

    entry_id = ledger["entries"][1]["public_id"]
    assert api(personas.member, "delete", f"{path}/{entry_id}").status_code == 403
    assert api(personas.facilitator, "delete", f"{path}/{entry_id}").status_code == 204
    assert LedgerEntry.objects.count() == 1


def test_closing_over_the_api(personas, django_capture_on_commit_callbacks) -> None:
    group = make_group(personas)
    assert api(personas.member, "post", f"/{group.slug}/close", {}).status_code == 403
    assert api(personas.outsider, "post", f"/{group.slug}/close", {}).status_code == 404
    assert api(personas.facilitator, "get", f"/{group.slug}/close").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        closed = api(personas.facilitator, "post", f"/{group.slug}/close", {"message": "Thank you."})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["archive_open"] is True
    assert api(personas.member, "get", f"/{group.slug}/closure").json()["message"] == "Thank you."
    assert Notification.objects.filter(kind="group.closing", user=personas.member).exists()
    assert api(personas.facilitator, "post", f"/{group.slug}/close", {}).status_code == 400
