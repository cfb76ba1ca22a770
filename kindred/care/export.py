"""My data: the person's own supporter check-ins and step-back history.

Incidents are not included, even one the person helped handle: an incident record is about other people.
Whether someone was recorded as having died is not exported either (it is not data the person gave).
"""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import iso
from kindred.accounts.personal_data import register

from .models import StepBack, SupporterCheckIn


def export_person(user: User) -> dict[str, Any]:
    checkins = SupporterCheckIn.objects.filter(worker=user).select_related("organisation", "meeting", "meeting__group")
    return {
        "supporter_checkins": [
            {
                "when": iso(c.created_at),
                "feeling": c.feeling,
                "feeling_words": c.get_feeling_display(),
                "note": c.note,
                "would_like_to_talk": c.would_like_to_talk,
                "shared_with_supervisor": c.shared_with_supervisor,
                "about": c.context_label,
                "group": c.meeting.group.name if c.meeting_id else "",
                "organisation": c.organisation.name if c.organisation_id else "",
            }
            for c in checkins.order_by("created_at", "id")
        ],
        "step_backs": [
            {
                "started": iso(s.started_at),
                "ended": iso(s.ended_at) if s.ended_at else None,
                "note": s.note,
                "meetings_released": len(s.paused.get("released_meetings", [])) if s.paused else 0,
                "ended_relationships": bool(s.paused.get("ended_relationships")) if s.paused else False,
            }
            for s in StepBack.objects.filter(person=user).order_by("started_at", "id")
        ],
    }


register(
    key="care",
    order=60,
    label="Supporter care",
    about=("If you give support: your check-ins after facilitating or sessions, and any time you stepped back."),
    export=export_person,
)
