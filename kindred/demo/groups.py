"""Demo groups: three groups on existing demo listings, each with a year of meetings, attendance, roles,
a noticeboard, newsletters and a small ledger — and one group that has closed, so its archive can be seen.

Built through the groups services (joining, roles, schedules, attendance, ledger, newsletter, closure), so
the demo shows what normal use produces: the funder report for any of them is meaningful straight away.
Idempotent: a group that already exists (looked up by its listing's slug) is left alone.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.directory.models import Offer
from kindred.groups import closure, funds, recurrence, services, stay
from kindred.groups.access import viewer_for
from kindred.groups.models import (
    Attendance,
    Frequency,
    Group,
    GroupMembership,
    GroupRole,
    Meeting,
    MeetingKind,
    MeetingSeries,
    RotaSlot,
)

from .world import DEMO_DOMAIN


def _person(login: str) -> User | None:
    return User.objects.filter(email=f"{login}@{DEMO_DOMAIN}").first()


@dataclass(frozen=True)
class DemoGroup:
    offer_slug: str
    facilitator: str
    co_facilitator: str
    buddy: str
    treasurer: str
    members: tuple[str, ...]
    frequency: str
    weekday: int
    start: time
    nth: int | None = None
    closes: bool = False
    rules: str = (
        "What's said here stays here. Everyone gets a turn and anyone can pass. We listen without fixing. "
        "Your experience is yours to describe in your own words."
    )
    what_to_expect: str = (
        "Someone will say hello at the door. We start with a round: your name (any name) and how your week has "
        "been. You can pass, and you can just listen for as long as you like."
    )


GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        offer_slug="bolton-hearing-voices",
        facilitator="facilitator",
        co_facilitator="rob",
        buddy="peer",
        treasurer="kit",
        members=("member", "quiet.owl", "aisha", "pete", "grace", "stephen", "priya", "ffion"),
        frequency=Frequency.WEEKLY,
        weekday=3,
        start=time(18, 30),
    ),
    DemoGroup(
        offer_slug="north-shields-low-mood-evening",
        facilitator="yvonne",
        co_facilitator="ahmed",
        buddy="bex",
        treasurer="chris",
        members=("member", "northern.star", "tomasz", "lily", "elsie", "moderator"),
        frequency=Frequency.FORTNIGHTLY,
        weekday=1,
        start=time(19, 0),
    ),
    DemoGroup(
        offer_slug="wigan-hearing-voices",
        facilitator="rob",
        co_facilitator="",
        buddy="grace",
        treasurer="",
        members=("pete", "stephen", "quiet.owl", "aisha"),
        frequency=Frequency.MONTHLY_NTH,
        weekday=0,
        nth=1,
        start=time(13, 30),
        closes=True,
    ),
)

BOARD = (
    "Anyone walking up to the hall from the bus station on Thursday? Happy to meet at the stop.",
    "Thank you all for last week. I didn't say much but it helped to be there.",
    "The library has a free mindfulness taster on Saturday morning if anyone fancies it.",
)


def load_groups(stdout: TextIO | None = None) -> int:
    """Create the demo groups that aren't there yet. Returns how many were created."""
    out = stdout or sys.stdout
    created = 0
    for spec in GROUPS:
        offer = Offer.objects.filter(slug=spec.offer_slug).select_related("organisation").first()
        if (
            offer is None
            or Group.objects.filter(offer=offer).exists()
            or Group.objects.filter(slug=offer.slug).exists()
        ):
            continue
        facilitator = _person(spec.facilitator)
        if facilitator is None:
            continue
        with transaction.atomic():
            _load_one(spec, offer, facilitator)
        created += 1
    out.write(f"Demo groups ready: {created} created ({len(GROUPS)} in all, one of them closed).\n")
    return created


def _load_one(spec: DemoGroup, offer: Offer, facilitator: User) -> Group:
    rng = random.Random(spec.offer_slug)  # noqa: S311 - demo data, repeatable
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    group = Group.objects.create(
        slug=offer.slug,
        organisation=offer.organisation,
        offer=offer,
        name=offer.title,
        is_grassroots=offer.is_grassroots,
        what_to_expect=spec.what_to_expect,
        created_by=facilitator,
    )
    services._join(group=group, person=facilitator, role=GroupRole.FACILITATOR)
    services.ground_rules_publish(actor=facilitator, group=group, text=spec.rules)
    services.ground_rules_acknowledge(actor=facilitator, group=group)

    people = [p for p in (_person(login) for login in spec.members) if p is not None]
    helpers = {
        role: _person(login)
        for role, login in (("co", spec.co_facilitator), ("buddy", spec.buddy), ("treasurer", spec.treasurer))
        if login
    }
    for person in [*people, *[h for h in helpers.values() if h is not None]]:
        if not GroupMembership.objects.filter(group=group, person=person).exists():
            services.group_join(actor=person, group=group, acknowledge_rules=True)
    # Everyone has been coming for a while: spread their joining dates over the year.
    for index, membership in enumerate(GroupMembership.objects.filter(group=group).order_by("id")):
        joined = timezone.now() - timedelta(days=365 - min(index * 20, 300) if index else 400)
        GroupMembership.objects.filter(pk=membership.pk).update(joined_at=joined)

    def set_role(person: User | None, role: str, committee: str = "") -> None:
        if person is None:
            return
        membership = GroupMembership.objects.get(group=group, person=person)
        services.membership_role_set(actor=facilitator, membership=membership, role=role, committee_role=committee)

    set_role(helpers.get("co"), GroupRole.CO_FACILITATOR)
    set_role(helpers.get("buddy"), GroupRole.WELCOME_BUDDY)
    set_role(helpers.get("treasurer"), GroupRole.MEMBER, "treasurer")
    set_role(facilitator, GroupRole.FACILITATOR, "chair")

    # The regular meeting: the past year as it happened, and the year ahead from the schedule.
    series = services.series_create(
        actor=facilitator,
        group=group,
        frequency=spec.frequency,
        weekday=spec.weekday,
        nth=spec.nth,
        start_time=spec.start,
        starts_on=year_ago,
        place=offer.venue_name,
    )
    past = [
        Meeting(
            group=group,
            series=series,
            slot=slot,
            kind=MeetingKind.MEETING,
            starts_at=slot,
            ends_at=slot + timedelta(minutes=series.duration_minutes),
            place=series.place,
        )
        for slot in recurrence.occurrences(recurrence.Rule.of(series), year_ago, today - timedelta(days=1))
    ]
    Meeting.objects.bulk_create(past, ignore_conflicts=True)
    held = list(Meeting.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("starts_at"))
    if held:
        cancelled = held[len(held) // 2]
        # History, not a change to tell anyone about: one meeting last year didn't happen.
        Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled", change_note="The hall was double-booked.")
        held.remove(cancelled)

    leaders = [facilitator, *[h for h in (helpers.get("co"),) if h is not None]]
    everyone = list(GroupMembership.objects.filter(group=group).select_related("person"))
    seen: set[int] = set()
    for meeting in held:
        marks: dict[object, tuple[bool, bool]] = {}
        for membership in everyone:
            if membership.joined_at > meeting.starts_at:
                continue
            regular = membership.person in leaders or rng.random() < 0.7
            if regular:
                marks[membership.person.public_id] = (True, membership.person_id not in seen)
                seen.add(membership.person_id)
        if marks:
            services.attendance_mark(actor=facilitator, meeting=meeting, marks=marks)
        RotaSlot.objects.update_or_create(meeting=meeting, defaults={"facilitator": rng.choice(leaders)})
    Attendance.objects.filter(meeting__group=group, marked_by__isnull=True).update(marked_by=facilitator)

    # Between meetings: the noticeboard and a newsletter.
    viewer_of = {m.person_id: viewer_for(m.person, group) for m in everyone}
    for person, text in zip([m.person for m in everyone[1:4]], BOARD, strict=False):
        stay.board_post_add(actor=person, viewer=viewer_of[person.pk], body=text)
    writer = everyone[-1].person
    stay.newsletter_item_submit(
        actor=writer,
        viewer=viewer_of[writer.pk],
        title="A walk by the canal",
        body="Five of us walked from the lock to the café last Sunday. Slow pace, lots of chat, and cake.",
    )
    boss = viewer_for(facilitator, group)
    stay.issue_draft_save(
        actor=facilitator, viewer=boss, title="News from the group", introduction="Hello everyone — a short update."
    )
    for item in stay.submitted_items(group):
        stay.item_edit(actor=facilitator, viewer=boss, item=item, title=item.title, body=item.body, decision="include")
    stay.issue_send(actor=facilitator, viewer=boss)

    # A small year of money: a grant, hall hire each quarter, tea and biscuits, a travel refund.
    def money(direction: str, category: str, pounds: int, days_ago: int, note: str) -> None:
        funds.ledger_entry_add(
            actor=facilitator,
            viewer=boss,
            direction=direction,
            category=category,
            amount_pence=pounds * 100,
            on=today - timedelta(days=days_ago),
            note=note,
        )

    money("income", "grant", 600, 350, "Community foundation small grant")
    for quarter in range(4):
        money("spending", "room_hire", 90, 340 - quarter * 90, "Hall hire for the quarter")
        money("spending", "refreshments", 18 + quarter * 2, 330 - quarter * 90, "Tea, milk and biscuits")
    money("income", "donations", 35, 200, "Pot on the tea table")
    money("spending", "travel", 12, 120, "Bus fare refund for a member")

    if spec.closes:
        closure.group_close(
            actor=facilitator,
            viewer=viewer_for(facilitator, group),
            message=(
                "After four good years we've decided to close. Thank you for every Monday. Bolton's group is "
                "a short bus ride away, and several of us will be going."
            ),
        )
    return group


# Kept for tests: the series and meeting counts a year of each frequency should give.
def expected_past_meetings(spec: DemoGroup, today: date) -> int:
    series = MeetingSeries(
        frequency=spec.frequency,
        weekday=spec.weekday,
        nth=spec.nth,
        start_time=spec.start,
        starts_on=today - timedelta(days=365),
        timezone="Europe/London",
    )
    return len(
        recurrence.occurrences(recurrence.Rule.of(series), today - timedelta(days=365), today - timedelta(days=1))
    )
