"""Informal connections, conversations, schemes, supporter profiles and matching.

Sessions, notes and peer support worker practice live in sibling modules and point at these.
"""

from __future__ import annotations

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = [
    "AVAILABILITY_SLOTS",
    "DAYS",
    "LIVE_MATCH_STATUSES",
    "OPEN_CONNECTION_STATUSES",
    "PARTS_OF_DAY",
    "Channel",
    "Connection",
    "ConnectionRole",
    "ConnectionStatus",
    "Conversation",
    "ConversationParticipant",
    "DeclinedPair",
    "LayerVisibility",
    "Match",
    "MatchEndReason",
    "MatchRequest",
    "MatchRequestStatus",
    "MatchStatus",
    "MatchingMode",
    "Message",
    "Scheme",
    "SchemeKind",
    "SupporterProfile",
    "SupporterStatus",
]


# ---------------------------------------------------------------------------------------------------------------------
# Weekly availability: a simple grid people can tick without JavaScript ("tue-evening").
DAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
PARTS_OF_DAY = (("morning", "mornings"), ("afternoon", "afternoons"), ("evening", "evenings"))
AVAILABILITY_SLOTS: dict[str, str] = {
    f"{day}-{part}": f"{day_label} {part_label}" for day, day_label in DAYS for part, part_label in PARTS_OF_DAY
}


# ---------------------------------------------------------------------------------------------------------------------
# Informal connections


class ConnectionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a reply"
    ACCEPTED = "accepted", "Connected"
    DECLINED = "declined", "Not taken up"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


OPEN_CONNECTION_STATUSES = (ConnectionStatus.REQUESTED, ConnectionStatus.ACCEPTED, ConnectionStatus.PAUSED)


class ConnectionRole(models.TextChoices):
    """How each person sees their side of a connection (principle 5: reciprocity without calculation)."""

    RECEIVING = "receiving", "Mostly receiving support"
    GIVING = "giving", "Mostly giving support"
    BOTH = "both", "Both giving and receiving"


class Connection(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="connections_requested"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="connections_received"
    )
    status = models.CharField(max_length=12, choices=ConnectionStatus.choices, default=ConnectionStatus.REQUESTED)
    requester_role = models.CharField(max_length=10, choices=ConnectionRole.choices, default=ConnectionRole.BOTH)
    recipient_role = models.CharField(max_length=10, choices=ConnectionRole.choices, default=ConnectionRole.BOTH)
    note = models.TextField(max_length=1000, blank=True, help_text="A short hello from the person asking.")
    where_met = models.CharField(max_length=150, blank=True, help_text="e.g. the Tuesday hearing voices group")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="connection_not_self"),
            models.CheckConstraint(condition=Q(status__in=ConnectionStatus.values), name="connection_status_valid"),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["requested", "accepted", "paused"]),
                name="connection_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Connection {self.public_id}"

    def other(self, user: object) -> object:
        return self.recipient if user == self.requester else self.requester

    def role_of(self, user: object) -> str:
        return self.requester_role if user == self.requester else self.recipient_role


# ---------------------------------------------------------------------------------------------------------------------
# Conversations (for a connection or an active match)


class Conversation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    connection = models.OneToOneField(
        Connection, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    match = models.OneToOneField(
        "onetoone.Match", null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(connection__isnull=False, match__isnull=True)
                | Q(connection__isnull=True, match__isnull=False),
                name="conversation_has_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"Conversation {self.public_id}"


class ConversationParticipant(models.Model):
    """Who is in a conversation and how far they have read (read state)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="onetoone_participant_once")]

    def __str__(self) -> str:
        return f"Participant {self.pk}"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    screening_level = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.public_id}"


# ---------------------------------------------------------------------------------------------------------------------
# Schemes


class SchemeKind(models.TextChoices):
    BEFRIENDING = "befriending", "Befriending"
    MENTORING = "mentoring", "Peer mentoring"
    PEN_FRIENDS = "pen_friends", "Email pen-friends"
    PSW = "psw", "Peer support worker service"


class MatchingMode(models.TextChoices):
    COORDINATOR = "coordinator", "A coordinator suggests a match"
    CHOOSES = "chooses", "The person chooses from suggestions"
    BATCH = "batch", "Automatic matching in rounds, checked by a coordinator"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    MESSAGES = "messages", "Messages in Kindred"


class Scheme(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="schemes")
    offer = models.OneToOneField(
        "directory.Offer",
        on_delete=models.CASCADE,
        related_name="scheme",
        limit_choices_to={"kind__in": ["scheme", "psw_service"]},
    )
    kind = models.CharField(max_length=12, choices=SchemeKind.choices, default=SchemeKind.BEFRIENDING)
    matching_mode = models.CharField(max_length=12, choices=MatchingMode.choices, default=MatchingMode.COORDINATOR)
    channels = models.JSONField(default=list, blank=True)  # list of Channel values
    default_capacity = models.PositiveSmallIntegerField(default=2)
    # Off by default: a session limit is an organisation's deliberate choice (L846).
    session_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility = models.CharField(max_length=300, blank=True, help_text="Leave empty if the scheme is open to all.")
    caseload_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    # Whether a supervisor may read a supporter's private session notes (every read audited).
    supervisor_reads_notes = models.BooleanField(default=False)
    accepting_requests = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer__title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SchemeKind.values), name="scheme_kind_valid"),
            models.CheckConstraint(condition=Q(matching_mode__in=MatchingMode.values), name="scheme_mode_valid"),
            models.CheckConstraint(condition=Q(default_capacity__gte=1), name="scheme_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.offer.title if self.offer_id else f"Scheme {self.public_id}"

    @property
    def title(self) -> str:
        return self.offer.title

    @property
    def is_psw(self) -> bool:
        return self.kind == SchemeKind.PSW

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]


# ---------------------------------------------------------------------------------------------------------------------
# Supporters


class LayerVisibility(models.TextChoices):
    COORDINATORS = "coordinators", "Only the scheme's coordinators"
    MATCHED = "matched", "People I am matched with"
    SEEKERS = "seekers", "People looking for a match in this scheme"


class SupporterStatus(models.TextChoices):
    AVAILABLE = "available", "Available for new matches"
    FULL = "full", "Full for now"
    STEPPING_BACK = "stepping_back", "Stepping back for a while"


class SupporterProfile(models.Model):
    """What a supporter chooses to share, in layers, and how much they can give (principle 9)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_profiles")
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="supporters"
    )  # null: a person's general profile for informal connections

    # Layered disclosure, each with its own visibility (seed 002).
    experience_distress = models.TextField(max_length=2000, blank=True)
    experience_distress_visibility = models.CharField(
        max_length=14, choices=LayerVisibility.choices, default=LayerVisibility.MATCHED
    )
    experience_services = models.TextField(max_length=2000, blank=True)
    experience_services_visibility = models.CharField(
        max_length=14, choices=LayerVisibility.choices, default=LayerVisibility.MATCHED
    )
    wider_life = models.TextField(max_length=2000, blank=True)
    wider_life_visibility = models.CharField(
        max_length=14, choices=LayerVisibility.choices, default=LayerVisibility.MATCHED
    )
    interests_values = models.TextField(max_length=2000, blank=True)
    interests_values_visibility = models.CharField(
        max_length=14, choices=LayerVisibility.choices, default=LayerVisibility.SEEKERS
    )

    # What matching uses (self-described; all optional).
    experience_tags = models.CharField(max_length=300, blank=True, help_text="Separate with commas.")
    interest_tags = models.CharField(max_length=300, blank=True, help_text="Separate with commas.")
    value_tags = models.CharField(max_length=300, blank=True, help_text="Separate with commas.")
    identity = models.JSONField(default=dict, blank=True)  # {"gender": "woman", "faith": "muslim", ...}
    languages = models.CharField(max_length=200, default="English", help_text="Separate with commas.")
    channels = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)  # list of AVAILABILITY_SLOTS keys
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    max_distance_km = models.PositiveSmallIntegerField(null=True, blank=True)

    capacity = models.PositiveSmallIntegerField(default=2)
    # Quiet hours are the person's own, for all of Kindred (accounts.Profile), so every email waits for them:
    # see the read-only properties below. They used to be stored here per scheme (migration 0003 moved them).
    status = models.CharField(max_length=14, choices=SupporterStatus.choices, default=SupporterStatus.AVAILABLE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "scheme"], name="supporter_once_per_scheme"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(scheme__isnull=True), name="supporter_one_general_profile"
            ),
            models.CheckConstraint(condition=Q(status__in=SupporterStatus.values), name="supporter_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Supporter {self.public_id}"

    @property
    def quiet_hours_start(self) -> time | None:
        return getattr(getattr(self.user, "profile", None), "quiet_hours_start", None)

    @property
    def quiet_hours_end(self) -> time | None:
        return getattr(getattr(self.user, "profile", None), "quiet_hours_end", None)

    LAYERS = (
        ("experience_distress", "Experience of distress"),
        ("experience_services", "Experience of services"),
        ("wider_life", "Wider life"),
        ("interests_values", "Interests and values"),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Requests and matches


class MatchRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for a match"
    MATCHED = "matched", "Matched"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MatchRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_requests")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="requests")
    status = models.CharField(max_length=10, choices=MatchRequestStatus.choices, default=MatchRequestStatus.OPEN)
    about = models.TextField(
        max_length=2000, blank=True, help_text="In your own words: what you would like support with."
    )
    experience_tags = models.CharField(max_length=300, blank=True)
    interest_tags = models.CharField(max_length=300, blank=True)
    value_tags = models.CharField(max_length=300, blank=True)
    identity = models.JSONField(default=dict, blank=True)  # the seeker's own, if they choose to share
    # {"gender": {"value": "woman", "strength": "must" | "prefer"}, ...}
    preferences = models.JSONField(default=dict, blank=True)
    languages = models.CharField(max_length=200, default="English")
    channels = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    max_distance_km = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "scheme"], condition=Q(status="open"), name="match_request_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.public_id}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a coordinator's check"
    APPROVED = "approved", "Sent to both people"
    ACCEPTED_BY_SEEKER = "accepted_by_seeker", "Waiting for the supporter"
    ACCEPTED_BY_SUPPORTER = "accepted_by_supporter", "Waiting for the person"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Not going ahead"
    WITHDRAWN = "withdrawn", "Not sent"
    ENDED = "ended", "Ended"


# Statuses that hold a place in a supporter's capacity.
LIVE_MATCH_STATUSES = (
    MatchStatus.PROPOSED,
    MatchStatus.APPROVED,
    MatchStatus.ACCEPTED_BY_SEEKER,
    MatchStatus.ACCEPTED_BY_SUPPORTER,
    MatchStatus.ACTIVE,
)


class MatchEndReason(models.TextChoices):
    COMPLETED = "completed", "Came to a natural end"
    MOVED_ON = "moved_on", "Moved on to something else"
    NOT_RIGHT = "not_right", "It was not the right match"
    STEPPING_BACK = "stepping_back", "The supporter is stepping back"
    OTHER = "other", "Other"


class Match(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="matches")
    request = models.ForeignKey(MatchRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches")
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="matches_as_seeker"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="matches_as_supporter"
    )
    supporter_profile = models.ForeignKey(
        SupporterProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )
    status = models.CharField(max_length=24, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)  # plain-words reasons shown to people
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    seeker_accepted_at = models.DateTimeField(null=True, blank=True)
    supporter_accepted_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=16, choices=MatchEndReason.choices, blank=True)
    # A coordinator going past a peer support worker's caseload cap must say why.
    cap_override_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(condition=~Q(seeker=models.F("supporter")), name="match_not_self"),
            models.CheckConstraint(condition=Q(status__in=MatchStatus.values), name="match_status_valid"),
            models.UniqueConstraint(
                fields=["scheme", "seeker", "supporter"],
                condition=Q(
                    status__in=["proposed", "approved", "accepted_by_seeker", "accepted_by_supporter", "active"]
                ),
                name="match_one_live_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "status"])]

    def __str__(self) -> str:
        return f"Match {self.public_id}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_MATCH_STATUSES


class DeclinedPair(models.Model):
    """A pair that must never be proposed again in this scheme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="declined_pairs")
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "seeker", "supporter"], name="declined_pair_once")]

    def __str__(self) -> str:
        return f"Declined pair {self.pk}"
