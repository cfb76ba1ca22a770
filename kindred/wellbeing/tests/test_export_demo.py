"""My data export for well-being, and the demo loader."""

from __future__ import annotations

import io
import json

import pytest

from kindred.accounts.models import User
from kindred.demo import world
from kindred.demo.wellbeing import load_wellbeing
from kindred.wellbeing import services
from kindred.wellbeing.export import export_person
from kindred.wellbeing.models import CheckIn, Goal, GoalNote, Share

from .helpers import befriending_match

pytestmark = pytest.mark.django_db


def test_export_holds_the_persons_well_being_and_nothing_of_others(personas):
    befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    services.checkin_submit(actor=personas.member, measure="ucla3", answers=[2, 2, 3])
    services.checkin_submit(actor=personas.peer, measure="ucla3", answers=[1, 1, 1])
    goal = services.goal_create(actor=personas.member, title="Swim", why="It calms me")
    services.goal_note_add(actor=personas.member, goal=goal, body="Went twice", progress=5)
    services.goal_create(actor=personas.peer, title="Peer's own goal")
    services.reminders_update(actor=personas.member, frequency="monthly", measures=["ucla3"])
    share = services.share_create(actor=personas.member, supporter=personas.peer, measures=["ucla3"])
    services.share_revoke(actor=personas.member, share=share)

    data = export_person(personas.member)
    json.dumps(data)  # serialisable
    assert [(c["measure"], c["answers"], c["scores"]) for c in data["checkins"]] == [
        ("ucla3", {"companionship": 2, "left_out": 2, "isolated": 3}, {"total": 7})
    ]
    assert data["goals"][0]["title"] == "Swim" and data["goals"][0]["why_it_matters"] == "It calms me"
    assert data["goals"][0]["progress_notes"][0] == {
        "created_at": data["goals"][0]["progress_notes"][0]["created_at"],
        "note": "Went twice",
        "progress_out_of_10": 5,
    }
    assert data["reminders"]["frequency"] == "monthly"
    assert data["shares"][0]["shared_with"] == "Peer" and data["shares"][0]["stopped_at"]
    text = json.dumps(data)
    assert "Peer's own goal" not in text and personas.peer.email not in text
    # The supporter's export doesn't hold the summary the member shared with them.
    assert export_person(personas.peer)["shares"] == []


def test_demo_loads_once_with_years_of_check_ins_and_a_share():
    world.load(io.StringIO())
    load_wellbeing(io.StringIO())
    member = User.objects.get(email="member@demo.kindred.local")
    karen = User.objects.get(email="karen@demo.kindred.local")
    assert CheckIn.objects.filter(person=member, measure="ons4").count() == 24
    assert CheckIn.objects.filter(person=member, measure="ucla3").count() == 24
    assert Goal.objects.filter(person=member).count() == 2 and GoalNote.objects.exists()
    # Karen is supported by the NHS trust's peer support worker, and shares with them.
    assert Share.objects.filter(person=karen, supporter__email="psw@demo.kindred.local", revoked_at=None).exists()
    first = (CheckIn.objects.count(), Goal.objects.count(), GoalNote.objects.count(), Share.objects.count())
    assert load_wellbeing(io.StringIO()) == 0
    assert (CheckIn.objects.count(), Goal.objects.count(), GoalNote.objects.count(), Share.objects.count()) == first
