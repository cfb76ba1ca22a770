"""My data: the people you have blocked (by the name they show), whether you have stepped back, the lists of
messages you have said no to, and the rules you agreed to. Your engagements are in "Your journey"."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .models import Block, ReachState, Rules, Unsubscribe
from .rules import acknowledgements_of
from .spine import engagements_end_for_person


def export_person(user: User) -> dict[str, Any]:
    state = ReachState.objects.filter(person=user).first()
    return {
        "people_you_blocked": [
            {"name": display_name(b.blocked), "since": iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at", "id")
        ],
        "stepped_back_since": iso(state.stepped_back_since) if state else None,
        "rules_you_agreed_to": [
            {"place": _place(a.rules), "version": a.rules.version, "agreed_at": iso(a.acknowledged_at)}
            for a in acknowledgements_of(user)
        ],
        "unsubscribed_from": [
            {"list": u.topic, "since": iso(u.created_at)}
            for u in Unsubscribe.objects.filter(person=user).order_by("created_at", "id")
        ],
    }


def _place(rules: Rules) -> str:
    """The group or space the rules belong to, by its name."""
    model = rules.subject_type.model_class()
    place = model._default_manager.filter(pk=rules.subject_id).first() if model is not None else None
    return str(place) if place is not None else "a place that has since gone"


register(
    key="commons",
    order=30,
    label="Blocks and messages",
    about=(
        "The people you have blocked (by the name they show), whether you have stepped back from giving "
        "support, the lists of messages you have said no to, and the ground rules and house rules you agreed to."
    ),
    export=export_person,
    erase=engagements_end_for_person,
)
