"""My data: the journey part holds the person's own record, decrypted, and nothing about anyone else."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from kindred.journey.export import export_person
from kindred.journey.services import moment_create, reflection_create, status_set, suggestion_dismiss

from .helpers import at, offer, span

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-06-01 12:00Z", tick=False)
def test_export_holds_every_category_and_only_the_persons_own(personas):
    org = personas.organisation
    group = offer(org, "Riverside Hearing Voices")
    span(personas.member, group, "group", "receiving", at(2020, 3), at(2021, 2), reason="closed", organisation=org)
    moment_create(actor=personas.member, happened_on=date(2021, 6, 1), text="moved house")
    status_set(actor=personas.member, status="taking_a_break", housebound=True)
    reflection_create(actor=personas.member, text="Tea with Jo helped")
    suggestion_dismiss(actor=personas.member, key="from-home:abc")
    # Someone else's record, which must not appear.
    span(personas.peer, group, "group", "facilitating", at(2019, 1), organisation=org)
    moment_create(actor=personas.peer, happened_on=date(2022, 1, 1), text="peer's own moment")
    reflection_create(actor=personas.peer, text="peer's private words")

    data = export_person(personas.member)
    json.dumps(data)  # serialisable
    assert set(data) == {"engagements", "moments", "status_history", "reflections", "dismissed_suggestions"}
    assert data["engagements"] == [
        {
            "what": "Riverside Hearing Voices",
            "organisation": "Riverside Peer Support",
            "form": "Group",
            "role": "Receiving support",
            "started_at": data["engagements"][0]["started_at"],
            "last_active_at": data["engagements"][0]["last_active_at"],
            "ended_at": data["engagements"][0]["ended_at"],
            "how_it_ended": "The group or space closed",
        }
    ]
    assert data["engagements"][0]["started_at"].startswith("2020-03-01")
    assert [m["text"] for m in data["moments"]] == ["moved house"]
    assert data["status_history"][0]["status"] == "Taking a break" and data["status_history"][0]["mostly_at_home"]
    assert [r["text"] for r in data["reflections"]] == ["Tea with Jo helped"]  # decrypted
    assert [d["suggestion"] for d in data["dismissed_suggestions"]] == ["from-home:abc"]
    dumped = json.dumps(data)
    assert "peer's" not in dumped and "Facilitating" not in dumped and "2019" not in dumped
