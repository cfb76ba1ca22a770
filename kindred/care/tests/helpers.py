"""Set-up for the care tests: a group the facilitator runs with a co-facilitator, and a PSW scheme with a match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from kindred.groups.models import Group, GroupRole, Meeting, RotaSlot
from kindred.groups.tests.core_helpers import add_person, join, make_group, make_role
from kindred.onetoone.models import Session, SupporterProfile
from kindred.onetoone.tests.practice_fixtures import make_world
from kindred.testing.personas import PASSWORD, Personas


@dataclass
class Care:
    p: Personas
    group: Group
    co: Any  # co-facilitator of the group
    past: Meeting
    soon: Meeting  # in 3 days, facilitator on the rota
    later: Meeting  # in 40 days, facilitator on the rota
    session: Session
    world: Any


def make_care(personas: Personas) -> Care:
    group = make_group(personas)
    co = add_person(personas, "cofac")
    join(group, co)
    make_role(group, co, GroupRole.CO_FACILITATOR)
    join(group, personas.member)
    now = timezone.now()

    def meeting(days: int) -> Meeting:
        starts = now + timedelta(days=days)
        return Meeting.objects.create(group=group, starts_at=starts, ends_at=starts + timedelta(hours=2))

    past, soon, later = meeting(-1), meeting(3), meeting(40)
    for m in (soon, later):
        RotaSlot.objects.create(meeting=m, facilitator=personas.facilitator)
    world = make_world(personas)
    session = Session.objects.create(
        match=world.match,
        starts_at=now - timedelta(days=1),
        duration_minutes=60,
        channel="video",
        status="held",
        logged_by=personas.psw,
    )
    SupporterProfile.objects.create(user=personas.psw, scheme=world.scheme, status="available")
    SupporterProfile.objects.create(user=personas.facilitator, scheme=world.scheme, status="full")
    return Care(p=personas, group=group, co=co, past=past, soon=soon, later=later, session=session, world=world)


def login(client: Any, user: Any) -> Any:
    client.logout()
    assert client.login(email=user.email, password=PASSWORD)
    return client
