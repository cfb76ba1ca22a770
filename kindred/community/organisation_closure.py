"""What online spaces do when their organisation closes: each one it hosts is archived read-only, and its chat
rooms close, with everything kept for members to read and download for a year (`kindred.organisations.closure`)."""

from __future__ import annotations

from kindred.accounts.models import User
from kindred.organisations.closure import on_close
from kindred.organisations.models import Organisation

from .models import Room, Space, SpaceStatus
from .services import spaces_archive_for


def archive_spaces(actor: User, organisation: Organisation, reason: str) -> int:
    return spaces_archive_for(actor=actor, organisation=organisation, reason=reason)


def describe(organisation: Organisation) -> str:
    count = Space.objects.filter(organisation=organisation, status=SpaceStatus.OPEN).count()
    if not count:
        rooms = Room.objects.filter(organisation=organisation, is_archived=False).exists()
        return "Its chat rooms take no new messages; what was said in them stays to read." if rooms else ""
    which = "its online space is" if count == 1 else f"its {count} online spaces are"
    return (
        f"{which[0].upper()}{which[1:]} archived and its chat rooms take no new messages: nobody can post any "
        "more, and every conversation stays for members to read and download for a year."
    )


on_close(key="community", close=archive_spaces, describe=describe)
