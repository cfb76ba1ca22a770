"""The demo one-to-one world loads through the services, makes sense, and loads only once."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from kindred.care.models import SupporterCheckIn
from kindred.demo import world
from kindred.demo.onetoone import load_onetoone
from kindred.onetoone.models import (
    Match,
    MatchRequest,
    MatchStatus,
    Scheme,
    SchemeKind,
    Session,
    SessionNote,
    SupervisionAssignment,
    SupervisionRecord,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "schemes": Scheme.objects.count(),
        "requests": MatchRequest.objects.count(),
        "matches": Match.objects.count(),
        "sessions": Session.objects.count(),
        "notes": SessionNote.objects.count(),
        "records": SupervisionRecord.objects.count(),
        "assignments": SupervisionAssignment.objects.count(),
    }


def test_demo_one_to_one_world():
    world.load(io.StringIO())
    load_onetoone(io.StringIO())
    first = counts()

    kinds = set(Scheme.objects.values_list("kind", flat=True))
    assert {SchemeKind.BEFRIENDING, SchemeKind.PEN_FRIENDS, SchemeKind.PSW} <= kinds
    psw = Scheme.objects.get(offer__slug="leeds-peer-support-workers")
    assert psw.organisation.slug == world.CALDER and psw.caseload_cap == 8
    assert Match.objects.filter(scheme=psw, status=MatchStatus.ACTIVE).count() >= 4
    assert MatchRequest.objects.filter(status="open").count() >= 2  # people still waiting for a match
    assert Session.objects.filter(status="held").count() >= 20
    assert Session.objects.filter(status="scheduled").exists()
    assert SupervisionRecord.objects.filter(supervisee__email="psw@demo.kindred.local").exists()
    assert SupporterCheckIn.objects.exists()
    # Demo notes are encrypted like any other.
    note = SessionNote.objects.first()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {SessionNote._meta.db_table} WHERE id = %s", [note.pk])  # noqa: S608 - names from the model
        assert note.body not in cursor.fetchone()[0]

    # Loading again changes nothing.
    load_onetoone(io.StringIO())
    world.load(io.StringIO())
    assert counts() == first


def test_the_demo_supervisor_sees_the_demo_psw(client):
    world.load(io.StringIO())
    load_onetoone(io.StringIO())
    assert client.login(email="supervisor@demo.kindred.local", password=world.DEMO_PASSWORD)
    page = client.get("/one-to-one/supervision/").content.decode()
    assert "Nadia" in page and "Calder" in page
