"""Demo well-being: two years of monthly check-ins for a few demo people, their goals and progress notes, a
reminder setting, and a summary shared with their supporter where a demo match exists.

The paths are non-linear on purpose (recovery rarely is): a hard winter, a lift after joining a group, a dip and
a recovery. Idempotent: a person who already has check-ins is left alone; a share is made only if missing.
Calder and Aire (the NHS trust) turns on PHQ-9 and GAD-7, so its people see them; the others don't.
"""

from __future__ import annotations

import math
import sys
from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.onetoone.models import Match, MatchStatus
from kindred.organisations.models import Organisation
from kindred.wellbeing import selectors, services
from kindred.wellbeing.measures import score
from kindred.wellbeing.models import CheckIn, Goal, GoalNote, ReminderFrequency, Share, WellbeingSettings

from .world import CALDER, DEMO_DOMAIN

MONTHS = 24

# login -> (goals [(title, why, [(weeks ago, note, progress)])], mood shape)
PEOPLE: dict[str, tuple[list[tuple[str, str, list[tuple[int, str, int | None]]]], str]] = {
    "member": (
        [
            (
                "Go to the hearing voices group once a month",
                "It's the one place I don't have to explain myself.",
                [(40, "Went for the first time. Sat at the back and just listened.", 2), (12, "Said a few words.", 6)],
            ),
            ("Walk by the river on Sundays", "Fresh air helps the voices settle.", [(6, "Managed three Sundays.", 5)]),
        ],
        "dip_then_lift",
    ),
    "karen": (
        [
            (
                "Get back to my allotment",
                "It was the thing I loved before hospital.",
                [(20, "Went with my sister.", 3), (4, "Planted potatoes on my own.", 7)],
            ),
        ],
        "steady_rise",
    ),
    "tomasz": (
        [("Say hello to one new person each week", "I want this city to feel like home.", [(8, "", 4)])],
        "winter_dips",
    ),
}


def _person(login: str) -> User | None:
    return User.objects.filter(email=f"{login}@{DEMO_DOMAIN}").first()


def _level(shape: str, month: int) -> float:
    """0 (struggling) to 1 (doing well) for month 0..MONTHS-1, with a gentle wobble."""
    t = month / (MONTHS - 1)
    wobble = 0.08 * math.sin(month * 1.7)
    if shape == "dip_then_lift":
        base = 0.55 - 0.3 * math.exp(-(((t - 0.35) / 0.12) ** 2)) + 0.2 * t
    elif shape == "steady_rise":
        base = 0.25 + 0.5 * t
    else:  # winter_dips
        base = 0.55 - 0.2 * max(0.0, math.cos(2 * math.pi * (month + 1) / 12))
    return min(max(base + wobble, 0.0), 1.0)


def _answers(measure: str, level: float) -> dict[str, int]:
    if measure == "ons4":
        good = round(2 + 7 * level)
        return {
            "life_satisfaction": good,
            "worthwhile": min(10, good + 1),
            "happiness": max(0, good - 1),
            "anxiety": round(8 - 6 * level),
        }
    if measure == "ucla3":
        lonely = 3 - round(2 * level)  # 1..3
        return {"companionship": lonely, "left_out": max(1, lonely - 1) if level > 0.6 else lonely, "isolated": lonely}
    items = 9 if measure == "phq9" else 7
    each = max(0, min(3, round(2.4 * (1 - level))))
    answers = {f"q{n}": each for n in range(1, items + 1)}
    if measure == "phq9":
        answers["q9"] = 0  # the demo never shows a self-harm answer
    return answers


def _checkins_for(user: User, shape: str, measures: list[str]) -> list[CheckIn]:
    now = timezone.now()
    rows = []
    for month in range(MONTHS):
        taken_at = now - timedelta(days=30 * (MONTHS - month)) + timedelta(hours=10)
        level = _level(shape, month)
        for measure in measures:
            result = score(measure, _answers(measure, level))
            rows.append(
                CheckIn(
                    person=user,
                    measure=measure,
                    answers=result.answers,
                    scores=result.scores,
                    total=result.total,
                    taken_at=taken_at,
                )
            )
    return rows


def load_wellbeing(stdout: TextIO | None = None) -> int:
    """Create demo check-ins, goals, reminders and shares that are missing. Returns how many people were set up."""
    out = stdout or sys.stdout
    calder = Organisation.objects.filter(slug=CALDER).first()
    if calder is not None:
        WellbeingSettings.objects.get_or_create(
            organisation=calder, defaults={"phq9_enabled": True, "gad7_enabled": True}
        )
    created = 0
    for login, (goals, shape) in PEOPLE.items():
        user = _person(login)
        if user is None:
            continue
        with transaction.atomic():
            if not CheckIn.objects.filter(person=user).exists():
                measures = [m.code for m in selectors.available_measures(user)]
                CheckIn.objects.bulk_create(_checkins_for(user, shape, measures))
                created += 1
            if not Goal.objects.filter(person=user).exists():
                for title, why, notes in goals:
                    goal = Goal.objects.create(
                        person=user, title=title, why=why, created_at=timezone.now() - timedelta(weeks=52)
                    )
                    for weeks_ago, body, progress in notes:
                        GoalNote.objects.create(
                            goal=goal,
                            body=body,
                            progress=progress,
                            created_at=timezone.now() - timedelta(weeks=weeks_ago),
                        )
            if login == "member":
                settings = selectors.reminder_settings_of(user)
                if settings.pk is None:
                    services.reminders_update(actor=user, frequency=ReminderFrequency.MONTHLY, measures=["ons4"])
            match = Match.objects.filter(seeker=user, status=MatchStatus.ACTIVE).select_related("supporter").first()
            if match and match.supporter and not Share.objects.filter(person=user, supporter=match.supporter).exists():
                services.share_create(
                    actor=user, supporter=match.supporter, measures=["ons4", "ucla3"], include_goals=True
                )
    out.write(f"Demo well-being ready: {created} people given check-ins ({len(PEOPLE)} in all).\n")
    return created
