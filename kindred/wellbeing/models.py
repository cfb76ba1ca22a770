"""Well-being check-ins, goals, reminders and shared summaries. Private to the person unless they share.

Scoring lives in measures.py; these rows keep the answers and the scores worked out when the person checked in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kindred.core.crypto import EncryptedTextField


class MeasureCode(models.TextChoices):
    ONS4 = "ons4", "Personal well-being (ONS4)"
    UCLA3 = "ucla3", "Loneliness (UCLA 3)"
    PHQ9 = "phq9", "PHQ-9"
    GAD7 = "gad7", "GAD-7"


class SelfHarmResponse(models.TextChoices):
    SIGNPOST = "signpost", "Show crisis signposting to the person only"
    NOTIFY_LEADS = "notify_leads", "Show crisis signposting and tell the organisation's safeguarding lead(s)"


class WellbeingSettings(models.Model):
    """An organisation's choices for well-being check-ins. Missing row means the defaults (all off)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="wellbeing_settings"
    )
    phq9_enabled = models.BooleanField(default=False)
    gad7_enabled = models.BooleanField(default=False)
    self_harm_response = models.CharField(
        max_length=14, choices=SelfHarmResponse.choices, default=SelfHarmResponse.SIGNPOST
    )
    safeguarding_leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "well-being settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(self_harm_response__in=SelfHarmResponse.values), name="wb_settings_response_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Well-being settings for {self.organisation}"


class CheckIn(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_checkins")
    measure = models.CharField(max_length=8, choices=MeasureCode.choices)
    answers = models.JSONField()  # {item_key: value}
    scores = models.JSONField()  # {"total": n} or one per ONS4 question
    total = models.PositiveSmallIntegerField(null=True, blank=True)  # null for ONS4 (never totalled)
    self_harm = models.BooleanField(default=False)
    # The organisation whose setting made PHQ-9/GAD-7 available (its safeguarding policy applies).
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["person", "taken_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(measure__in=MeasureCode.values), name="wb_checkin_measure_valid"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.public_id}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    LET_GO = "let_go", "Let go"


class Goal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_goals")
    title = models.CharField(max_length=200)
    why = EncryptedTextField(max_length=2000, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="wb_goal_status_valid")]

    def __str__(self) -> str:
        return self.title


class GoalNote(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField(max_length=2000, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)  # 0-10, how far along it feels
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=10), name="wb_goalnote_progress_range"
            )
        ]

    def __str__(self) -> str:
        return f"Progress note {self.public_id}"


class ReminderFrequency(models.TextChoices):
    OFF = "off", "No reminders"
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"


class ReminderSettings(models.Model):
    """Off unless the person turns reminders on. Never more often than they chose."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_reminders"
    )
    frequency = models.CharField(max_length=12, choices=ReminderFrequency.choices, default=ReminderFrequency.OFF)
    measures = models.JSONField(default=list, blank=True)  # measure codes to be reminded about
    # When reminders were last switched on or changed: the first reminder comes one interval after this.
    started_at = models.DateTimeField(default=timezone.now)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=ReminderFrequency.values), name="wb_reminder_frequency_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.person}"


class Share(models.Model):
    """A summary the person chose to show one supporter, until they stop sharing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_shares")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_shared_with_me"
    )
    measures = models.JSONField(default=list, blank=True)  # which measures' latest scores and trend
    include_goals = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("supporter")), name="wb_share_not_self"),
            models.UniqueConstraint(
                fields=["person", "supporter"], condition=Q(revoked_at__isnull=True), name="wb_share_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"Share {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def measure_names(self) -> list[str]:
        return [str(MeasureCode(code).label) for code in self.measures if code in MeasureCode.values]
