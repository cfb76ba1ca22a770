"""Shared set-up for the groups core tests: a group run by the personas' facilitator, with members."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kindred.accounts.models import User
from kindred.groups import services
from kindred.groups.models import Group, GroupRole, Meeting
from kindred.testing.factories import MembershipFactory, UserFactory
from kindred.testing.personas import Personas

LONDON = ZoneInfo("Europe/London")
RULES = "What's said here stays here.\nEveryone can pass.\nWe listen without fixing."


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def make_group(personas: Personas, *, public: bool = True, name: str = "Riverside Hearing Voices") -> Group:
    return services.group_create(
        actor=personas.facilitator,
        organisation=personas.organisation,
        name=name,
        summary="A friendly group for people who hear voices.",
        town="Manchester",
        is_public=public,
        what_to_expect="We sit in a circle with tea. You can just listen.",
        ground_rules=RULES,
    )


def join(group: Group, person: User) -> None:
    services.group_join(actor=person, group=group, acknowledge_rules=True)


def add_person(personas: Personas, name: str) -> User:
    user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
    MembershipFactory(user=user, organisation=personas.organisation, role="member")
    return user


def weekly(group: Group, personas: Personas, *, weekday: int = 1, at: time = time(19, 0), **extra: object) -> None:
    services.series_create(
        actor=personas.facilitator,
        group=group,
        frequency="weekly",
        weekday=weekday,
        start_time=at,
        starts_on=extra.pop("starts_on", date.today()),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def make_role(group: Group, person: User, role: str) -> None:
    membership = group.memberships.get(person=person)
    membership.role = role
    membership.save(update_fields=["role"])
    if role in (GroupRole.FACILITATOR, GroupRole.CO_FACILITATOR):
        services.engagement_record(
            person=person, subject=group, form="group", role="facilitating", organisation=group.organisation
        )


def next_meeting(group: Group) -> Meeting:
    return group.meetings.order_by("starts_at").first()
