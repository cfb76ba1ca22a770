from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from kindred.core.crypto import EncryptedTextField


class Form(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"
    ONLINE = "online", "Online"


class EngagementRole(models.TextChoices):
    RECEIVING = "receiving", "Receiving support"
    GIVING = "giving", "Giving support"
    FACILITATING = "facilitating", "Facilitating"
    READING = "reading", "Reading"


class EndReason(models.TextChoices):
    LEFT = "left", "Chose to leave"
    PAUSED = "paused", "Taking a break"
    COMPLETED = "completed", "Came to a natural end"
    CLOSED = "closed", "The group or space closed"
    MOVED_ON = "moved_on", "Moved on to something else"
    ACCOUNT_DELETED = "account_deleted", "Account deleted"
    OTHER = "other", "Other"


class Engagement(models.Model):
    """The spine: one row per (person, thing, form, role) over a span of time.

    Written only through journey.services; the journey timeline and reports read it. A person who
    pauses and returns gets a new row, so breaks show as breaks.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    form = models.CharField(max_length=12, choices=Form.choices)
    role = models.CharField(max_length=12, choices=EngagementRole.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    # Kept so the person's history stays readable after a group or space is closed and archived.
    subject_label = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    last_active_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["person", "started_at"]),
            models.Index(fields=["organisation", "form", "role"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "subject_type", "subject_id", "form", "role"],
                condition=Q(ended_at__isnull=True),
                name="engagement_one_open_per_subject_role",
            ),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="engagement_form_valid"),
            models.CheckConstraint(condition=Q(role__in=EngagementRole.values), name="engagement_role_valid"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="engagement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(last_active_at__gte=F("started_at")), name="engagement_active_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.form}/{self.role} {self.subject_label}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


# --- The person's own record: moments, status, reflections, dismissed suggestions --------------------------------
# Everything below is private to the person. No one else sees it: not coordinators, not staff, not supervisors.


class Moment(models.Model):
    """Something that happened in the person's life, in their own words ("moved house"), drawn on the journey."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_moments")
    happened_on = models.DateField()
    text = models.CharField(max_length=140)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["happened_on", "id"]
        indexes = [models.Index(fields=["person", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.text}"


class JourneyStatus(models.TextChoices):
    NEEDING_SUPPORT = "needing_support", "Needing support"
    ABLE_TO_GIVE = "able_to_give", "Able to give support"
    JUST_READING = "just_reading", "Just reading"
    TAKING_A_BREAK = "taking_a_break", "Taking a break"


class StatusChange(models.Model):
    """One entry in the person's status history. The newest row is the current status and housebound flag."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_status_changes"
    )
    status = models.CharField(max_length=20, choices=JourneyStatus.choices, blank=True)
    housebound = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[*JourneyStatus.values, ""]), name="journey_statuschange_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.status or '—'} {self.changed_at:%Y-%m-%d}"


class Reflection(models.Model):
    """A private note on what helped. Encrypted at rest; only its author ever reads it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_reflections")
    text = EncryptedTextField(max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"Reflection {self.public_id}"


class SuggestionDismissal(models.Model):
    """A suggestion the person said no to. The key is stable ("rule:offer-uuid"), so it never comes back."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_dismissals")
    key = models.CharField(max_length=120)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="journey_dismissal_once")]

    def __str__(self) -> str:
        return f"{self.person} dismissed {self.key}"
