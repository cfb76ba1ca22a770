"""Supervision: what a supervisor sees of a supervisee, note reading only where policy allows, records, check-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kindred.care.models import SupporterCheckIn
from kindred.core.models import AuditEvent
from kindred.onetoone.models import (
    BoundaryDilemma,
    DisclosureLog,
    Session,
    SessionNote,
    SupervisionRecord,
)
from kindred.onetoone.tests.practice_fixtures import login, make_world
from kindred.testing.factories import MembershipFactory, UserFactory
from kindred.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

NOTE = "Worried about the anniversary next week"


def seeded(personas, **kwargs):
    world = make_world(personas, **kwargs)
    session = Session.objects.create(
        match=world.match, starts_at=timezone.now() - timedelta(days=1), duration_minutes=90, channel="video",
        status="held", logged_by=personas.psw,
    )  # fmt: skip
    SessionNote.objects.create(session=session, author=personas.psw, body=NOTE)
    DisclosureLog.objects.create(
        session=session, worker=personas.psw, layer="distress", what_i_shared="I hear voices too"
    )
    BoundaryDilemma.objects.create(
        organisation=personas.organisation, worker=personas.psw, occurred_on=timezone.localdate(),
        what_happened="Offered me a birthday present",
    )  # fmt: skip
    SupporterCheckIn.objects.create(
        worker=personas.psw,
        session=session,
        organisation=personas.organisation,
        feeling=2,
        note="Drained today",
        shared_with_supervisor=True,
    )
    return world, session


def supervisee_url(personas, person=None):
    return reverse("onetoone:supervision_supervisee", args=["riverside", (person or personas.psw).public_id])


def test_the_supervisor_sees_caseload_logs_and_checkins_but_not_note_contents(client, personas):
    _world, session = seeded(personas)
    login(client, personas.supervisor)
    home = client.get(reverse("onetoone:supervision_home")).content.decode()
    assert "Psw" in home and "Riverside Peer Support" in home

    page = client.get(supervisee_url(personas)).content.decode()
    assert "Member" in page and "Riverside Peer Support Workers" in page  # caseload
    assert "1 hour 30 minutes" in page  # contact time
    assert "I hear voices too" in page  # disclosure log
    assert "Offered me a birthday present" in page  # dilemma log
    assert "A bit low" in page and "Drained today" in page  # check-in
    assert "1 private note" in page
    assert NOTE not in page
    assert AuditEvent.objects.filter(action="onetoone.supervision_viewed", actor=personas.supervisor).count() == 1
    assert not AuditEvent.objects.filter(action="onetoone.note_read").exists()

    note = SessionNote.objects.get()
    assert client.get(reverse("onetoone:supervision_note", args=[note.public_id])).status_code == 404
    assert NOTE not in client.get(reverse("onetoone:session_detail", args=[session.public_id])).content.decode()


def _turn_on_note_reading(client, personas, scheme):
    """The coordinator switches it on in the scheme's settings page (the one place this policy lives)."""
    login(client, personas.coordinator)
    url = reverse("onetoone:scheme_settings", args=[scheme.public_id])
    data = {
        "matching_mode": scheme.matching_mode,
        "channels": scheme.channels,
        "default_capacity": scheme.default_capacity,
        "accepting_requests": "on",
        "supervisor_reads_notes": "on",
    }
    if scheme.caseload_cap:
        data["caseload_cap"] = scheme.caseload_cap
    assert client.post(url, data).status_code == 302
    audit = AuditEvent.objects.get(action="onetoone.note_policy_changed")
    assert audit.detail == {"supervisors_may_read_notes": True}


@pytest.mark.parametrize("where", ["settings_page", "created_with_scheme"])
def test_where_policy_allows_the_supervisor_reads_notes_and_each_read_is_audited(client, personas, where):
    if where == "settings_page":
        world, session = seeded(personas)
        _turn_on_note_reading(client, personas, world.scheme)
    else:
        _world, session = seeded(personas, supervisor_reads_notes=True)
    note = SessionNote.objects.get()
    login(client, personas.supervisor)
    page = client.get(supervisee_url(personas)).content.decode()
    assert "Read 1 note" in page and NOTE not in page

    assert NOTE in client.get(reverse("onetoone:session_detail", args=[session.public_id])).content.decode()
    assert NOTE in client.get(reverse("onetoone:supervision_note", args=[note.public_id])).content.decode()
    reads = AuditEvent.objects.filter(action="onetoone.note_read", actor=personas.supervisor)
    assert reads.count() == 2
    assert all(r.detail["as"] == "supervisor" and r.subject_id == str(note.public_id) for r in reads)

    # The worker is told who can read their notes.
    login(client, personas.psw)
    assert (
        "and your supervisor"
        in client.get(reverse("onetoone:session_detail", args=[session.public_id])).content.decode()
    )

    # A supervisor who does not supervise this worker, and another organisation's people, still can't.
    other_supervisor = UserFactory(email="sup2@example.org", display_name="Other")
    MembershipFactory(user=other_supervisor, organisation=personas.organisation, role="supervisor")
    for viewer in (other_supervisor, personas.outside_coordinator, personas.coordinator, personas.member):
        assert client.login(email=viewer.email, password=PASSWORD)
        assert client.get(reverse("onetoone:supervision_note", args=[note.public_id])).status_code == 404
        assert NOTE not in client.get(reverse("onetoone:session_detail", args=[session.public_id])).content.decode()


def test_outsiders_cannot_open_a_supervision_page(client, personas):
    seeded(personas)
    other_supervisor = UserFactory(email="sup2@example.org", display_name="Other")
    MembershipFactory(user=other_supervisor, organisation=personas.organisation, role="supervisor")
    for viewer in (other_supervisor, personas.outside_coordinator, personas.coordinator, personas.psw, personas.member):
        assert client.login(email=viewer.email, password=PASSWORD)
        assert client.get(supervisee_url(personas)).status_code == 404, viewer
        assert client.post(supervisee_url(personas), {"held_on": timezone.localdate().isoformat()}).status_code == 404
    # A supervisor whose role has been removed loses access even with the assignment still open.
    personas.supervisor.memberships.filter(role="supervisor").delete()
    login(client, personas.supervisor)
    assert client.get(supervisee_url(personas)).status_code == 404
    assert not SupervisionRecord.objects.exists()


def test_the_supervisor_records_supervision_encrypted_and_the_supervisee_sees_it(client, personas):
    seeded(personas)
    login(client, personas.supervisor)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(supervisee_url(personas), {"held_on": future, "notes": "x"})
    assert response.status_code == 400 and "sessions that have happened" in response.content.decode()
    response = client.post(
        supervisee_url(personas),
        {
            "held_on": timezone.localdate().isoformat(),
            "notes": "Talked about the gift and saying no kindly",
            "agreed_actions": "Rest day",
        },
    )
    assert response.status_code == 302
    record = SupervisionRecord.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT notes FROM {SupervisionRecord._meta.db_table} WHERE id = %s", [record.pk])  # noqa: S608 - names from the model
        assert "gift" not in cursor.fetchone()[0]
    assert personas.psw.notifications.filter(kind="onetoone.supervision").exists()
    login(client, personas.psw)
    page = client.get(reverse("onetoone:practice_home")).content.decode()
    assert "Talked about the gift and saying no kindly" in page and "Rest day" in page
    login(client, personas.member)
    assert "saying no kindly" not in client.get(reverse("onetoone:practice_home")).content.decode()


def test_a_checkin_after_a_session_is_optional_and_asking_to_talk_tells_the_supervisor(client, personas, mailoutbox):
    # The one supporter check-in (kindred.care): the old address leads there.
    _world, session = seeded(personas)
    login(client, personas.psw)
    old = client.get(reverse("onetoone:wellbeing_checkin"), {"session": session.public_id})
    assert old.status_code == 302 and str(session.public_id) in old.url
    url = reverse("care:checkin")
    page = client.get(url, {"session": session.public_id})
    assert page.status_code == 200 and "optional" in page.content.decode()
    response = client.post(url, {"session": str(session.public_id), "note": "hard one"})
    assert response.status_code == 400 and "choose how you" in response.content.decode()
    response = client.post(url, {"session": str(session.public_id), "feeling": "1", "would_like_to_talk": "on"})
    assert response.status_code == 302
    checkin = SupporterCheckIn.objects.latest("created_at")
    assert checkin.session == session and checkin.feeling == 1 and checkin.would_like_to_talk
    assert not checkin.shared_with_supervisor  # private unless shared
    note = personas.supervisor.notifications.get(kind="care.checkin")
    assert note.title == "Psw would like to talk"

    # Someone else's session can't be checked in against.
    login(client, personas.member)
    assert client.get(url, {"session": session.public_id}).status_code == 404
    assert client.post(url, {"session": str(session.public_id), "feeling": "3"}).status_code == 404
    assert client.get(url, {"session": "not-a-uuid"}).status_code == 404
