"""Shared set-up for the well-being tests."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.onetoone.models import Match
from kindred.onetoone.tests.core_helpers import make_scheme
from kindred.onetoone.tests.practice_fixtures import make_active_match
from kindred.organisations.models import Organisation
from kindred.testing.personas import Personas
from kindred.wellbeing.models import SelfHarmResponse, WellbeingSettings

ONS4_GOOD = {"life_satisfaction": "7", "worthwhile": "9", "happiness": "4", "anxiety": "6"}
PHQ9_SELF_HARM = {f"q{n}": "1" for n in range(1, 10)}  # total 9, item 9 above zero


def enable(
    organisation: Organisation,
    *,
    phq9: bool = True,
    gad7: bool = True,
    response: str = SelfHarmResponse.SIGNPOST,
    leads: list[User] | None = None,
) -> WellbeingSettings:
    settings, _ = WellbeingSettings.objects.get_or_create(organisation=organisation)
    settings.phq9_enabled, settings.gad7_enabled, settings.self_harm_response = phq9, gad7, response
    settings.save()
    settings.safeguarding_leads.set(leads or [])
    return settings


def befriending_match(p: Personas, *, seeker: Any = None, supporter: Any = None) -> Match:
    scheme = make_scheme(p.coordinator, p.organisation)
    return make_active_match(scheme, seeker=seeker or p.member, supporter=supporter or p.peer)
