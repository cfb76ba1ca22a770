"""My data: well-being — the person's check-ins (answers and scores), goals with progress notes, reminder
settings and the summaries they have shared (with whom, by display name only, and when they stopped).

Summaries other people shared with this person are theirs, not this person's data: not here.
"""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .measures import MEASURES, band_for
from .models import CheckIn, Goal, GoalNote, ReminderSettings, Share


def export_person(user: User) -> dict[str, Any]:
    checkins = [
        {
            "id": str(c.public_id),
            "measure": c.measure,
            "measure_name": MEASURES[c.measure].name if c.measure in MEASURES else c.measure,
            "taken_at": iso(c.taken_at),
            "answers": c.answers,
            "scores": c.scores,
            "bands": {key: band_for(c.measure, key, value) for key, value in c.scores.items()},
            "self_harm_followup": c.self_harm,
        }
        for c in CheckIn.objects.filter(person=user).order_by("taken_at", "id")
    ]
    notes: dict[int, list[dict[str, Any]]] = {}
    for note in GoalNote.objects.filter(goal__person=user).order_by("created_at", "id"):
        notes.setdefault(note.goal_id, []).append(
            {"created_at": iso(note.created_at), "note": note.body, "progress_out_of_10": note.progress}
        )
    goals = [
        {
            "id": str(g.public_id),
            "title": g.title,
            "why_it_matters": g.why,
            "target_date": iso(g.target_date),
            "status": g.status,
            "created_at": iso(g.created_at),
            "closed_at": iso(g.closed_at),
            "progress_notes": notes.get(g.pk, []),
        }
        for g in Goal.objects.filter(person=user).order_by("created_at", "id")
    ]
    reminders = ReminderSettings.objects.filter(person=user).first()
    shares = [
        {
            "id": str(s.public_id),
            "shared_with": display_name(s.supporter),
            "measures": s.measures,
            "goals": s.include_goals,
            "shared_at": iso(s.created_at),
            "stopped_at": iso(s.revoked_at),
        }
        for s in Share.objects.filter(person=user).select_related("supporter").order_by("created_at", "id")
    ]
    return {
        "checkins": checkins,
        "goals": goals,
        "reminders": {
            "frequency": reminders.frequency if reminders else "off",
            "measures": reminders.measures if reminders else [],
            "last_reminded_at": iso(reminders.last_reminded_at) if reminders else None,
        },
        "shares": shares,
    }


register(
    key="wellbeing",
    order=50,
    label="Well-being check-ins and goals",
    about=("Your check-ins with their answers and scores, your goals and progress notes, reminders and sharing."),
    export=export_person,
)
