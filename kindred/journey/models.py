from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from kindred.core.crypto import EncryptedTextField

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
