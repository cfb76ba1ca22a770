"""The one-to-one API: the same rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kindred.accounts.services import api_token_create
from kindred.onetoone import services
from kindred.onetoone.models import Connection, Match, MatchStatus, Message, Scheme

from .core_helpers import make_scheme, make_supporter

pytestmark = pytest.mark.django_db
API = "/api/one-to-one"


def api(user):
    _, raw = api_token_create(actor=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_needs_a_signed_in_person():
    assert Client().get(f"{API}/connections").status_code == 401


def test_connection_and_messages_over_the_api(personas):
    member, peer = api(personas.member), api(personas.peer)
    response = member.post(
        f"{API}/connections",
        {"person": str(personas.peer.public_id), "role": "receiving"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    cid = response.json()["public_id"]
    duplicate = member.post(
        f"{API}/connections", {"person": str(personas.peer.public_id)}, content_type="application/json"
    )
    assert duplicate.status_code == 409
    me = member.post(f"{API}/connections", {"person": str(personas.member.public_id)}, content_type="application/json")
    assert me.status_code == 400
    outsider = member.post(
        f"{API}/connections", {"person": str(personas.outsider.public_id)}, content_type="application/json"
    )
    assert outsider.status_code == 404
    # The requester can't accept their own request.
    assert (
        member.post(f"{API}/connections/{cid}/reply", {"accept": True}, content_type="application/json").status_code
        == 403
    )
    reply = peer.post(
        f"{API}/connections/{cid}/reply", {"accept": True, "role": "giving"}, content_type="application/json"
    )
    assert reply.status_code == 200 and reply.json()["status"] == "accepted"
    convo = reply.json()["conversation_id"]
    sent = member.post(f"{API}/conversations/{convo}/messages", {"body": "Hello"}, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["screening"] in ("none", "concern", "urgent")
    assert [c["unread"] for c in peer.get(f"{API}/conversations").json()] == [1]
    messages = peer.get(f"{API}/conversations/{convo}/messages").json()
    assert [m["body"] for m in messages] == ["Hello"] and messages[0]["mine"] is False
    assert [c["unread"] for c in peer.get(f"{API}/conversations").json()] == [0]
    empty = member.post(f"{API}/conversations/{convo}/messages", {"body": ""}, content_type="application/json")
    assert empty.status_code == 422
    for user in (personas.coordinator, personas.outside_coordinator):
        client = api(user)
        assert client.get(f"{API}/conversations/{convo}/messages").status_code == 404
        assert (
            client.post(
                f"{API}/conversations/{convo}/messages", {"body": "x"}, content_type="application/json"
            ).status_code
            == 404
        )
        assert client.get(f"{API}/connections/{cid}").status_code == 404
    assert Message.objects.count() == 1
    # Block: the blocked person can no longer write.
    assert (
        member.post(
            "/api/blocks", {"person": str(personas.peer.public_id)}, content_type="application/json"
        ).status_code
        == 204
    )
    blocked = peer.post(f"{API}/conversations/{convo}/messages", {"body": "x"}, content_type="application/json")
    assert blocked.status_code == 403 and blocked.json()["code"] == "closed"
    assert Connection.objects.get().status == "ended"


def test_decline_reads_gently_over_the_api(personas):
    member, peer = api(personas.member), api(personas.peer)
    cid = member.post(
        f"{API}/connections", {"person": str(personas.peer.public_id)}, content_type="application/json"
    ).json()["public_id"]
    peer.post(f"{API}/connections/{cid}/reply", {"accept": False}, content_type="application/json")
    assert member.get(f"{API}/connections/{cid}").json()["status"] == "not_taken_up"


def test_schemes_requests_suggestions_and_matches_over_the_api(personas):
    coordinator = api(personas.coordinator)
    created = coordinator.post(
        f"{API}/schemes",
        {
            "organisation": "riverside",
            "title": "Walk and talk",
            "summary": "Befriending on foot.",
            "matching_mode": "batch",
            "channels": ["in_person", "messages"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["session_limit"] is None and body["eligibility"] == ""
    sid = body["public_id"]
    assert (
        api(personas.member)
        .post(
            f"{API}/schemes",
            {"organisation": "riverside", "title": "x", "summary": "y"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert (
        api(personas.outside_coordinator)
        .patch(f"{API}/schemes/{sid}", {"default_capacity": 3}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        coordinator.patch(f"{API}/schemes/{sid}", {"session_limit": 10}, content_type="application/json").json()[
            "session_limit"
        ]
        == 10
    )

    peer = api(personas.peer)
    profile = peer.put(
        f"{API}/schemes/{sid}/supporter-profile",
        {"experience_tags": "grief", "interest_tags": "walking", "availability": ["sat-morning"], "capacity": 1},
        content_type="application/json",
    )
    assert profile.status_code == 200, profile.content
    bad = peer.put(
        f"{API}/schemes/{sid}/supporter-profile", {"availability": ["someday"]}, content_type="application/json"
    )
    assert bad.status_code == 400

    member = api(personas.member)
    req = member.post(
        f"{API}/schemes/{sid}/requests",
        {
            "experience_tags": "grief",
            "interest_tags": "walking",
            "availability": ["sat-morning"],
            "preferences": {"gender": {"value": "woman", "strength": "prefer"}},
        },
        content_type="application/json",
    )
    assert req.status_code == 201, req.content
    rid = req.json()["public_id"]
    assert member.post(f"{API}/schemes/{sid}/requests", {}, content_type="application/json").status_code == 409
    suggestions = coordinator.get(f"{API}/requests/{rid}/suggestions").json()
    assert suggestions[0]["display_name"] == "Peer"
    assert "you both mentioned grief and walking" in suggestions[0]["reasons"][0]
    assert member.get(f"{API}/requests/{rid}/suggestions").status_code == 403  # coordinator-led scheme
    assert api(personas.outside_coordinator).get(f"{API}/requests/{rid}/suggestions").status_code == 404

    run = coordinator.post(f"{API}/schemes/{sid}/matching-runs")
    assert run.status_code == 201 and len(run.json()) == 1
    mid = run.json()[0]["public_id"]
    assert member.get(f"{API}/matches/{mid}").status_code == 404  # not sent yet
    assert (
        coordinator.post(
            f"{API}/matches/{mid}/actions", {"action": "approve"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        member.post(f"{API}/matches/{mid}/actions", {"action": "accept"}, content_type="application/json").json()[
            "conversation_id"
        ]
        is None
    )
    done = peer.post(f"{API}/matches/{mid}/actions", {"action": "accept"}, content_type="application/json").json()
    assert done["status"] == "active" and done["conversation_id"]
    assert coordinator.get(f"{API}/matches/{mid}").json()["conversation_id"] is None
    ended = member.post(
        f"{API}/matches/{mid}/actions", {"action": "end", "reason": "moved_on"}, content_type="application/json"
    )
    assert ended.json()["status"] == "ended"
    again = member.post(f"{API}/matches/{mid}/actions", {"action": "again"}, content_type="application/json")
    assert again.status_code == 201
    status = peer.post(
        f"{API}/supporter-profiles/{profile.json()['public_id']}/status",
        {"status": "stepping_back"},
        content_type="application/json",
    )
    assert status.json()["status"] == "stepping_back"
    assert (
        api(personas.coordinator)
        .post(
            f"{API}/supporter-profiles/{profile.json()['public_id']}/status",
            {"status": "available"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_person_chooses_over_the_api_and_cap_needs_reason(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="chooses")
    profile = make_supporter(personas.peer, scheme)
    request = services.match_request_create(actor=personas.member, scheme=scheme)
    member = api(personas.member)
    suggestions = member.get(f"{API}/requests/{request.public_id}/suggestions").json()
    assert suggestions[0]["supporter"] == str(profile.public_id)
    chosen = member.post(
        f"{API}/requests/{request.public_id}/proposals",
        {"supporter": str(profile.public_id)},
        content_type="application/json",
    )
    assert chosen.status_code == 201 and chosen.json()["status"] == MatchStatus.ACCEPTED_BY_SEEKER

    psw = make_scheme(personas.coordinator, personas.organisation, kind="psw", title="PSW", caseload_cap=1)
    psw_profile = make_supporter(personas.psw, psw, capacity=4)
    first = services.match_request_create(actor=personas.member, scheme=psw)
    services.match_propose(actor=personas.coordinator, request=first, profile=psw_profile)
    second = services.match_request_create(actor=personas.facilitator, scheme=psw)
    coordinator = api(personas.coordinator)
    url = f"{API}/requests/{second.public_id}/proposals"
    refused = coordinator.post(url, {"supporter": str(psw_profile.public_id)}, content_type="application/json")
    assert refused.status_code == 400 and "caseload cap" in refused.json()["detail"]
    ok = coordinator.post(
        url,
        {"supporter": str(psw_profile.public_id), "cap_override_reason": "Same family"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Match.objects.filter(scheme=psw).count() == 2
    assert Scheme.objects.count() == 2
