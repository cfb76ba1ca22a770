"""Reads for groups. Views, the API and calendar feeds call these; access is checked before."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kindred.accounts.models import User
from kindred.directory.places import haversine_km

from .models import (
    FACILITATING_ROLES,
    RSVP,
    Attendance,
    FirstVisitChat,
    FollowUpPrompt,
    FollowUpStatus,
    Group,
    GroupMembership,
    GroupStatus,
    HandoverNote,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    RotaSlot,
    RSVPAnswer,
)

LIVE = [MeetingStatus.SCHEDULED, MeetingStatus.MOVED]


def memberships_of(user: User) -> QuerySet[GroupMembership]:
    """The person's groups: active and paused (left ones are history)."""
    return (
        GroupMembership.objects.filter(person=user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("group", "group__organisation")
        .order_by("group__name")
    )


def next_meetings_by_group(group_ids: list[int], *, now: datetime | None = None) -> dict[int, Meeting]:
    now = now or timezone.now()
    out: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(group_id__in=group_ids, starts_at__gte=now, status__in=LIVE)
        .select_related("group", "series")
        .order_by("starts_at")[: len(group_ids) * 60]
    ):
        out.setdefault(meeting.group_id, meeting)
    return out


def upcoming_meetings(group: Group, *, limit: int = 8, now: datetime | None = None) -> list[Meeting]:
    """Coming meetings, cancelled ones included (shown as cancelled so nobody turns up to a locked door)."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(group=group, ends_at__gte=now)
        .select_related("group", "series")
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__answer=RSVPAnswer.GOING, rsvps__waitlist_position__isnull=True)),
            waiting=Count("rsvps", filter=Q(rsvps__waitlist_position__isnull=False)),
        )
        .order_by("starts_at")[:limit]
    )


def rsvps_of(user: User, meetings: list[Meeting]) -> dict[int, RSVP]:
    if not user.is_authenticated or not meetings:
        return {}
    return {r.meeting_id: r for r in RSVP.objects.filter(person=user, meeting__in=meetings)}


def rsvp_summary(meeting: Meeting) -> dict[str, int]:
    counts = dict(
        RSVP.objects.filter(meeting=meeting, waitlist_position__isnull=True)
        .values_list("answer")
        .annotate(n=Count("id"))
    )
    return {
        "going": counts.get(RSVPAnswer.GOING, 0),
        "maybe": counts.get(RSVPAnswer.MAYBE, 0),
        "cant": counts.get(RSVPAnswer.CANT, 0),
        "waiting": RSVP.objects.filter(meeting=meeting, waitlist_position__isnull=False).count(),
    }


def members_of(group: Group) -> list[GroupMembership]:
    return list(
        GroupMembership.objects.filter(group=group)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("person")
        .order_by("-role", "person__display_name")
    )


def leaders_of(group: Group) -> list[GroupMembership]:
    return [m for m in members_of(group) if m.status == MembershipStatus.ACTIVE and m.role != "member"]


@dataclass
class SheetRow:
    membership: GroupMembership
    rsvp: str
    present: bool
    first_visit: bool
    marked: bool


def attendance_sheet(meeting: Meeting) -> list[SheetRow]:
    """Everyone who might be there: members, with their answer and whether this looks like a first visit."""
    members = members_of(meeting.group)
    answers = dict(RSVP.objects.filter(meeting=meeting).values_list("person_id", "answer"))
    marked = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    been_before = set(
        Attendance.objects.filter(meeting__group=meeting.group, present=True, meeting__starts_at__lt=meeting.starts_at)
        .values_list("person_id", flat=True)
        .distinct()
    )
    rows = []
    for m in members:
        row = marked.get(m.person_id)
        rows.append(
            SheetRow(
                membership=m,
                rsvp=answers.get(m.person_id, ""),
                present=row.present if row else answers.get(m.person_id) == RSVPAnswer.GOING,
                first_visit=row.first_visit if row else m.person_id not in been_before,
                marked=row is not None,
            )
        )
    rows.sort(key=lambda r: (r.rsvp != RSVPAnswer.GOING, r.membership.person.display_name.lower()))
    return rows


def round_people(meeting: Meeting) -> list[dict[str, Any]]:
    ids = meeting.round_order or []
    people = {str(u.public_id): u for u in User.objects.filter(public_id__in=ids)}
    passed = set(meeting.round_passed or [])
    out = []
    for index, pid in enumerate(ids):
        person = people.get(pid)
        out.append(
            {
                "name": person.display_name if person else "Someone who has left",
                "done": index < meeting.round_position,
                "current": index == meeting.round_position,
                "passed": pid in passed,
            }
        )
    return out


def rota(group: Group, *, weeks: int = 8, now: datetime | None = None) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            group=group, starts_at__gte=now, starts_at__lte=now + timedelta(weeks=weeks), status__in=LIVE
        )
        .select_related("series", "group")
        .prefetch_related(Prefetch("rota", queryset=RotaSlot.objects.select_related("facilitator")))
        .order_by("starts_at")
    )


def rota_slot_of(meeting: Meeting) -> RotaSlot | None:
    try:
        return meeting.rota
    except RotaSlot.DoesNotExist:
        return None


def facilitators_of(group: Group) -> list[User]:
    return [
        m.person
        for m in GroupMembership.objects.filter(
            group=group, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
        ).select_related("person")
    ]


def handover_notes(group: Group, *, limit: int = 20) -> list[HandoverNote]:
    return list(HandoverNote.objects.filter(group=group).select_related("author", "recipient")[:limit])


def follow_ups_for(user: User) -> list[FollowUpPrompt]:
    return list(
        FollowUpPrompt.objects.filter(prompted=user, status=FollowUpStatus.PENDING)
        .select_related("group", "meeting", "newcomer")
        .order_by("-created_at")
    )


def first_visit_chats_for(user: User) -> list[FirstVisitChat]:
    return list(
        FirstVisitChat.objects.filter(helper=user, status__in=["requested", "arranged"])
        .select_related("group", "person")
        .order_by("-created_at")
    )


def person_meetings(user: User, *, start: datetime, end: datetime) -> QuerySet[Meeting]:
    """Meetings of the groups a person is an active member of (their private calendar)."""
    group_ids = GroupMembership.objects.filter(person=user, status=MembershipStatus.ACTIVE).values("group_id")
    return (
        Meeting.objects.filter(group_id__in=group_ids, starts_at__gte=start, starts_at__lte=end)
        .select_related("group", "series")
        .order_by("starts_at")
    )


def public_groups() -> QuerySet[Group]:
    return Group.objects.filter(is_public=True).exclude(status=GroupStatus.CLOSED)


def groups_near(*, latitude: float, longitude: float, radius_km: float) -> dict[int, float]:
    """Public, running groups whose place is within `radius_km`: {group id: distance in km}.

    A bounding box on the offer's indexed coordinates narrows it in SQL; haversine decides in Python.
    """
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(0.1, math.cos(math.radians(latitude))))
    rows = Group.objects.filter(
        is_public=True,
        status__in=[GroupStatus.ACTIVE, GroupStatus.CLOSING],
        offer__latitude__gte=latitude - dlat,
        offer__latitude__lte=latitude + dlat,
        offer__longitude__gte=longitude - dlon,
        offer__longitude__lte=longitude + dlon,
    ).values_list("id", "offer__latitude", "offer__longitude")
    found = {}
    for group_id, lat, lon in rows:
        distance = haversine_km(latitude, longitude, lat, lon)
        if distance <= radius_km:
            found[group_id] = distance
    return found


NEAR_LIMIT = 50


def meetings_near(
    *, latitude: float, longitude: float, radius_km: float, start: datetime, end: datetime, limit: int = NEAR_LIMIT
) -> list[tuple[Meeting, float]]:
    """The soonest meetings in a window of public groups within `radius_km`, with their distances."""
    near = groups_near(latitude=latitude, longitude=longitude, radius_km=radius_km)
    if not near:
        return []
    meetings = (
        Meeting.objects.filter(group_id__in=list(near), starts_at__gte=start, starts_at__lt=end, status__in=LIVE)
        .select_related("group")
        .only("public_id", "starts_at", "ends_at", "status", "delivery", "place", "group__slug", "group__name")
        .order_by("starts_at")[:limit]
    )
    return [(meeting, near[meeting.group_id]) for meeting in meetings]


def online_meetings(*, start: datetime, end: datetime, limit: int = 30) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=LIVE,
            delivery__in=["video", "hybrid"],
            group__is_public=True,
            group__status__in=[GroupStatus.ACTIVE, GroupStatus.CLOSING],
        )
        .select_related("group")
        .only("public_id", "starts_at", "status", "delivery", "place", "group__slug", "group__name")
        .order_by("starts_at")[:limit]
    )
