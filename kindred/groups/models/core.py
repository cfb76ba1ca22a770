"""Groups: membership, ground rules, meetings, first visits and facilitation.

Names here are stable: other modules of this app (staying in touch, funds, closing well) build on them.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from kindred.core.crypto import EncryptedTextField
from kindred.core.zones import zone_named

__all__ = [
    "FACILITATING_ROLES",
    "LEADING_ROLES",
    "RSVP",
    "Attendance",
    "CalendarToken",
    "CommitteeRole",
    "FacilitatorNote",
    "FirstVisitChat",
    "FirstVisitChatStatus",
    "FollowUpPrompt",
    "FollowUpStatus",
    "Frequency",
    "Group",
    "GroupMembership",
    "GroupRole",
    "GroupStatus",
    "HandoverNote",
    "IncidentNote",
    "Meeting",
    "MeetingDelivery",
    "MeetingKind",
    "MeetingSeries",
    "MeetingStatus",
    "MembershipStatus",
    "RSVPAnswer",
    "RotaSlot",
]


class GroupStatus(models.TextChoices):
    ACTIVE = "active", "Meeting"
    CLOSING = "closing", "Closing soon"
    CLOSED = "closed", "Closed"


class Group(models.Model):
    """A peer support group. Its listing is a directory Offer of kind "group" (created with it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="groups",
        help_text="The organisation that runs the group, or that hosts a grassroots group.",
    )
    offer = models.OneToOneField("directory.Offer", on_delete=models.CASCADE, related_name="group")
    name = models.CharField(max_length=150)
    is_grassroots = models.BooleanField(default=False, help_text="Run by its own facilitators, not by staff.")
    is_public = models.BooleanField(
        default=True,
        help_text="Public groups show their page and meeting times to anyone. Private groups only to members.",
    )
    what_to_expect = models.TextField(
        max_length=3000, blank=True, help_text="For newcomers: what a meeting is like, in plain words."
    )
    round_minutes = models.PositiveSmallIntegerField(
        default=3, help_text="How long each person has in the round, in minutes."
    )
    status = models.CharField(max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    closes_on = models.DateField(null=True, blank=True, help_text="When a scheduled closure takes effect.")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GroupStatus.values), name="group_status_valid"),
            models.CheckConstraint(condition=Q(round_minutes__gte=1, round_minutes__lte=30), name="group_round_sane"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """Local time for the group: its organisation's time zone."""
        return self.organisation.zone

    @property
    def is_closed(self) -> bool:
        return self.status == GroupStatus.CLOSED


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Member"
    PAUSED = "paused", "Taking a break"
    LEFT = "left", "Left"


class GroupRole(models.TextChoices):
    MEMBER = "member", "Member"
    WELCOME_BUDDY = "welcome_buddy", "Welcome buddy"
    CO_FACILITATOR = "co_facilitator", "Co-facilitator"
    FACILITATOR = "facilitator", "Facilitator"


# Roles that may run meetings, see facilitator notes and mark attendance.
FACILITATING_ROLES = frozenset({GroupRole.FACILITATOR, GroupRole.CO_FACILITATOR})
# Roles that look after newcomers (told of first-visit chats, prompted to follow up).
LEADING_ROLES = frozenset({GroupRole.FACILITATOR, GroupRole.CO_FACILITATOR, GroupRole.WELCOME_BUDDY})


class CommitteeRole(models.TextChoices):
    NONE = "", "—"
    CHAIR = "chair", "Chair"
    SECRETARY = "secretary", "Secretary"
    TREASURER = "treasurer", "Treasurer"
    SOCIAL_SECRETARY = "social_secretary", "Social secretary"


class GroupMembership(models.Model):
    """One person's place in one group. Pausing keeps the row (and the place); leaving marks it left."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    role = models.CharField(max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    committee_role = models.CharField(max_length=20, choices=CommitteeRole.choices, blank=True, default="")
    joined_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    follow_up_opt_out = models.BooleanField(
        default=False, help_text="Don't ask the facilitator or welcome buddy to get in touch after my first meeting."
    )

    class Meta:
        ordering = ["group__name", "joined_at"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["group", "status", "role"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="groupmembership_one_per_person"),
            models.CheckConstraint(condition=Q(status__in=MembershipStatus.values), name="groupmembership_status"),
            models.CheckConstraint(condition=Q(role__in=GroupRole.values), name="groupmembership_role_valid"),
            models.CheckConstraint(
                condition=Q(committee_role__in=CommitteeRole.values), name="groupmembership_committee_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_facilitating(self) -> bool:
        return self.is_active and self.role in FACILITATING_ROLES


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every other week"
    MONTHLY_NTH = "monthly_nth", "Monthly, on the nth weekday"
    MONTHLY_LAST = "monthly_last", "Monthly, on the last weekday"


class MeetingDelivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "By video"
    HYBRID = "hybrid", "In person and by video"


class MeetingSeries(models.Model):
    """A recurrence rule in local (Europe/London) time. Meetings are expanded from it into concrete rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=150, blank=True, help_text="Leave blank to use the group's name.")
    frequency = models.CharField(max_length=15, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    nth = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1–4, for monthly on the nth weekday.")
    starts_on = models.DateField(help_text="The first date the rule may fall on.")
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField(help_text="Local time.")
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    timezone = models.CharField(max_length=40, default="Europe/London")
    delivery = models.CharField(max_length=10, choices=MeetingDelivery.choices, default=MeetingDelivery.IN_PERSON)
    video_link = models.URLField(blank=True)
    place = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    expanded_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="series_frequency_valid"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="series_weekday_valid"),
            models.CheckConstraint(
                condition=~Q(frequency="monthly_nth") | Q(nth__gte=1, nth__lte=4), name="series_nth_valid"
            ),
            models.CheckConstraint(condition=Q(delivery__in=MeetingDelivery.values), name="series_delivery_valid"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=720), name="series_duration_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_frequency_display()}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "On"
    CANCELLED = "cancelled", "Cancelled"
    MOVED = "moved", "Moved"


class MeetingKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    SOCIAL = "social", "Social"
    WALK = "walk", "Walk"


class Meeting(models.Model):
    """One concrete occurrence. From a series (slot = the rule's time) or a one-off event (no series).

    A moved meeting keeps its slot, gets a new `starts_at`, status "moved" and `moved_from` = the old time.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    slot = models.DateTimeField(null=True, blank=True, editable=False, help_text="The rule's time for this one.")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices, default=MeetingKind.MEETING)
    title = models.CharField(max_length=150, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    moved_from = models.DateTimeField(null=True, blank=True)
    change_note = models.CharField(max_length=300, blank=True, help_text="Why it was cancelled or moved.")
    delivery = models.CharField(max_length=10, choices=MeetingDelivery.choices, default=MeetingDelivery.IN_PERSON)
    video_link = models.URLField(blank=True)
    place = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    # Time-keeping and the round, kept on the server so the page works without JavaScript.
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    round_order = models.JSONField(default=list, blank=True, help_text="Person public ids, in speaking order.")
    round_position = models.PositiveSmallIntegerField(default=0)
    round_passed = models.JSONField(default=list, blank=True)
    round_turn_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "status"]), models.Index(fields=["group", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "slot"], name="meeting_one_per_slot"),
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def zone(self) -> ZoneInfo:
        """Local time for this meeting: its series' time zone, or the group's for a one-off event."""
        if self.series_id is not None and self.series is not None:
            return zone_named(self.series.timezone)
        return self.group.zone

    @property
    def display_title(self) -> str:
        return self.title or (self.series.title if self.series_id and self.series.title else "") or self.group.name

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class RSVPAnswer(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    CANT = "cant", "Can't come"


class RSVP(models.Model):
    """A person's answer for one meeting. When the meeting is full, "going" joins the waiting list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_rsvps")
    answer = models.CharField(max_length=8, choices=RSVPAnswer.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="rsvp_one_per_person"),
            models.CheckConstraint(condition=Q(answer__in=RSVPAnswer.values), name="rsvp_answer_valid"),
            models.CheckConstraint(
                condition=Q(waitlist_position__isnull=True) | Q(answer="going"), name="rsvp_waitlist_only_going"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.answer}"

    @property
    def is_waiting(self) -> bool:
        return self.waitlist_position is not None


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_attendances")
    present = models.BooleanField(default=True)
    first_visit = models.BooleanField(default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "person__display_name"]
        indexes = [models.Index(fields=["person", "present"])]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting_id}: {'present' if self.present else 'absent'}"


class FirstVisitChatStatus(models.TextChoices):
    REQUESTED = "requested", "Asked for"
    ARRANGED = "arranged", "Arranged"
    DONE = "done", "Had the chat"
    WITHDRAWN = "withdrawn", "No longer needed"


class FirstVisitChat(models.Model):
    """A newcomer asking for a short chat with the welcome buddy or facilitator before their first meeting."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="first_visit_chats")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_visit_chats_to_hold",
        help_text="The welcome buddy or facilitator asked to have the chat.",
    )
    message = models.TextField(max_length=1000, blank=True)
    how_to_reach = models.CharField(max_length=200, blank=True, help_text="e.g. a message here, or a phone call")
    status = models.CharField(
        max_length=10, choices=FirstVisitChatStatus.choices, default=FirstVisitChatStatus.REQUESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"First-visit chat for {self.person}"


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "To do"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Not needed"


class FollowUpPrompt(models.Model):
    """The day after a first meeting: a prompt to a facilitator or buddy to send a kind follow-up."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="follow_up_prompts")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_up_prompts")
    newcomer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    prompted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups_to_do")
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "newcomer"], name="followup_once_per_newcomer"),
        ]

    def __str__(self) -> str:
        return f"Follow up {self.newcomer}"


class RotaSlot(models.Model):
    """Who facilitates one coming meeting. No facilitator = a gap (co-facilitators are told)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="rota")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="rota_slots"
    )
    gap_notified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rota for meeting {self.meeting_id}"

    @property
    def is_gap(self) -> bool:
        return self.facilitator_id is None


class HandoverNote(models.Model):
    """What one facilitator passes to the next. Seen by the group's facilitators only; encrypted at rest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="handover_notes")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="handover_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Handover note {self.public_id}"


class FacilitatorNote(models.Model):
    """Private notes about a meeting. Facilitators of the group only — never members. Encrypted at rest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="facilitator_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = EncryptedTextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Facilitator note {self.public_id}"


class IncidentNote(models.Model):
    """If something difficult happened. Facilitators and the organisation's coordinators. Encrypted at rest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="incident_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    what_happened = EncryptedTextField(max_length=5000)
    action_taken = EncryptedTextField(max_length=3000, blank=True)
    needs_follow_up = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Incident note {self.public_id}"


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed URL. Only its keyed digest is stored."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar token for {self.person}"
