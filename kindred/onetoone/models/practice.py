"""Sessions, private notes, ending well, and peer support worker practice.

Private text — session notes, closing reflections, disclosure and dilemma descriptions, supervision notes,
check-in notes — is encrypted at rest with `kindred.core.crypto.EncryptedTextField`. Written only through
`kindred.onetoone.practice`; every read of a note goes through it too, so each one is audited.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

# One check-in for every supporter: the after-session check-in is kindred.care's SupporterCheckIn
# (its rows moved there in care migration 0002). These names stay so one-to-one practice code reads the same rows.
from kindred.care.models import Feeling
from kindred.core.crypto import EncryptedTextField

from .core import Channel

__all__ = [
    "MAX_SESSION_MINUTES",
    "NOTE_MAX_CHARS",
    "BoundaryDilemma",
    "DisclosureLayer",
    "DisclosureLog",
    "Ending",
    "Feeling",
    "Helpfulness",
    "Session",
    "SessionNote",
    "SessionStatus",
    "SuggestedForm",
    "SupervisionAssignment",
    "SupervisionRecord",
]

MAX_SESSION_MINUTES = 8 * 60  # a long day out together; anything longer is almost certainly a typing slip
NOTE_MAX_CHARS = 5000


class SupervisionAssignment(models.Model):
    """A supervisor supervises a supporter (PSW or volunteer) within one organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="supervision_assignments"
    )
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    supervisee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "supervisor", "supervisee"],
                condition=Q(ended_at__isnull=True),
                name="supervision_one_open_assignment",
            ),
            models.CheckConstraint(condition=~Q(supervisor=F("supervisee")), name="supervision_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee} at {self.organisation}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Planned"
    HELD = "held", "Happened"
    CANCELLED = "cancelled", "Cancelled"
    MISSED = "missed", "Didn't happen"


class Session(models.Model):
    """One time two people in a one-to-one relationship met, or plan to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.ForeignKey("onetoone.Match", on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=12, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["match", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="session_duration_sensible",
            ),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="session_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"Session on {self.starts_at:%d %b %Y}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SessionNote(models.Model):
    """A private note by one person about a session. Encrypted at rest; every read is audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(max_length=NOTE_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:  # never the body: str() ends up in logs and the admin
        return f"Note {self.public_id}"


class SuggestedForm(models.TextChoices):
    GROUP = "group", "A peer support group"
    ONLINE = "online", "An online space"
    ONE_TO_ONE = "one_to_one", "Another one-to-one match"
    INFORMAL = "informal", "Staying in touch informally"
    PRACTICAL = "practical", "Practical advice (benefits, housing)"


class Ending(models.Model):
    """Ending well: how a one-to-one relationship came to a close, a reflection, and what might come next."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.OneToOneField("onetoone.Match", on_delete=models.CASCADE, related_name="ending")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reflection = EncryptedTextField(max_length=3000, blank=True)
    suggested_forms = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Ending {self.public_id}"


class DisclosureLayer(models.TextChoices):
    DISTRESS = "distress", "My experience of distress"
    SERVICES = "services", "My experience of services"
    WIDER_LIFE = "wider_life", "My wider life"


class Helpfulness(models.TextChoices):
    UNKNOWN = "", "Not sure / didn't ask"
    HELPFUL = "helpful", "They found it helpful"
    NEUTRAL = "neutral", "It didn't seem to make a difference"
    UNHELPFUL = "unhelpful", "It didn't seem to help"


class DisclosureLog(models.Model):
    """What a worker chose to share of their own lived experience in a session (seed 003)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="disclosures")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    layer = models.CharField(max_length=12, choices=DisclosureLayer.choices)
    what_i_shared = EncryptedTextField(max_length=2000)
    why = EncryptedTextField(max_length=2000, blank=True)
    helpful = models.CharField(max_length=10, choices=Helpfulness.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(layer__in=DisclosureLayer.values), name="disclosure_layer_valid"),
            models.CheckConstraint(condition=Q(helpful__in=Helpfulness.values), name="disclosure_helpful_valid"),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.public_id}"


class BoundaryDilemma(models.Model):
    """A boundary dilemma a worker met (a gift, a friend request, being asked to be always reachable…)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(
        "onetoone.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="boundary_dilemmas"
    )
    occurred_on = models.DateField()
    what_happened = EncryptedTextField(max_length=3000)
    what_i_did = EncryptedTextField(max_length=3000, blank=True)
    bring_to_supervision = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"Boundary dilemma {self.public_id}"


class SupervisionRecord(models.Model):
    """A supervision conversation, recorded by the supervisor. Notes are encrypted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    supervisee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    held_on = models.DateField()
    notes = EncryptedTextField(max_length=NOTE_MAX_CHARS, blank=True)
    agreed_actions = EncryptedTextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d %b %Y}"
