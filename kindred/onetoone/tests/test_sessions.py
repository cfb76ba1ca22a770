"""Sessions and private notes through the pages: logging, kind validation, contact hours, encryption, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.onetoone.models import Session, SessionNote, SessionStatus
from kindred.onetoone.tests.practice_fixtures import local_input, login, make_world

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Talked about the voices at night and the canal walk that helps"


def log_session(client, match, **overrides):
    data = {
        "starts_at": local_input(timezone.now() - timedelta(days=1)),
        "duration_minutes": "60",
        "channel": "in_person",
        "status": "held",
        **overrides,
    }
    return client.post(reverse("onetoone:session_list", args=[match.public_id]), data)


def add_note(client, session, body=SECRET_NOTE):
    return client.post(reverse("onetoone:session_note_add", args=[session.public_id]), {"body": body})


def test_the_worker_logs_sessions_and_sees_contact_hours(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    response = log_session(client, world.match)
    session = Session.objects.get(match=world.match)
    assert response.status_code == 302
    assert response["Location"] == reverse("onetoone:session_detail", args=[session.public_id])
    assert session.status == SessionStatus.HELD and session.duration_minutes == 60 and session.logged_by == personas.psw
    log_session(client, world.match, duration_minutes="45", channel="phone")
    log_session(
        client,
        world.match,
        duration_minutes="30",
        status="scheduled",
        starts_at=local_input(timezone.now() + timedelta(days=3)),
    )

    page = client.get(reverse("onetoone:session_list", args=[world.match.public_id]))
    # Only sessions that happened count towards contact time.
    assert "Contact time so far: <strong>1 hour 45 minutes</strong>" in page.content.decode()
    assert page.content.decode().count("<tr>") == 4  # header + three sessions

    # The person being supported is told, and can log sessions too.
    assert personas.member.notifications.filter(kind="onetoone.session").count() == 3
    login(client, personas.member)
    assert log_session(client, world.match, duration_minutes="20").status_code == 302
    assert Session.objects.filter(match=world.match).count() == 4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at_days": 800, "status": "scheduled"}, "more than a year away"),
        ({"starts_at_days": -1000}, "more than two years ago"),
        ({"duration_minutes": "-30"}, "at least 1"),
        ({"duration_minutes": "0"}, "at least 1"),
        ({"duration_minutes": "900"}, "longer than 8 hours"),
        ({"duration_minutes": "an hour"}, "whole number of minutes"),
        ({"starts_at_days": 2, "status": "held"}, "still in the future"),
        ({"channel": "carrier-pigeon"}, "Select a valid choice"),
        ({"starts_at": "next tuesday"}, "for example 2026-11-24 14:30"),
    ],
)
def test_bad_sessions_get_a_kind_message_and_nothing_is_saved(client, personas, overrides, message):
    world = make_world(personas)
    login(client, personas.psw)
    days = overrides.pop("starts_at_days", None)
    if days is not None:
        overrides["starts_at"] = local_input(timezone.now() + timedelta(days=days))
    response = log_session(client, world.match, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There's a problem" in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_limit_is_respected_only_when_the_scheme_sets_one(client, personas):
    world = make_world(personas, session_limit=2)
    login(client, personas.psw)
    assert log_session(client, world.match).status_code == 302
    assert log_session(client, world.match).status_code == 302
    response = log_session(client, world.match)
    assert response.status_code == 400
    assert "offers up to 2 sessions" in response.content.decode()
    assert Session.objects.count() == 2


def test_a_planned_session_is_marked_as_happened_once_it_has_started(client, personas, time_machine):
    world = make_world(personas)
    login(client, personas.psw)
    start = timezone.now() + timedelta(days=2)
    log_session(client, world.match, starts_at=local_input(start), status="scheduled")
    session = Session.objects.get()
    url = reverse("onetoone:session_update", args=[session.public_id])
    client.post(url, {"status": "held"})
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED  # still in the future
    time_machine.move_to(start + timedelta(hours=2))
    client.post(url, {"status": "held"})
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_notes_are_encrypted_in_the_database(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    log_session(client, world.match)
    session = Session.objects.get()
    assert add_note(client, session).status_code == 302
    note = SessionNote.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {SessionNote._meta.db_table} WHERE id = %s", [note.pk])  # noqa: S608 - names from the model
        stored = cursor.fetchone()[0]
    assert SECRET_NOTE not in stored and "voices" not in stored and "canal" not in stored
    assert stored.startswith("gAAAAA")
    assert SessionNote.objects.get().body == SECRET_NOTE


def test_a_note_is_visible_only_to_its_author_and_every_read_is_audited(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    log_session(client, world.match)
    session = Session.objects.get()
    add_note(client, session)
    detail = reverse("onetoone:session_detail", args=[session.public_id])

    page = client.get(detail)
    assert SECRET_NOTE in page.content.decode()
    reads = AuditEvent.objects.filter(action="onetoone.note_read")
    assert reads.count() == 1 and reads.get().actor == personas.psw and reads.get().detail["as"] == "author"

    # The other person, the coordinator and the supervisor (policy off) see the session, not the note.
    for viewer in (personas.member, personas.coordinator, personas.supervisor):
        login(client, viewer)
        page = client.get(detail)
        assert page.status_code == 200
        assert SECRET_NOTE not in page.content.decode()
    assert reads.count() == 1
    note = SessionNote.objects.get()
    login(client, personas.supervisor)
    assert client.get(reverse("onetoone:supervision_note", args=[note.public_id])).status_code == 404


def test_people_outside_the_relationship_get_404_everywhere(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    log_session(client, world.match)
    session = Session.objects.get()
    add_note(client, session)
    note = SessionNote.objects.get()
    urls = [
        ("get", reverse("onetoone:session_list", args=[world.match.public_id])),
        ("get", reverse("onetoone:session_detail", args=[session.public_id])),
        ("get", reverse("onetoone:supervision_note", args=[note.public_id])),
        ("get", reverse("onetoone:practice_ending", args=[world.match.public_id])),
        ("post", reverse("onetoone:session_note_add", args=[session.public_id])),
        ("post", reverse("onetoone:session_update", args=[session.public_id])),
        ("post", reverse("onetoone:session_list", args=[world.match.public_id])),
    ]
    for outsider in (personas.outsider, personas.outside_coordinator, personas.peer, personas.moderator):
        login(client, outsider)
        for method, url in urls:
            response = getattr(client, method)(url, {"body": "x", "status": "held"} if method == "post" else None)
            assert response.status_code == 404, (outsider, url)
    assert SessionNote.objects.count() == 1
    assert not AuditEvent.objects.filter(action="onetoone.note_read").exclude(actor=personas.psw).exists()
    # Not signed in: sent to log in.
    client.logout()
    assert client.get(urls[0][1]).status_code == 302


def test_the_coordinator_sees_sessions_but_cannot_write_in_them(client, personas):
    world = make_world(personas)
    login(client, personas.psw)
    log_session(client, world.match)
    session = Session.objects.get()
    login(client, personas.coordinator)
    page = client.get(reverse("onetoone:session_list", args=[world.match.public_id]))
    assert page.status_code == 200 and "1 hour" in page.content.decode()
    assert "Add a session" not in page.content.decode()
    assert add_note(client, session).status_code == 403
    assert log_session(client, world.match).status_code == 404
    assert not SessionNote.objects.exists() and Session.objects.count() == 1


def test_sessions_open_only_once_both_have_accepted(client, personas):
    world = make_world(personas)
    world.match.status = "approved"
    world.match.save()
    login(client, personas.member)
    assert client.get(reverse("onetoone:session_list", args=[world.match.public_id])).status_code == 404
    assert log_session(client, world.match).status_code == 404
