"""My data: the notifications Kindred sent a person, and whether they have read them.

A notification sent to someone because of their role, about another person's safety or distress (a crisis
alert to a moderator, an incident note to a coordinator, a supporter asking their supervisor to talk), is the
organisation's safeguarding record about that other person: the export says such an alert was sent, and when,
but not what it said.
"""

from __future__ import annotations

import re
from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import iso
from kindred.accounts.personal_data import register

from .models import Notification

ABOUT_OTHERS_KINDS = frozenset(
    {"community.crisis", "community.report", "community.appeal", "groups.incident", "onetoone.checkin"}
)
# Kinds added later that carry the same sort of news are caught by their names.
ABOUT_OTHERS_PATTERN = re.compile(r"crisis|safeguard|incident|self_harm|selfharm|urgent")
WITHHELD = "An alert about someone else, sent to you because of your role. Its details are the organisation's record."


def about_someone_else(kind: str) -> bool:
    return kind in ABOUT_OTHERS_KINDS or bool(ABOUT_OTHERS_PATTERN.search(kind))


def export_person(user: User) -> dict[str, Any]:
    rows = []
    for n in Notification.objects.filter(user=user).order_by("created_at", "id"):
        withheld = about_someone_else(n.kind)
        rows.append(
            {
                "kind": n.kind,
                "title": WITHHELD if withheld else n.title,
                "text": "" if withheld else n.body,
                "link": "" if withheld else n.url,
                "sent_at": iso(n.created_at),
                "read_at": iso(n.read_at),
            }
        )
    return {"notifications": rows}


register(
    key="notifications",
    order=110,
    label="Notifications",
    about=("The notifications Kindred sent you, and whether you have read them."),
    export=export_person,
)
