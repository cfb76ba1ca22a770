"""Shared set-up for the staying-in-touch, funds, report and closure tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from kindred.accounts.models import User
from kindred.groups import services
from kindred.groups.models import Attendance, Group, GroupRole, Meeting
from kindred.organisations.models import Role
from kindred.testing.factories import MembershipFactory, UserFactory
from kindred.testing.personas import Personas


def make_group(
    personas: Personas, *, name: str = "Riverside Tuesday Group", public: bool = True, **extra: Any
) -> Group:
    """A group run by the facilitator persona, with the member and peer personas in it."""
    group = services.group_create(
        actor=personas.facilitator,
        organisation=personas.organisation,
        name=name,
        summary="A friendly peer support group.",
        is_public=public,
        town=extra.pop("town", "Leeds"),
        **extra,
    )
    for person in (personas.member, personas.peer):
        join(group, person)
    return group


def join(group: Group, person: User, role: str = GroupRole.MEMBER) -> None:
    membership = services._join(group=group, person=person, role=role)
    membership.joined_at = timezone.now() - timedelta(days=400)
    membership.save(update_fields=["joined_at"])


def new_person(personas: Personas, name: str) -> User:
    user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
    MembershipFactory(user=user, organisation=personas.organisation, role=Role.MEMBER)
    return user


def past_meeting(group: Group, *, days_ago: float, cancelled: bool = False) -> Meeting:
    starts = timezone.now() - timedelta(days=days_ago)
    return Meeting.objects.create(
        group=group,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        status="cancelled" if cancelled else "scheduled",
    )


def meeting_at(group: Group, starts: datetime, *, cancelled: bool = False) -> Meeting:
    return Meeting.objects.create(
        group=group,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        status="cancelled" if cancelled else "scheduled",
    )


def present(meeting: Meeting, *people: User, first_visit: bool = False) -> None:
    for person in people:
        Attendance.objects.create(meeting=meeting, person=person, present=True, first_visit=first_visit)


def text(response: Any) -> str:
    """The page as a person reads it: entities like &#x27; turned back into characters."""
    import html

    return html.unescape(response.content.decode())
