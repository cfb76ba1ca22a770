"""Sessions, notes, ending, check-ins and supervision over the API: the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kindred.care.models import SupporterCheckIn
from kindred.core.models import AuditEvent
from kindred.onetoone.models import (
    BoundaryDilemma,
    DisclosureLog,
    Ending,
    MatchStatus,
    Session,
    SessionNote,
    SupervisionRecord,
)
from kindred.onetoone.tests.practice_fixtures import login, make_world

pytestmark = pytest.mark.django_db

API = "/api/one-to-one"
NOTE = "They mentioned the anniversary coming up"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def iso(dt):
    return dt.isoformat()


def logged(client, world, **overrides):
    data = {
        "starts_at": iso(timezone.now() - timedelta(days=1)),
        "duration_minutes": 50,
        "channel": "video",
        **overrides,
    }
    return post(client, f"{API}/relationships/{world.match.public_id}/sessions", data)


def test_sessions_and_notes_over_the_api(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    response = logged(client, world)
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    assert response.json()["status"] == "held" and response.json()["relationship"] == str(world.match.public_id)

    listing = client.get(f"{API}/relationships/{world.match.public_id}/sessions").json()
    assert listing["contact_minutes"] == 50 and len(listing["sessions"]) == 1

    response = post(client, f"{API}/sessions/{session_id}/notes", {"body": NOTE})
    assert response.status_code == 201 and response.json()["author_is_me"] is True
    notes = client.get(f"{API}/sessions/{session_id}/notes").json()
    assert [n["body"] for n in notes] == [NOTE]
    assert AuditEvent.objects.filter(action="onetoone.note_read", actor=personas.psw).count() == 1

    assert (
        post(
            client, f"{API}/sessions/{session_id}/disclosures", {"layer": "distress", "what_i_shared": "Voices too"}
        ).status_code
        == 201
    )
    assert DisclosureLog.objects.count() == 1

    # The other person sees the session but not the note; the coordinator the same and cannot write.
    login(client, personas.member)
    assert client.get(f"{API}/sessions/{session_id}").status_code == 200
    assert client.get(f"{API}/sessions/{session_id}/notes").json() == []
    assert (
        post(
            client, f"{API}/sessions/{session_id}/disclosures", {"layer": "distress", "what_i_shared": "x"}
        ).status_code
        == 403
    )
    login(client, personas.coordinator)
    assert client.get(f"{API}/relationships/{world.match.public_id}/sessions").json()["contact_minutes"] == 50
    assert client.get(f"{API}/sessions/{session_id}/notes").json() == []
    assert post(client, f"{API}/sessions/{session_id}/notes", {"body": "x"}).status_code == 403
    assert logged(client, world).status_code == 403
    assert SessionNote.objects.count() == 1 and Session.objects.count() == 1


def test_outsiders_get_404_from_every_endpoint(client, personas):
    world = make_world(personas)
    session = Session.objects.create(
        match=world.match,
        starts_at=timezone.now() - timedelta(hours=3),
        duration_minutes=30,
        channel="phone",
        status="held",
    )
    SessionNote.objects.create(session=session, author=personas.psw, body=NOTE)
    person = personas.psw.public_id
    for outsider in (personas.outsider, personas.outside_coordinator, personas.peer):
        login(client, outsider)
        for url in (
            f"{API}/relationships/{world.match.public_id}/sessions",
            f"{API}/sessions/{session.public_id}",
            f"{API}/sessions/{session.public_id}/notes",
            f"{API}/supervision/riverside/{person}",
        ):
            response = client.get(url)
            assert response.status_code == 404, (outsider, url)
            assert NOTE not in response.content.decode()
        assert logged(client, world).status_code == 404
        assert post(client, f"{API}/sessions/{session.public_id}/notes", {"body": "x"}).status_code == 404
        assert post(client, f"{API}/relationships/{world.match.public_id}/ending", {}).status_code == 404
        assert (
            post(client, f"{API}/supervision/riverside/{person}/records", {"held_on": "2026-01-01"}).status_code == 404
        )
    assert SessionNote.objects.count() == 1 and Session.objects.count() == 1
    client.logout()
    assert client.get(f"{API}/sessions/{session.public_id}").status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"starts_at_days": 500, "status": "scheduled"}, 400, "more than a year away"),
        ({"duration_minutes": -5}, 422, "duration_minutes"),
        ({"duration_minutes": 0}, 422, "duration_minutes"),
        ({"starts_at_days": 3}, 400, "still in the future"),
        ({"channel": "fax"}, 422, "channel"),
        ({"surprise": 1}, 422, "surprise"),
    ],
)
def test_bad_sessions_over_the_api_are_refused_kindly(client, personas, payload, status, fragment):
    world = make_world(personas)
    login(client, personas.psw)
    days = payload.pop("starts_at_days", None)
    if days is not None:
        payload["starts_at"] = iso(timezone.now() + timedelta(days=days))
    response = logged(client, world, **payload)
    assert response.status_code == status
    assert fragment in response.content.decode()
    assert "detail" in response.json()
    assert not Session.objects.exists()


def test_ending_checkins_dilemmas_and_supervision_over_the_api(client, personas):
    world = make_world(personas, supervisor_reads_notes=True)
    login(client, personas.psw)
    session_id = logged(client, world).json()["id"]
    post(client, f"{API}/sessions/{session_id}/notes", {"body": NOTE})
    response = post(
        client,
        "/api/care/check-ins",
        {"feeling": 2, "session": session_id, "would_like_to_talk": True, "share_with_supervisor": True},
    )
    assert response.status_code == 201
    assert post(client, "/api/care/check-ins", {"feeling": 9}).status_code == 422
    assert [c["feeling"] for c in client.get("/api/care/check-ins").json()] == [2]
    assert personas.supervisor.notifications.filter(kind="care.checkin").exists()
    today = timezone.localdate().isoformat()
    response = post(
        client,
        f"{API}/practice/dilemmas",
        {"organisation": "riverside", "occurred_on": today, "what_happened": "A gift"},
    )
    assert response.status_code == 201 and BoundaryDilemma.objects.count() == 1
    assert (
        post(
            client, f"{API}/practice/dilemmas", {"organisation": "hilltop", "occurred_on": today, "what_happened": "x"}
        ).status_code
        == 404
    )

    login(client, personas.supervisor)
    assert client.get(f"{API}/supervision/supervisees").json()[0]["display_name"] == "Psw"
    overview = client.get(f"{API}/supervision/riverside/{personas.psw.public_id}").json()
    assert overview["caseload"] == 1 and overview["contact_minutes"] == 50 and overview["dilemmas"] == 1
    assert overview["sessions"][0]["private_notes"] == 1 and NOTE not in str(overview)
    assert overview["checkins"][0]["would_like_to_talk"] is True
    # Policy allows it here, so the supervisor can read the note — audited as a supervisor's read.
    assert [n["body"] for n in client.get(f"{API}/sessions/{session_id}/notes").json()] == [NOTE]
    assert AuditEvent.objects.filter(
        action="onetoone.note_read", actor=personas.supervisor, detail__as="supervisor"
    ).exists()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert (
        post(client, f"{API}/supervision/riverside/{personas.psw.public_id}/records", {"held_on": future}).status_code
        == 400
    )
    response = post(
        client, f"{API}/supervision/riverside/{personas.psw.public_id}/records", {"held_on": today, "notes": "Good"}
    )
    assert response.status_code == 201 and SupervisionRecord.objects.count() == 1

    login(client, personas.member)
    assert post(client, "/api/care/check-ins", {"feeling": 3, "session": session_id}).status_code == 404
    response = post(
        client,
        f"{API}/relationships/{world.match.public_id}/ending",
        {"reflection": "Thank you", "suggested_forms": ["group"]},
    )
    assert response.status_code == 201
    assert response.json()["suggestions"][0]["url"].endswith("?kind=group")
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.ENDED and Ending.objects.count() == 1
    assert post(client, f"{API}/relationships/{world.match.public_id}/ending", {}).status_code == 400
    assert SupporterCheckIn.objects.count() == 1
