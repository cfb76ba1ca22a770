"""The demo journeys: multi-year paths on real demo groups and spaces, idempotent, and drawn on the page."""

from __future__ import annotations

import io

import pytest

from kindred.accounts.models import User
from kindred.commons.models import Engagement
from kindred.demo import world
from kindred.demo.journeys import JOURNEYS, load_journeys
from kindred.journey.models import Moment, Reflection, StatusChange

pytestmark = pytest.mark.django_db


def test_demo_people_have_multi_year_journeys(client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.load(io.StringIO())  # the whole demo world, journeys included
        counts = (
            Engagement.objects.count(),
            Moment.objects.count(),
            Reflection.objects.count(),
            StatusChange.objects.count(),
        )
        again = load_journeys(io.StringIO())
    assert counts[0] > 30 and counts[1] > 0 and counts[2] > 0 and again == 0
    assert counts == (
        Engagement.objects.count(),
        Moment.objects.count(),
        Reflection.objects.count(),
        StatusChange.objects.count(),
    )

    member = User.objects.get(email="member@demo.kindred.local")
    rows = list(Engagement.objects.filter(person=member))
    assert {r.form for r in rows} == {"group", "one_to_one", "online"}
    years = {r.started_at.year for r in rows}
    assert max(years) - min(years) >= 7
    # A break from the Bolton group: an ended stretch, then an open one.
    bolton = [r for r in rows if r.subject_label == "Bolton Hearing Voices Group" and r.role == "receiving"]
    assert len(bolton) == 2 and sum(r.ended_at is None for r in bolton) == 1
    # Still one open row per subject and role for everyone.
    open_keys = [
        (e.person_id, e.subject_type_id, e.subject_id, e.form, e.role) for e in Engagement.objects.filter(ended_at=None)
    ]
    assert len(open_keys) == len(set(open_keys))

    facilitator = User.objects.get(email="facilitator@demo.kindred.local")
    roles = Engagement.objects.filter(person=facilitator, form="group")
    assert roles.filter(role="facilitating", end_reason="paused").exists()
    assert roles.filter(role="facilitating", ended_at=None).exists()

    for journey in JOURNEYS:
        person = User.objects.get(email=f"{journey.login}@demo.kindred.local")
        client.force_login(person)
        html = client.get("/journey/").content.decode()
        assert 'class="journey-bar"' in html, journey.login
    client.force_login(member)
    html = client.get("/journey/").content.decode()
    assert "A break from groups" in html and "Went into hospital" in html
    assert "Able to give support" in html
