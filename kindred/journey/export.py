"""My data: the person's journey — engagements, moments, status history, reflections (decrypted: they are the
person's own words) and the suggestions they dismissed. Nothing about anyone else: an engagement names the group,
space or scheme as it was called at the time, never the other people in it.
"""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import iso
from kindred.accounts.personal_data import register
from kindred.commons.models import Engagement

from .models import Moment, Reflection, StatusChange, SuggestionDismissal


def export_person(user: User) -> dict[str, Any]:
    engagements = Engagement.objects.filter(person=user).select_related("organisation").order_by("started_at", "id")
    return {
        "engagements": [
            {
                "what": e.subject_label,
                "organisation": e.organisation.name if e.organisation else None,
                "form": e.get_form_display(),
                "role": e.get_role_display(),
                "started_at": iso(e.started_at),
                "last_active_at": iso(e.last_active_at),
                "ended_at": iso(e.ended_at),
                "how_it_ended": e.get_end_reason_display() if e.end_reason else "",
            }
            for e in engagements
        ],
        "moments": [
            {"happened_on": iso(m.happened_on), "text": m.text, "added_at": iso(m.created_at)}
            for m in Moment.objects.filter(person=user).order_by("happened_on", "id")
        ],
        "status_history": [
            {
                "status": s.get_status_display() if s.status else "Not said",
                "mostly_at_home": s.housebound,
                "from": iso(s.changed_at),
            }
            for s in StatusChange.objects.filter(person=user).order_by("changed_at", "id")
        ],
        "reflections": [
            {"text": r.text, "written_at": iso(r.created_at), "changed_at": iso(r.updated_at)}
            for r in Reflection.objects.filter(person=user).order_by("created_at", "id")
        ],
        "dismissed_suggestions": [
            {"suggestion": d.key, "dismissed_at": iso(d.dismissed_at)}
            for d in SuggestionDismissal.objects.filter(person=user).order_by("dismissed_at", "id")
        ],
    }


register(
    key="journey",
    order=40,
    label="Your journey",
    about=(
        "Every group, one-to-one and online space you have taken part in (engagements), your own moments, "
        "status and reflections."
    ),
    export=export_person,
)
