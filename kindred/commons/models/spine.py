"""The spine: every participation in every form, as one row per (person, thing, form, role) over time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q


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

    Written only through `kindred.commons.spine`; the journey timeline, suggestions and reports read it. A person who
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
                name="commons_engagement_one_open",
            ),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="commons_engagement_form_valid"),
            models.CheckConstraint(condition=Q(role__in=EngagementRole.values), name="commons_engagement_role_valid"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="commons_engagement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(last_active_at__gte=F("started_at")), name="commons_engagement_active_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.form}/{self.role} {self.subject_label}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
