"""What groups do when their organisation closes: each open group closes through the group closure, so its
members are told with alternatives and what was shared stays for a year (`kindred.organisations.closure`)."""

from __future__ import annotations

from kindred.accounts.models import User
from kindred.organisations.closure import on_close
from kindred.organisations.models import Organisation

from .access import viewer_for
from .closure import group_close
from .models import Group, GroupStatus


def _open_groups(organisation: Organisation) -> list[Group]:
    return list(Group.objects.filter(organisation=organisation).exclude(status=GroupStatus.CLOSED).order_by("pk"))


def close_groups(actor: User, organisation: Organisation, reason: str) -> int:
    groups = _open_groups(organisation)
    for group in groups:
        group_close(actor=actor, viewer=viewer_for(actor, group), message=reason)
    return len(groups)


def describe(organisation: Organisation) -> str:
    count = len(_open_groups(organisation))
    if not count:
        return ""
    which = "its group closes" if count == 1 else f"its {count} groups close"
    return (
        f"Today {which}: future meetings are cancelled, every member is told and offered other groups nearby, and "
        "what was shared on noticeboards and in newsletters stays for members to read and download for a year."
    )


on_close(key="groups", close=close_groups, describe=describe)
