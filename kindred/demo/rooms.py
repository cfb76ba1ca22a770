"""Demo chat rooms: Night Owls (scheduled, 8pm till midnight every day, only while a moderator is on) and an
always-open drop-in room for Voices Together, each with a few messages. Idempotent: rooms are found by slug,
messages by their client id, so loading twice changes nothing.
"""

from __future__ import annotations

import sys
from datetime import time
from typing import TextIO

from django.db import transaction

from kindred.accounts.models import User
from kindred.community.models import ChatMessage, OpeningHours, Room, RoomPresence, RoomSchedule, Space
from kindred.directory.models import Offer
from kindred.organisations.models import Organisation

from .world import OPEN_MINDS, VOICES, demo_email

NIGHT_OWLS = "night-owls"
VOICES_DROP_IN = "voices-drop-in"

MESSAGES = {
    NIGHT_OWLS: (
        ("moderator", "Evening all, I'm Lewis and I'm on tonight. Kettle's on — how's everyone doing?"),
        ("northern.star", "Bit of a long day. Glad this is open."),
        ("bex", "Same here. Managed a walk at lunchtime, which felt like something."),
        ("tomasz", "First time in here. Just going to read for a bit if that's ok."),
        ("moderator", "Of course, Tomasz. Reading is taking part too. Welcome."),
    ),
    VOICES_DROP_IN: (
        ("kit", "Morning! Anyone else up early?"),
        ("quiet.owl", "Me. Voices were loud overnight but calmer now. Tea and toast helping."),
        ("aisha", "Glad it's calmer. I find mornings are easier too."),
    ),
}


def _person(login: str) -> User | None:
    return User.objects.filter(email=demo_email(login)).first()


def load_rooms(stdout: TextIO | None = None) -> int:
    """Create the demo rooms and their first messages; returns how many rooms were created this time."""
    out = stdout or sys.stdout
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in={VOICES, OPEN_MINDS})}
    if len(organisations) < 2:
        out.write("Skipping chat rooms: load the demo organisations first.\n")
        return 0
    created = 0
    with transaction.atomic():
        night_owls, made = _room(
            organisations[OPEN_MINDS],
            slug=NIGHT_OWLS,
            name="Night Owls",
            description="For when the nights are long. Open 8pm till midnight, with a volunteer moderator on.",
            schedule=RoomSchedule.SCHEDULED,
            offer_slug="night-owls-chat",
            space=None,
        )
        if made:
            for weekday in range(7):
                OpeningHours.objects.create(room=night_owls, weekday=weekday, opens_at=time(20), closes_at=time(23, 59))
        created += made
        drop_in, made = _room(
            organisations[VOICES],
            slug=VOICES_DROP_IN,
            name="Voices drop-in",
            description="An always-open room for Voices Together members. Guests from other groups can read along.",
            schedule=RoomSchedule.ALWAYS_OPEN,
            offer_slug="",
            space=Space.objects.filter(organisation=organisations[VOICES], name="Voices Together Forum").first(),
            guests_can_read=True,
        )
        created += made
        for room in (night_owls, drop_in):
            for n, (login, body) in enumerate(MESSAGES[room.slug]):
                author = _person(login)
                if author is not None:
                    ChatMessage.objects.get_or_create(
                        room=room, author=author, client_msg_id=f"demo-{n}", defaults={"body": body}
                    )
        kit = _person("kit")
        if kit is not None:
            RoomPresence.objects.get_or_create(room=drop_in, user=kit, defaults={"show_name": True})
    out.write(f"Chat rooms: {created} created.\n")
    return created


def _room(organisation: Organisation, *, slug: str, offer_slug: str, **fields: object) -> tuple[Room, int]:
    room = Room.objects.filter(slug=slug).first()
    if room is not None:
        return room, 0
    offer = Offer.objects.filter(slug=offer_slug).first() if offer_slug else None
    return Room.objects.create(organisation=organisation, slug=slug, offer=offer, **fields), 1
