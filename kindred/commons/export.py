"""My data: the people you have blocked (by the name they show), whether you have stepped back, and the lists of
messages you have said no to. Your engagements are in "Your journey"."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .models import Block, ReachState, Unsubscribe
from .spine import engagements_end_for_person


def export_person(user: User) -> dict[str, Any]:
    state = ReachState.objects.filter(person=user).first()
    return {
        "people_you_blocked": [
            {"name": display_name(b.blocked), "since": iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at", "id")
        ],
        "stepped_back_since": iso(state.stepped_back_since) if state else None,
        "unsubscribed_from": [
            {"list": u.topic, "since": iso(u.created_at)}
            for u in Unsubscribe.objects.filter(person=user).order_by("created_at", "id")
        ],
    }


register(
    key="commons",
    order=30,
    label="Blocks and messages",
    about=(
        "The people you have blocked (by the name they show), whether you have stepped back from giving "
        "support, and the lists of messages you have said no to."
    ),
    export=export_person,
    erase=engagements_end_for_person,
)
