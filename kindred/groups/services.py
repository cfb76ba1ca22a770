"""Writes for groups: membership, ground rules, meetings, RSVP, first visits and facilitation.

Every function is keyword-only, checks who is acting, runs in one transaction and tells people through
the reach gate (`kindred.commons.reach`, which sends email after commit, outside quiet hours), with the kinds in
`kindred.groups.messages`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.commons.models import EndReason, EngagementRole, Form, Rules, RulesAcknowledgement
from kindred.commons.rules import has_acknowledged, rules_acknowledge, rules_current, rules_publish
from kindred.commons.spine import engagement_end, engagement_record, engagement_touch
from kindred.core.errors import AppError
from kindred.core.hashing import keyed_digest, new_token
from kindred.core.services import audit_record
from kindred.core.slugs import unique_slug
from kindred.core.zones import zone_named
from kindred.directory.models import Offer, OfferKind, OfferStatus, OfferTime
from kindred.directory.places import find_place
from kindred.organisations.models import Membership, Organisation, Role
from kindred.organisations.selectors import roles_in

from . import recurrence
from .access import Viewer, viewer_for
from .messages import (
    ADDED,
    FIRST_VISIT_CHAT,
    FOLLOW_UP,
    FOLLOW_UP_MESSAGE,
    GROUND_RULES,
    HANDOVER,
    INCIDENT,
    MEETING_CANCELLED,
    MEETING_MOVED,
    NO_FACILITATOR,
    ROTA_GAP,
    SERIES_CHANGED,
    WAITLIST_PLACE,
)
from .models import (
    FACILITATING_ROLES,
    RSVP,
    Attendance,
    CalendarToken,
    CommitteeRole,
    FacilitatorNote,
    FirstVisitChat,
    FollowUpPrompt,
    FollowUpStatus,
    Frequency,
    Group,
    GroupMembership,
    GroupRole,
    GroupStatus,
    HandoverNote,
    IncidentNote,
    Meeting,
    MeetingDelivery,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MembershipStatus,
    RotaSlot,
    RSVPAnswer,
)

HORIZON_DAYS = 366  # meetings are expanded a year ahead
ROTA_LOOKAHEAD_DAYS = 14
FOLLOW_UP_WINDOW_DAYS = 3  # a missed daily run still prompts, for a few days
CALENDAR_PURPOSE = "groups.calendar"


class GroupError(AppError):
    """A kind, plain message for the person; nothing was changed."""


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _forbid(message: str = "Only the group's facilitators can do that.") -> GroupError:
    return GroupError(message, code="forbidden")


def _require_facilitator(actor: User, group: Group) -> Viewer:
    viewer = viewer_for(actor, group)
    if not viewer.can_facilitate:
        raise _forbid()
    return viewer


def _require_open(group: Group) -> None:
    if group.status == GroupStatus.CLOSED:
        raise GroupError("This group has closed, so nothing more can be changed here.", code="closed")


def _facilitators(group: Group) -> list[User]:
    return [
        m.person
        for m in GroupMembership.objects.filter(
            group=group, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
        ).select_related("person")
    ]


def _active_members(group: Group) -> list[User]:
    return [
        m.person
        for m in GroupMembership.objects.filter(group=group, status=MembershipStatus.ACTIVE).select_related("person")
    ]


def _coordinators(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.COORDINATOR, is_active=True
        ).distinct()
    )


# --- Groups and membership -----------------------------------------------------------------------------------


# Path segments the groups URLs use for themselves: a group can't be called these.
RESERVED_SLUGS = frozenset(
    {"new", "mine", "this-week", "follow-ups", "first-chats", "calendar", "meetings", "newsletter-unsubscribe"}
)


def _slug_taken(slug: str) -> bool:
    return (
        slug in RESERVED_SLUGS or Offer.objects.filter(slug=slug).exists() or Group.objects.filter(slug=slug).exists()
    )


def can_start_group(actor: User, organisation: Organisation) -> bool:
    if not actor.is_authenticated:
        return False
    return actor.is_superuser or bool(roles_in(actor, organisation) & {Role.COORDINATOR, Role.FACILITATOR})


def group_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    summary: str,
    description: str = "",
    delivery: str = MeetingDelivery.IN_PERSON,
    venue_name: str = "",
    address: str = "",
    town: str = "",
    postcode: str = "",
    is_public: bool = True,
    is_grassroots: bool = False,
    what_to_expect: str = "",
    ground_rules: str = "",
    experience_focus: str = "",
) -> Group:
    """Start a group and list it in the directory. The person starting it becomes its facilitator."""
    if not can_start_group(actor, organisation):
        raise GroupError(
            "Only coordinators and facilitators of this organisation can start a group here.", code="forbidden"
        )
    name = (name or "").strip()
    if not name:
        raise GroupError("Please give the group a name.")
    if delivery not in MeetingDelivery.values:
        raise GroupError("Please choose how the group meets.")
    place = find_place(postcode or town) if (postcode or town) else None
    with transaction.atomic():
        slug = unique_slug(name, taken=_slug_taken, fallback="group")
        offer = Offer.objects.create(
            slug=slug,
            organisation=organisation,
            kind=OfferKind.GROUP,
            delivery=delivery,
            title=name[:150],
            summary=(summary or name)[:300],
            description=description or summary or name,
            venue_name=venue_name,
            address=address,
            town=town,
            postcode=postcode,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            region=place.region if place else organisation.region,
            first_visit=what_to_expect[:2000],
            # A private group is not listed publicly; it is running, so never "archived" (that means closed).
            status=OfferStatus.PUBLISHED if is_public else OfferStatus.UNLISTED,
            is_grassroots=is_grassroots,
            listed_by=actor,
            experience_focus=experience_focus[:150],
            last_confirmed_at=timezone.now(),
        )
        offer.managers.add(actor)
        group = Group.objects.create(
            slug=slug,
            organisation=organisation,
            offer=offer,
            name=name[:150],
            is_public=is_public,
            is_grassroots=is_grassroots,
            what_to_expect=what_to_expect,
            created_by=actor,
        )
        _join(group=group, person=actor, role=GroupRole.FACILITATOR)
        if ground_rules.strip():
            rules_publish(actor=actor, subject=group, text=ground_rules.strip())
        audit_record(actor=actor, action="group.created", subject=group, organisation=organisation)
    return group


def current_rules(group: Group) -> Rules | None:
    return rules_current(group)


def _join(*, group: Group, person: User, role: str = GroupRole.MEMBER) -> GroupMembership:
    now = timezone.now()
    membership, _ = GroupMembership.objects.update_or_create(
        group=group,
        person=person,
        defaults={
            "status": MembershipStatus.ACTIVE,
            "role": role,
            "joined_at": now,
            "paused_at": None,
            "left_at": None,
        },
    )
    _record_engagements(membership)
    return membership


def _record_engagements(membership: GroupMembership) -> None:
    group = membership.group
    engagement_record(
        person=membership.person,
        subject=group,
        form=Form.GROUP,
        role=EngagementRole.RECEIVING,
        organisation=group.organisation,
    )
    if membership.role in FACILITATING_ROLES:
        engagement_record(
            person=membership.person,
            subject=group,
            form=Form.GROUP,
            role=EngagementRole.FACILITATING,
            organisation=group.organisation,
        )


def group_join(*, actor: User, group: Group, acknowledge_rules: bool = False) -> GroupMembership:
    """Join (or come back to) a group. A private group is joined by being added by a facilitator."""
    if not actor.is_authenticated:
        raise GroupError("Please sign in to join a group.", code="forbidden")
    _require_open(group)
    if group.status == GroupStatus.CLOSING:
        raise GroupError("This group is closing soon, so it isn't taking new members.", code="closed")
    existing = GroupMembership.objects.filter(group=group, person=actor).first()
    if existing and existing.status == MembershipStatus.ACTIVE:
        return existing
    if not group.is_public and existing is None:
        raise GroupError("This is a private group: a facilitator can add you.", code="forbidden")
    rules = current_rules(group)
    if rules is not None and not acknowledge_rules:
        raise GroupError("Please read the ground rules and tick the box to say you'll keep to them.")
    with transaction.atomic():
        if existing and existing.status == MembershipStatus.PAUSED:
            return _resume(existing)
        membership = _join(group=group, person=actor)
        if rules is not None:
            rules_acknowledge(person=actor, rules=rules)
    return membership


def _no_facilitator_warning(group: Group, had_facilitators: bool) -> None:
    """The last facilitator stepped back: tell the coordinators before the group quietly stops."""
    if not had_facilitators or group.status == GroupStatus.CLOSED or _facilitators(group):
        return
    reach.send_to_team(
        people=list(_coordinators(group.organisation)),
        kind=NO_FACILITATOR,
        title=f"{group.name} has no facilitator now",
        body=(
            f"The last facilitator of {group.name} has stepped back. Without someone to run it, the group may "
            "stop meeting. Could someone step in, or should the group close well?"
        ),
        url=_url("groups:members", group.slug),
        email=True,
    )


def _resume(membership: GroupMembership) -> GroupMembership:
    membership.status = MembershipStatus.ACTIVE
    membership.paused_at = None
    membership.save(update_fields=["status", "paused_at"])
    _record_engagements(membership)
    return membership


def group_pause(*, actor: User, group: Group) -> GroupMembership:
    """Take a break. The place is kept; engagements end with the reason "paused"."""
    membership = GroupMembership.objects.filter(group=group, person=actor, status=MembershipStatus.ACTIVE).first()
    if membership is None:
        raise GroupError("You're not an active member of this group.")
    had = bool(_facilitators(group))
    with transaction.atomic():
        membership.status = MembershipStatus.PAUSED
        membership.paused_at = timezone.now()
        membership.save(update_fields=["status", "paused_at"])
        engagement_end(person=actor, subject=group, reason=EndReason.PAUSED)
        _no_facilitator_warning(group, had)
    return membership


def group_resume(*, actor: User, group: Group) -> GroupMembership:
    _require_open(group)
    membership = GroupMembership.objects.filter(group=group, person=actor, status=MembershipStatus.PAUSED).first()
    if membership is None:
        raise GroupError("You're not taking a break from this group.")
    with transaction.atomic():
        return _resume(membership)


def group_leave(*, actor: User, group: Group) -> GroupMembership:
    membership = GroupMembership.objects.filter(group=group, person=actor).exclude(status=MembershipStatus.LEFT).first()
    if membership is None:
        raise GroupError("You're not a member of this group.")
    had = bool(_facilitators(group))
    with transaction.atomic():
        membership.status = MembershipStatus.LEFT
        membership.left_at = timezone.now()
        membership.role = GroupRole.MEMBER
        membership.committee_role = CommitteeRole.NONE
        membership.save(update_fields=["status", "left_at", "role", "committee_role"])
        engagement_end(person=actor, subject=group, reason=EndReason.LEFT)
        RotaSlot.objects.filter(meeting__group=group, meeting__starts_at__gt=timezone.now(), facilitator=actor).update(
            facilitator=None, gap_notified_at=None
        )
        _no_facilitator_warning(group, had)
    return membership


def follow_up_preference_set(*, actor: User, group: Group, opt_out: bool) -> GroupMembership:
    membership = GroupMembership.objects.filter(group=group, person=actor).first()
    if membership is None:
        raise GroupError("You're not a member of this group.")
    membership.follow_up_opt_out = opt_out
    membership.save(update_fields=["follow_up_opt_out"])
    return membership


def group_member_add(*, actor: User, group: Group, email: str) -> GroupMembership:
    """A facilitator adds someone (the way into a private group). They must already have a Kindred account."""
    _require_facilitator(actor, group)
    _require_open(group)
    person = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if person is None:
        raise GroupError("We couldn't find anyone with that email address on Kindred. They can sign up first.")
    existing = GroupMembership.objects.filter(group=group, person=person).first()
    if existing and existing.status == MembershipStatus.ACTIVE:
        return existing
    with transaction.atomic():
        membership = _resume(existing) if existing and existing.status == MembershipStatus.PAUSED else None
        membership = membership or _join(group=group, person=person)
        if not Membership.objects.filter(user=person, organisation=group.organisation).exists():
            Membership.objects.create(user=person, organisation=group.organisation, role=Role.MEMBER)
        audit_record(actor=actor, action="group.member_added", subject=membership, organisation=group.organisation)
        reach.send(
            to=person,
            kind=ADDED,
            sender=actor,
            title=f"You've been added to {group.name}",
            body="You can see the group's meetings and ground rules on its page.",
            url=_url("groups:detail", group.slug),
            email=True,
        )
    return membership


def membership_role_set(
    *, actor: User, membership: GroupMembership, role: str, committee_role: str = ""
) -> GroupMembership:
    """Change someone's role in the group. Facilitating roles record an Engagement (group, facilitating)."""
    group = membership.group
    _require_facilitator(actor, group)
    if role not in GroupRole.values or committee_role not in CommitteeRole.values:
        raise GroupError("Please choose a role from the list.")
    if membership.status == MembershipStatus.LEFT:
        raise GroupError("This person has left the group.")
    had = bool(_facilitators(group))
    before = membership.role
    with transaction.atomic():
        membership.role = role
        membership.committee_role = committee_role
        membership.save(update_fields=["role", "committee_role"])
        if membership.status == MembershipStatus.ACTIVE:
            if role in FACILITATING_ROLES:
                engagement_record(
                    person=membership.person,
                    subject=group,
                    form=Form.GROUP,
                    role=EngagementRole.FACILITATING,
                    organisation=group.organisation,
                )
            elif before in FACILITATING_ROLES:
                engagement_end(
                    person=membership.person,
                    subject=group,
                    reason=EndReason.MOVED_ON,
                    form=Form.GROUP,
                    role=EngagementRole.FACILITATING,
                )
        audit_record(
            actor=actor,
            action="group.role_changed",
            subject=membership,
            organisation=group.organisation,
            detail={"from": before, "to": role, "committee": committee_role},
        )
        _no_facilitator_warning(group, had)
    return membership


# --- Ground rules ---------------------------------------------------------------------------------------------


def ground_rules_publish(*, actor: User, group: Group, text: str) -> Rules:
    """A new version. Every active member is asked to read and acknowledge it again."""
    _require_facilitator(actor, group)
    _require_open(group)
    text = (text or "").strip()
    if not text:
        raise GroupError("Please write the ground rules.")
    with transaction.atomic():
        current = current_rules(group)
        if current is not None and current.text == text:
            raise GroupError("These are the same as the current ground rules, so nothing has changed.")
        rules = rules_publish(actor=actor, subject=group, text=text)
        audit_record(actor=actor, action="group.ground_rules", subject=group, detail={"version": rules.version})
        for person in _active_members(group):
            if person.pk != actor.pk:
                reach.send(
                    to=person,
                    kind=GROUND_RULES,
                    sender=actor,
                    title=f"{group.name} has updated its ground rules",
                    body="Please have a read and let the group know you've seen them.",
                    url=_url("groups:rules", group.slug),
                )
    return rules


def ground_rules_acknowledge(*, actor: User, group: Group) -> RulesAcknowledgement:
    rules = current_rules(group)
    if rules is None:
        raise GroupError("This group hasn't written ground rules yet.")
    if not GroupMembership.objects.filter(group=group, person=actor).exclude(status=MembershipStatus.LEFT).exists():
        raise GroupError("Please join the group first.")
    return rules_acknowledge(person=actor, rules=rules)


def needs_rules_acknowledgement(group: Group, person: User) -> bool:
    rules = current_rules(group)
    return rules is not None and not has_acknowledged(person, rules)


# --- Meetings -------------------------------------------------------------------------------------------------


def _check_delivery(delivery: str, video_link: str, place: str) -> None:
    if delivery not in MeetingDelivery.values:
        raise GroupError("Please choose in person, by video, or both.")
    if video_link and not video_link.startswith("https://"):
        raise GroupError("The video link should start with https://.")


def series_create(
    *,
    actor: User,
    group: Group,
    frequency: str,
    weekday: int,
    start_time: time,
    starts_on: date,
    nth: int | None = None,
    ends_on: date | None = None,
    duration_minutes: int = 90,
    delivery: str = MeetingDelivery.IN_PERSON,
    video_link: str = "",
    place: str = "",
    capacity: int | None = None,
    title: str = "",
    horizon: date | None = None,
) -> MeetingSeries:
    """A regular meeting time. Meetings for the next year are created from it straight away."""
    _require_facilitator(actor, group)
    _require_open(group)
    if frequency not in Frequency.values:
        raise GroupError("Please choose how often the group meets.")
    if not 0 <= int(weekday) <= 6:
        raise GroupError("Please choose a day of the week.")
    if frequency == Frequency.MONTHLY_NTH and not (nth and 1 <= nth <= 4):
        raise GroupError("Please choose which week of the month (first to fourth).")
    if ends_on and ends_on < starts_on:
        raise GroupError("The end date must be after the start date.")
    if not 5 <= duration_minutes <= 720:
        raise GroupError("Please give a length between 5 minutes and 12 hours.")
    if capacity is not None and capacity < 1:
        raise GroupError("Capacity should be at least 1, or left empty for no limit.")
    _check_delivery(delivery, video_link, place)
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            group=group,
            title=title,
            frequency=frequency,
            weekday=weekday,
            nth=nth if frequency == Frequency.MONTHLY_NTH else None,
            starts_on=starts_on,
            ends_on=ends_on,
            start_time=start_time,
            duration_minutes=duration_minutes,
            timezone=group.organisation.timezone,
            delivery=delivery,
            video_link=video_link,
            place=place,
            capacity=capacity,
        )
        end_clock = (datetime.combine(starts_on, start_time) + timedelta(minutes=duration_minutes)).time()
        OfferTime.objects.create(
            offer=group.offer,
            weekday=weekday,
            starts_at=start_time,
            ends_at=end_clock,
            note=recurrence.describe(recurrence.Rule.of(series))[:120],
        )
        series_expand(series=series, until=horizon)
        audit_record(actor=actor, action="group.series_created", subject=series, organisation=group.organisation)
    return series


class _MeetingRows:
    """Writes expanded meetings with one INSERT … ON CONFLICT DO NOTHING run for many rows (SQLite, PostgreSQL).

    Expansion writes hundreds of thousands of rows for a big network; building a model instance per row
    and preparing every field for each made it twenty times slower than the insert itself. Values that are
    the same for every row of a series are prepared once; the (series, slot) unique constraint keeps it
    idempotent.
    """

    VARYING = ("public_id", "slot", "starts_at", "ends_at")
    PER_SERIES = ("group", "series", "delivery", "video_link", "place", "capacity")

    def __init__(self) -> None:
        now = timezone.now()
        self.fields = [f for f in Meeting._meta.concrete_fields if not f.primary_key]
        defaults = Meeting(kind=MeetingKind.MEETING, created_at=now, updated_at=now)
        self.constant = {
            f.attname: f.get_db_prep_save(getattr(defaults, f.attname), connection)
            for f in self.fields
            if f.name not in self.VARYING and f.name not in self.PER_SERIES
        }
        self.by_name = {f.name: f for f in self.fields}
        table = connection.ops.quote_name(Meeting._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Table and column names come from the model, quoted by the backend; values are parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, series: MeetingSeries, slots: list[datetime]) -> None:
        prep = {
            "group_id": series.group_id,
            "series_id": series.pk,
            "delivery": series.delivery,
            "video_link": series.video_link,
            "place": series.place,
            "capacity": series.capacity,
        }
        length = timedelta(minutes=series.duration_minutes)
        uuid_field, when = self.by_name["public_id"], self.by_name["starts_at"]
        for slot in slots:
            start = when.get_db_prep_save(slot, connection)
            values = {
                **self.constant,
                **prep,
                "public_id": uuid_field.get_db_prep_save(uuid.uuid4(), connection),
                "slot": start,
                "starts_at": start,
                "ends_at": when.get_db_prep_save(slot + length, connection),
            }
            self.rows.append(tuple(values[f.attname] for f in self.fields))

    def flush(self) -> None:
        if not self.rows:
            return
        # One short statement, many parameter rows: SQLite runs it natively, psycopg pipelines it and
        # parses the statement once (a long multi-row VALUES statement is re-parsed on every call).
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
            self.written += max(cursor.rowcount, 0)
        self.rows = []


def series_expand(*, series: MeetingSeries, until: date | None = None) -> int:
    """Create the concrete meetings of a series up to `until` (default a year ahead). Idempotent."""
    return series_expand_many([series], until=until)


def series_expand_many(series_list: Iterable[MeetingSeries], *, until: date | None = None, batch: int = 2000) -> int:
    today = timezone.localdate()
    until = until or today + timedelta(days=HORIZON_DAYS)
    rows = _MeetingRows()
    touched: list[MeetingSeries] = []
    for series in series_list:
        if not series.is_active:
            continue
        start = max(today, series.starts_on)
        if series.expanded_until and series.expanded_until >= start:
            start = series.expanded_until + timedelta(days=1)
        if start > until:
            continue
        rows.add(series, recurrence.occurrences(recurrence.Rule.of(series), start, until))
        series.expanded_until = until
        touched.append(series)
        if len(rows.rows) >= batch:
            rows.flush()
    rows.flush()
    if touched:
        MeetingSeries.objects.bulk_update(touched, ["expanded_until"], batch_size=batch)
    return rows.written


@dataclass
class SeriesChange:
    series: MeetingSeries
    before: str  # the old rule in plain words
    after: str
    moved: int  # future meetings that moved to the new time (their answers kept)
    added: int


def _period(rule: recurrence.Rule, day: date) -> tuple[int, int]:
    """Which week, fortnight or month a rule's date belongs to: a changed day or time maps each old meeting to the
    new meeting of the same period."""
    if rule.frequency == Frequency.WEEKLY:
        iso = day.isocalendar()
        return (iso.year, iso.week)
    if rule.frequency == Frequency.FORTNIGHTLY:
        anchor = rule.starts_on - timedelta(days=rule.starts_on.weekday())  # the Monday of the first week
        return (0, (day - anchor).days // 14)
    return (day.year, day.month)


def series_change(
    *,
    actor: User,
    series: MeetingSeries,
    weekday: int,
    start_time: time,
    nth: int | None = None,
    duration_minutes: int | None = None,
    note: str = "",
) -> SeriesChange:
    """Change the day or time of a regular meeting, in place.

    Future meetings still at the rule's time move to the new time (same meeting: answers and links are kept).
    Meetings that were moved or cancelled one by one, meetings under way and past meetings are left as they are.
    Every active member is told once, in Kindred and by email.
    """
    group = series.group
    _require_facilitator(actor, group)
    _require_open(group)
    if not series.is_active:
        raise GroupError("This regular meeting time has been stopped, so it can't be changed.")
    if not 0 <= int(weekday) <= 6:
        raise GroupError("Please choose a day of the week.")
    if series.frequency == Frequency.MONTHLY_NTH and not (nth and 1 <= nth <= 4):
        raise GroupError("Please choose which week of the month (first to fourth).")
    duration = series.duration_minutes if duration_minutes is None else duration_minutes
    if not 5 <= duration <= 720:
        raise GroupError("Please give a length between 5 minutes and 12 hours.")
    nth = nth if series.frequency == Frequency.MONTHLY_NTH else None
    if (int(weekday), start_time, nth, duration) == (
        series.weekday,
        series.start_time,
        series.nth,
        series.duration_minutes,
    ):
        raise GroupError("That's the time it already has: nothing to change.")
    now = timezone.now()
    with transaction.atomic():
        series = MeetingSeries.objects.select_for_update().select_related("group").get(pk=series.pk)
        old_rule = recurrence.Rule.of(series)
        old_end_clock = (
            datetime.combine(date.today(), series.start_time) + timedelta(minutes=series.duration_minutes)
        ).time()
        offer_time = OfferTime.objects.filter(
            offer_id=group.offer_id, weekday=series.weekday, starts_at=series.start_time, ends_at=old_end_clock
        ).first()
        series.weekday, series.start_time, series.nth, series.duration_minutes = int(weekday), start_time, nth, duration
        series.save(update_fields=["weekday", "start_time", "nth", "duration_minutes"])
        new_rule = recurrence.Rule.of(series)
        # Each old meeting is matched to the new time in the same week (fortnight, month). Only meetings still
        # exactly where the rule put them and not yet begun move; a period whose meeting was moved or cancelled
        # one by one, or has already happened, keeps what it has.
        today = timezone.localdate()
        until = max(series.expanded_until or today, today)
        by_period: dict[tuple[int, int], Meeting] = {}
        old_zone = zone_named(old_rule.timezone)
        for meeting in Meeting.objects.filter(series=series, slot__isnull=False, slot__gte=now - timedelta(days=35)):
            by_period[_period(old_rule, timezone.localtime(meeting.slot, old_zone).date())] = meeting
        length = timedelta(minutes=duration)
        moves: list[tuple[Meeting, datetime]] = []
        new_slots: list[datetime] = []
        for slot in recurrence.occurrences(new_rule, today, until):
            if slot <= now:
                continue
            old = by_period.get(_period(new_rule, slot.date()))
            if old is None:
                new_slots.append(slot)
            elif (
                old.status == MeetingStatus.SCHEDULED
                and old.opened_at is None
                and old.starts_at == old.slot
                and old.starts_at > now
            ):
                moves.append((old, slot))
        # Two steps, so a new time equal to another meeting's old one never trips the one-per-slot rule.
        Meeting.objects.filter(pk__in=[m.pk for m, _ in moves]).update(slot=None)
        for meeting, slot in moves:
            meeting.slot, meeting.starts_at, meeting.ends_at = slot, slot, slot + length
            meeting.save(update_fields=["slot", "starts_at", "ends_at", "updated_at"])
        moved = len(moves)
        rows = _MeetingRows()
        rows.add(series, new_slots)
        rows.flush()
        added = rows.written
        end_clock = (datetime.combine(date.today(), start_time) + timedelta(minutes=duration)).time()
        words = recurrence.describe(new_rule)
        if offer_time is not None:
            offer_time.weekday, offer_time.starts_at, offer_time.ends_at = int(weekday), start_time, end_clock
            offer_time.note = words[:120]
            offer_time.save(update_fields=["weekday", "starts_at", "ends_at", "note"])
        before = recurrence.describe(old_rule)
        audit_record(
            actor=actor,
            action="group.series_changed",
            subject=series,
            organisation=group.organisation,
            detail={"from": before, "to": words, "moved": moved, "added": added},
        )
        at_new_time = [slot for _, slot in moves] + new_slots
        body = f"{group.name} now meets {words[0].lower()}{words[1:]} (it was {before[0].lower()}{before[1:]})."
        if at_new_time:
            body += f" The first meeting at the new time is {_when(min(at_new_time), zone_named(series.timezone))}."
        body += " Meetings that had already been moved or cancelled stay as they were; past meetings are unchanged."
        if note.strip():
            body += f" {note.strip()[:300]}"
        for person in _active_members(group):
            if person.pk == actor.pk:
                continue
            reach.send(
                to=person,
                kind=SERIES_CHANGED,
                sender=actor,
                title=f"New regular time for {group.name}: {words}",
                body=body,
                url=_url("groups:detail", group.slug),
                email=True,
            )
    return SeriesChange(series=series, before=before, after=words, moved=moved, added=added)


def series_end(*, actor: User, series: MeetingSeries, last_day: date) -> int:
    """Stop a regular time after `last_day`. Future meetings without answers are removed; returns how many."""
    _require_facilitator(actor, series.group)
    with transaction.atomic():
        series.ends_on = last_day
        series.save(update_fields=["ends_on"])
        doomed = Meeting.objects.filter(
            series=series, slot__date__gt=last_day, status=MeetingStatus.SCHEDULED, rsvps__isnull=True
        )
        count = Meeting.objects.filter(pk__in=list(doomed.values_list("pk", flat=True))).delete()[0]
        Meeting.objects.filter(series=series, slot__date__gt=last_day).update(
            status=MeetingStatus.CANCELLED, change_note="This regular meeting time has ended."
        )
    return count


def meeting_create(
    *,
    actor: User,
    group: Group,
    starts_at: datetime,
    duration_minutes: int = 90,
    kind: str = MeetingKind.SOCIAL,
    title: str = "",
    description: str = "",
    delivery: str = MeetingDelivery.IN_PERSON,
    video_link: str = "",
    place: str = "",
    capacity: int | None = None,
) -> Meeting:
    """A one-off event: a social, a walk, or an extra meeting."""
    _require_facilitator(actor, group)
    _require_open(group)
    if kind not in MeetingKind.values:
        raise GroupError("Please choose what kind of event it is.")
    if timezone.is_naive(starts_at):
        starts_at = recurrence.local_datetime(starts_at.date(), starts_at.time(), group.zone)
    if starts_at <= timezone.now():
        raise GroupError("Please choose a time in the future.")
    if not 5 <= duration_minutes <= 720:
        raise GroupError("Please give a length between 5 minutes and 12 hours.")
    if capacity is not None and capacity < 1:
        raise GroupError("Capacity should be at least 1, or left empty for no limit.")
    _check_delivery(delivery, video_link, place)
    meeting = Meeting.objects.create(
        group=group,
        kind=kind,
        title=title[:150],
        description=description,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
        delivery=delivery,
        video_link=video_link,
        place=place,
        capacity=capacity,
    )
    return meeting


def _tell_members_about(meeting: Meeting, *, kind: reach.Kind, title: str, body: str, actor: User) -> None:
    url = _url("groups:meeting", meeting.public_id)
    for person in _active_members(meeting.group):
        if person.pk == actor.pk:
            continue
        reach.send(to=person, kind=kind, title=title, body=body, url=url, email=True, sender=actor)


def _when(moment: datetime, zone: ZoneInfo) -> str:
    """A meeting time in plain words, in the group's local time."""
    local = timezone.localtime(moment, zone)
    return local.strftime("%A %-d %B at %-I:%M%p").replace(":00", "").replace("AM", "am").replace("PM", "pm")


def meeting_cancel(*, actor: User, meeting: Meeting, note: str = "") -> Meeting:
    _require_facilitator(actor, meeting.group)
    if meeting.status == MeetingStatus.CANCELLED:
        raise GroupError("This meeting is already cancelled.")
    if meeting.starts_at <= timezone.now():
        raise GroupError("This meeting has already started, so it can't be cancelled now.")
    with transaction.atomic():
        meeting.status = MeetingStatus.CANCELLED
        meeting.change_note = note[:300]
        meeting.save(update_fields=["status", "change_note", "updated_at"])
        audit_record(
            actor=actor, action="group.meeting_cancelled", subject=meeting, organisation=meeting.group.organisation
        )
        body = f"{meeting.display_title} on {_when(meeting.starts_at, meeting.zone)} won't happen."
        if note:
            body += f" {note}"
        _tell_members_about(
            meeting,
            kind=MEETING_CANCELLED,
            title=f"Cancelled: {meeting.display_title}, {_when(meeting.starts_at, meeting.zone)}",
            body=body,
            actor=actor,
        )
    return meeting


def meeting_move(*, actor: User, meeting: Meeting, starts_at: datetime, note: str = "") -> Meeting:
    _require_facilitator(actor, meeting.group)
    if meeting.status == MeetingStatus.CANCELLED:
        raise GroupError("This meeting was cancelled. Add a new event instead.")
    if timezone.is_naive(starts_at):
        starts_at = recurrence.local_datetime(starts_at.date(), starts_at.time(), meeting.zone)
    if starts_at <= timezone.now():
        raise GroupError("Please choose a new time in the future.")
    if starts_at == meeting.starts_at:
        raise GroupError("That's the time it's already at.")
    with transaction.atomic():
        duration = meeting.duration
        old = meeting.starts_at
        meeting.moved_from = meeting.moved_from or old
        meeting.starts_at = starts_at
        meeting.ends_at = starts_at + duration
        meeting.status = MeetingStatus.MOVED
        meeting.change_note = note[:300]
        meeting.save(update_fields=["moved_from", "starts_at", "ends_at", "status", "change_note", "updated_at"])
        audit_record(
            actor=actor, action="group.meeting_moved", subject=meeting, organisation=meeting.group.organisation
        )
        body = f"{meeting.display_title} has moved from {_when(old, meeting.zone)} to {_when(starts_at, meeting.zone)}."
        if note:
            body += f" {note}"
        _tell_members_about(
            meeting,
            kind=MEETING_MOVED,
            title=f"Moved: {meeting.display_title} is now {_when(starts_at, meeting.zone)}",
            body=body,
            actor=actor,
        )
    return meeting


# --- RSVP and waiting list -------------------------------------------------------------------------------------


def confirmed_count(meeting: Meeting) -> int:
    return RSVP.objects.filter(meeting=meeting, answer=RSVPAnswer.GOING, waitlist_position__isnull=True).count()


def rsvp_set(*, actor: User, meeting: Meeting, answer: str) -> RSVP:
    """Going / maybe / can't come. When the meeting is full, "going" joins the waiting list; a freed place
    goes to the first person waiting, who is told."""
    if answer not in RSVPAnswer.values:
        raise GroupError("Please choose going, maybe or can't come.")
    group = meeting.group
    if not GroupMembership.objects.filter(group=group, person=actor, status=MembershipStatus.ACTIVE).exists():
        raise GroupError("Please join the group (or come back from your break) to answer.", code="forbidden")
    if meeting.status == MeetingStatus.CANCELLED:
        raise GroupError("This meeting is cancelled.")
    if meeting.ends_at <= timezone.now():
        raise GroupError("This meeting has already happened.")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        rsvp = RSVP.objects.filter(meeting=meeting, person=actor).first()
        if rsvp is not None and rsvp.answer == answer:
            return rsvp
        was_confirmed = rsvp is not None and rsvp.answer == RSVPAnswer.GOING and rsvp.waitlist_position is None
        position = None
        if answer == RSVPAnswer.GOING and meeting.capacity and confirmed_count(meeting) >= meeting.capacity:
            top = RSVP.objects.filter(meeting=meeting).aggregate(m=Max("waitlist_position"))["m"] or 0
            position = top + 1
        if rsvp is None:
            rsvp = RSVP.objects.create(meeting=meeting, person=actor, answer=answer, waitlist_position=position)
        else:
            rsvp.answer, rsvp.waitlist_position = answer, position
            rsvp.save(update_fields=["answer", "waitlist_position", "updated_at"])
        if was_confirmed and answer != RSVPAnswer.GOING:
            _promote_waiting(meeting)
        engagement_touch(person=actor, subject=group, form=Form.GROUP, role=EngagementRole.RECEIVING)
    return rsvp


def _promote_waiting(meeting: Meeting) -> None:
    while not meeting.capacity or confirmed_count(meeting) < meeting.capacity:
        first = (
            RSVP.objects.filter(meeting=meeting, waitlist_position__isnull=False)
            .select_related("person")
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            return
        first.waitlist_position = None
        first.save(update_fields=["waitlist_position", "updated_at"])
        reach.send(
            to=first.person,
            kind=WAITLIST_PLACE,
            title=f"A place has come up: {meeting.display_title}, {_when(meeting.starts_at, meeting.zone)}",
            body="You were on the waiting list and now have a place. If you can't come after all, please say so.",
            url=_url("groups:meeting", meeting.public_id),
            email=True,
        )


# --- First visits ---------------------------------------------------------------------------------------------


def _helper_for(group: Group) -> User | None:
    """The welcome buddy if there is one, else a facilitator."""
    leaders = GroupMembership.objects.filter(group=group, status=MembershipStatus.ACTIVE).select_related("person")
    for role in (GroupRole.WELCOME_BUDDY, GroupRole.FACILITATOR, GroupRole.CO_FACILITATOR):
        found = leaders.filter(role=role).order_by("joined_at").first()
        if found:
            return found.person
    return None


def first_visit_chat_request(*, actor: User, group: Group, message: str = "", how_to_reach: str = "") -> FirstVisitChat:
    """A newcomer asks for a short chat before their first meeting. The welcome buddy (or facilitator) is told."""
    if not actor.is_authenticated:
        raise GroupError("Please sign in first.", code="forbidden")
    _require_open(group)
    viewer = viewer_for(actor, group)
    if not viewer.can_see:
        raise GroupError("We couldn't find that group.", code="not_found")
    open_request = FirstVisitChat.objects.filter(
        group=group, person=actor, status__in=["requested", "arranged"]
    ).first()
    if open_request is not None:
        raise GroupError("You've already asked for a chat. Someone from the group will be in touch.")
    helper = _helper_for(group)
    with transaction.atomic():
        chat = FirstVisitChat.objects.create(
            group=group, person=actor, helper=helper, message=message[:1000], how_to_reach=how_to_reach[:200]
        )
        if helper is not None:
            reach.send(
                to=helper,
                kind=FIRST_VISIT_CHAT,
                sender=actor,
                title=f"{actor.display_name} would like a chat before coming to {group.name}",
                body=(message[:500] + "\n\n" if message else "")
                + (f"How to reach them: {how_to_reach}" if how_to_reach else ""),
                url=_url("groups:follow_ups"),
                email=True,
            )
    return chat


def first_visit_chat_update(*, actor: User, chat: FirstVisitChat, status: str) -> FirstVisitChat:
    viewer = viewer_for(actor, chat.group)
    if not (viewer.is_leading or viewer.is_coordinator or chat.person_id == actor.pk):
        raise _forbid("Only the group's welcome buddy or facilitators can do that.")
    if status not in ("arranged", "done", "withdrawn"):
        raise GroupError("Please choose a status from the list.")
    chat.status = status
    chat.save(update_fields=["status", "updated_at"])
    return chat


# --- Attendance and follow-ups --------------------------------------------------------------------------------


def has_attended_before(group: Group, person: User, before: datetime) -> bool:
    return Attendance.objects.filter(
        meeting__group=group, person=person, present=True, meeting__starts_at__lt=before
    ).exists()


def attendance_mark(*, actor: User, meeting: Meeting, marks: dict[Any, tuple[bool, bool]]) -> int:
    """Mark who was there. `marks` maps a person's public id to (present, first visit). Returns rows written."""
    group = meeting.group
    viewer = _require_facilitator(actor, group)
    if meeting.status == MeetingStatus.CANCELLED:
        raise GroupError("This meeting was cancelled.")
    if meeting.starts_at - timedelta(hours=1) > timezone.now():
        raise GroupError("Attendance can be marked once the meeting is about to start.")
    allowed = {
        str(p): p_id
        for p, p_id in GroupMembership.objects.filter(group=group)
        .exclude(status=MembershipStatus.LEFT)
        .values_list("person__public_id", "person_id")
    }
    unknown = [key for key in marks if str(key) not in allowed]
    if unknown:
        raise GroupError("Some of those people aren't members of this group.")
    written = 0
    with transaction.atomic():
        for key, (present, first_visit) in marks.items():
            Attendance.objects.update_or_create(
                meeting=meeting,
                person_id=allowed[str(key)],
                defaults={"present": present, "first_visit": bool(first_visit and present), "marked_by": actor},
            )
            written += 1
        present_ids = [allowed[str(k)] for k, (present, _) in marks.items() if present]
        for person in User.objects.filter(pk__in=present_ids):
            engagement_touch(person=person, subject=group, form=Form.GROUP, role=EngagementRole.RECEIVING)
        if viewer.is_facilitator:
            engagement_record(
                person=actor,
                subject=group,
                form=Form.GROUP,
                role=EngagementRole.FACILITATING,
                organisation=group.organisation,
            )
    return written


def _prompted_for(meeting: Meeting, newcomer: User) -> User | None:
    chat = FirstVisitChat.objects.filter(group=meeting.group, person=newcomer, helper__isnull=False).first()
    if (
        chat
        and GroupMembership.objects.filter(
            group=meeting.group, person=chat.helper, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        return chat.helper
    slot = RotaSlot.objects.filter(meeting=meeting, facilitator__isnull=False).select_related("facilitator").first()
    buddy = (
        GroupMembership.objects.filter(
            group=meeting.group, status=MembershipStatus.ACTIVE, role=GroupRole.WELCOME_BUDDY
        )
        .select_related("person")
        .order_by("joined_at")
        .first()
    )
    if buddy:
        return buddy.person
    if slot:
        return slot.facilitator
    return _helper_for(meeting.group)


def follow_ups_prompt_due(*, now: datetime | None = None) -> int:
    """The day after someone's first meeting, prompt the welcome buddy or facilitator. Idempotent."""
    now = now or timezone.now()
    site = zone_named(None)  # one daily run for every organisation: "today" is the site's
    start_of_today = recurrence.local_datetime(timezone.localtime(now, site).date(), time(0, 0), site)
    firsts = Attendance.objects.filter(
        present=True,
        first_visit=True,
        meeting__starts_at__lt=start_of_today,
        meeting__starts_at__gte=start_of_today - timedelta(days=FOLLOW_UP_WINDOW_DAYS),
        meeting__group__status__in=[GroupStatus.ACTIVE, GroupStatus.CLOSING],
    ).select_related("meeting", "meeting__group", "person")
    gone = reach.deceased_ids()
    made = 0
    for attendance in firsts:
        meeting, newcomer = attendance.meeting, attendance.person
        if FollowUpPrompt.objects.filter(meeting=meeting, newcomer=newcomer).exists():
            continue
        membership = GroupMembership.objects.filter(group=meeting.group, person=newcomer).first()
        if membership is None or membership.follow_up_opt_out:
            continue
        if newcomer.pk in gone:
            continue  # nothing that mentions someone recorded as having died
        prompted = _prompted_for(meeting, newcomer)
        if prompted is not None and not reach.reachable([prompted], FOLLOW_UP):  # ask another facilitator, if any
            prompted = next(iter(reach.reachable(_facilitators(meeting.group), FOLLOW_UP)), None)
        if prompted is None or prompted.pk == newcomer.pk:
            continue
        try:
            with transaction.atomic():
                prompt = FollowUpPrompt.objects.create(
                    group=meeting.group, meeting=meeting, newcomer=newcomer, prompted=prompted
                )
                reach.send(
                    to=prompted,
                    kind=FOLLOW_UP,
                    about=[newcomer],
                    title=f"Say hello to {newcomer.display_name} after their first {meeting.group.name}",
                    body=(
                        f"{newcomer.display_name} came to {meeting.group.name} for the first time on "
                        f"{_when(meeting.starts_at, meeting.zone)}. A short, kind message can mean a lot."
                    ),
                    url=_url("groups:follow_up", prompt.public_id),
                    email=True,
                )
        except IntegrityError:
            continue  # another run made it first
        made += 1
    return made


def follow_up_send(*, actor: User, prompt: FollowUpPrompt, message: str) -> FollowUpPrompt:
    """Send the newcomer a kind note (a notification in Kindred, and an email if they want emails)."""
    if prompt.prompted_id != actor.pk and not viewer_for(actor, prompt.group).can_facilitate:
        raise _forbid("Only the person asked to follow up can do that.")
    if prompt.status != FollowUpStatus.PENDING:
        raise GroupError("This follow-up has already been done.")
    message = (message or "").strip()
    if not message:
        raise GroupError("Please write a short message.")
    membership = GroupMembership.objects.filter(group=prompt.group, person=prompt.newcomer).first()
    with transaction.atomic():
        if membership is None or not membership.follow_up_opt_out:
            reach.send(
                to=prompt.newcomer,
                kind=FOLLOW_UP_MESSAGE,
                sender=actor,
                title=f"A message from {actor.display_name} at {prompt.group.name}",
                body=message[:2000],
                url=_url("groups:detail", prompt.group.slug),
                email=True,
            )
        prompt.status = (
            FollowUpStatus.DONE if membership is None or not membership.follow_up_opt_out else FollowUpStatus.SKIPPED
        )
        prompt.done_at = timezone.now()
        prompt.save(update_fields=["status", "done_at"])
    return prompt


def follow_up_skip(*, actor: User, prompt: FollowUpPrompt) -> FollowUpPrompt:
    if prompt.prompted_id != actor.pk and not viewer_for(actor, prompt.group).can_facilitate:
        raise _forbid("Only the person asked to follow up can do that.")
    prompt.status = FollowUpStatus.SKIPPED
    prompt.done_at = timezone.now()
    prompt.save(update_fields=["status", "done_at"])
    return prompt


# --- Rota, handover and notes ---------------------------------------------------------------------------------


def rota_assign(*, actor: User, meeting: Meeting, facilitator: User | None) -> RotaSlot:
    _require_facilitator(actor, meeting.group)
    if (
        facilitator is not None
        and not GroupMembership.objects.filter(
            group=meeting.group, person=facilitator, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
        ).exists()
    ):
        raise GroupError("Only the group's facilitators and co-facilitators can be on the rota.")
    slot, _ = RotaSlot.objects.update_or_create(
        meeting=meeting, defaults={"facilitator": facilitator, "gap_notified_at": None}
    )
    return slot


def rota_gaps_notify(*, now: datetime | None = None) -> int:
    """Coming meetings nobody is down to facilitate: tell the group's co-facilitators (and facilitators) once."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=ROTA_LOOKAHEAD_DAYS),
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.MOVED],
            kind=MeetingKind.MEETING,
            group__status=GroupStatus.ACTIVE,
        )
        .filter(Q(rota__isnull=True) | Q(rota__facilitator__isnull=True, rota__gap_notified_at__isnull=True))
        .select_related("group")
        .order_by("starts_at")
    )
    by_group: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_group.setdefault(meeting.group_id, []).append(meeting)
    told = 0
    for gaps in by_group.values():
        group = gaps[0].group
        with transaction.atomic():
            for meeting in gaps:
                RotaSlot.objects.update_or_create(meeting=meeting, defaults={"gap_notified_at": now})
            dates = ", ".join(_when(m.starts_at, m.zone) for m in gaps)
            for person in reach.reachable(_facilitators(group), ROTA_GAP):
                reach.send(
                    to=person,
                    kind=ROTA_GAP,
                    title=f"{group.name}: nobody is down to facilitate yet",
                    body=f"These meetings need a facilitator: {dates}. Could you take one?",
                    url=_url("groups:rota", group.slug),
                    email=True,
                )
                told += 1
    return told


def handover_note_add(
    *, actor: User, group: Group, text: str, meeting: Meeting | None = None, recipient: User | None = None
) -> HandoverNote:
    _require_facilitator(actor, group)
    text = (text or "").strip()
    if not text:
        raise GroupError("Please write the handover note.")
    with transaction.atomic():
        note = HandoverNote.objects.create(group=group, meeting=meeting, author=actor, recipient=recipient, text=text)
        if recipient is not None and recipient.pk != actor.pk:
            reach.send(
                to=recipient,
                kind=HANDOVER,
                sender=actor,
                title=f"A handover note from {actor.display_name} for {group.name}",
                url=_url("groups:rota", group.slug),
            )
    return note


def facilitator_note_add(*, actor: User, meeting: Meeting, text: str) -> FacilitatorNote:
    _require_facilitator(actor, meeting.group)
    text = (text or "").strip()
    if not text:
        raise GroupError("Please write the note.")
    with transaction.atomic():
        note = FacilitatorNote.objects.create(meeting=meeting, author=actor, text=text)
        audit_record(
            actor=actor, action="group.facilitator_note", subject=meeting, organisation=meeting.group.organisation
        )
    return note


def incident_note_add(
    *, actor: User, meeting: Meeting, what_happened: str, action_taken: str = "", needs_follow_up: bool = False
) -> IncidentNote:
    """If something difficult happened. Coordinators are told (without the details) when follow-up is needed."""
    _require_facilitator(actor, meeting.group)
    what_happened = (what_happened or "").strip()
    if not what_happened:
        raise GroupError("Please say briefly what happened.")
    with transaction.atomic():
        note = IncidentNote.objects.create(
            meeting=meeting,
            author=actor,
            what_happened=what_happened,
            action_taken=action_taken.strip(),
            needs_follow_up=needs_follow_up,
        )
        audit_record(
            actor=actor,
            action="group.incident_note",
            subject=note,
            organisation=meeting.group.organisation,
            detail={"meeting": str(meeting.public_id), "needs_follow_up": needs_follow_up},
        )
        if needs_follow_up:
            reach.send_to_team(
                people=list(_coordinators(meeting.group.organisation)),
                kind=INCIDENT,
                sender=actor,
                title=f"An incident note from {meeting.group.name} needs follow-up",
                body="A facilitator wrote an incident note and asked for follow-up. Please read it in Kindred.",
                url=_url("groups:facilitate", meeting.public_id),
                email=True,
            )
    return note


def notes_viewed(*, actor: User, meeting: Meeting, notes: int, incidents: int) -> None:
    """Reading private notes leaves an audit row (only when there was something to read)."""
    if notes or incidents:
        audit_record(
            actor=actor,
            action="group.notes_viewed",
            subject=meeting,
            organisation=meeting.group.organisation,
            detail={"notes": notes, "incidents": incidents},
        )


# --- Time-keeping and the round -------------------------------------------------------------------------------


def meeting_open(*, actor: User, meeting: Meeting) -> Meeting:
    viewer = _require_facilitator(actor, meeting.group)
    if meeting.opened_at is None:
        meeting.opened_at = timezone.now()
        meeting.save(update_fields=["opened_at", "updated_at"])
    if viewer.is_facilitator:
        engagement_record(
            person=actor,
            subject=meeting.group,
            form=Form.GROUP,
            role=EngagementRole.FACILITATING,
            organisation=meeting.group.organisation,
        )
    return meeting


def meeting_close(*, actor: User, meeting: Meeting) -> Meeting:
    _require_facilitator(actor, meeting.group)
    if meeting.opened_at is None:
        meeting.opened_at = timezone.now()
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["opened_at", "closed_at", "updated_at"])
    return meeting


def round_start(*, actor: User, meeting: Meeting, shuffle: bool = True) -> Meeting:
    """Everyone marked present, in a shuffled (or listed) order; the first person's turn starts now."""
    _require_facilitator(actor, meeting.group)
    people = list(
        Attendance.objects.filter(meeting=meeting, present=True)
        .order_by("person__display_name")
        .values_list("person__public_id", flat=True)
    )
    if not people:
        raise GroupError("Mark who is here first, then start the round.")
    order = [str(p) for p in people]
    if shuffle:
        random.SystemRandom().shuffle(order)
    meeting.round_order = order
    meeting.round_position = 0
    meeting.round_passed = []
    meeting.round_turn_started_at = timezone.now()
    if meeting.opened_at is None:
        meeting.opened_at = timezone.now()
    meeting.save(
        update_fields=[
            "round_order",
            "round_position",
            "round_passed",
            "round_turn_started_at",
            "opened_at",
            "updated_at",
        ]
    )
    return meeting


def round_next(*, actor: User, meeting: Meeting, passed: bool = False) -> Meeting:
    """Move to the next person. `passed` records that the current person chose to pass."""
    _require_facilitator(actor, meeting.group)
    if not meeting.round_order or meeting.round_position >= len(meeting.round_order):
        raise GroupError("The round isn't running.")
    if passed:
        meeting.round_passed = [*meeting.round_passed, meeting.round_order[meeting.round_position]]
    meeting.round_position += 1
    meeting.round_turn_started_at = timezone.now() if meeting.round_position < len(meeting.round_order) else None
    meeting.save(update_fields=["round_passed", "round_position", "round_turn_started_at", "updated_at"])
    return meeting


def round_shuffle(*, actor: User, meeting: Meeting) -> Meeting:
    """Shuffle whoever hasn't spoken yet."""
    _require_facilitator(actor, meeting.group)
    if not meeting.round_order:
        return round_start(actor=actor, meeting=meeting, shuffle=True)
    done = meeting.round_order[: meeting.round_position + 1]
    rest = meeting.round_order[meeting.round_position + 1 :]
    random.SystemRandom().shuffle(rest)
    meeting.round_order = done + rest
    meeting.save(update_fields=["round_order", "updated_at"])
    return meeting


# --- Calendar tokens ------------------------------------------------------------------------------------------


def calendar_token_issue(*, actor: User) -> str:
    """A new secret for the person's private calendar feed (any old link stops working). Shown once."""
    token = new_token()
    CalendarToken.objects.update_or_create(
        person=actor, defaults={"digest": keyed_digest(token, purpose=CALENDAR_PURPOSE)}
    )
    return token


def calendar_token_revoke(*, actor: User) -> None:
    CalendarToken.objects.filter(person=actor).delete()


def person_for_calendar_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    row = (
        CalendarToken.objects.select_related("person")
        .filter(digest=keyed_digest(token, purpose=CALENDAR_PURPOSE), person__is_active=True)
        .first()
    )
    return row.person if row else None


# --- Daily work -----------------------------------------------------------------------------------------------


def groups_daily(*, now: datetime | None = None) -> dict[str, int]:
    """Keep meetings a year ahead, prompt follow-ups after first meetings, tell co-facilitators of rota gaps."""
    now = now or timezone.now()
    series = MeetingSeries.objects.filter(is_active=True, group__status=GroupStatus.ACTIVE)
    expanded = series_expand_many(series.iterator(chunk_size=2000))
    return {
        "meetings_created": expanded,
        "follow_ups": follow_ups_prompt_due(now=now),
        "rota_gap_notices": rota_gaps_notify(now=now),
    }
