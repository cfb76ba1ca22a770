"""Reports, moderation actions, appeals, moderator shifts and blocks.

Reports and actions point at their target generically, so the same flow serves forum posts and chat messages.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q


class ReportReason(models.TextChoices):
    WORRIED = "worried", "I'm worried about this person's safety"
    UNKIND = "unkind", "Unkind, bullying or harassing"
    HATEFUL = "hateful", "Hateful or discriminatory"
    PRIVATE_INFO = "private_info", "Shares someone's private information"
    HARMFUL_DETAIL = "harmful_detail", "Detail that could harm others (methods, numbers)"
    SPAM = "spam", "Spam or advertising"
    RULES = "rules", "Breaks the house rules in another way"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    ACTIONED = "actioned", "Acted on"
    DISMISSED = "dismissed", "No action needed"


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="community_reports"
    )
    # The organisation whose moderators see it in their queue (the space's or room's host).
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_about"
    )
    # What the target said when it was reported, so moderators see it even after an edit.
    target_excerpt = models.TextField(max_length=10000, blank=True)
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=ReportReason.values), name="report_reason_valid"),
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="report_one_open_per_reporter_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.public_id}"


class ActionKind(models.TextChoices):
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    WARN = "warn", "Warning"
    MUTE = "mute", "Muted"
    SUSPEND = "suspend", "Suspended"
    BAN = "ban", "Banned"


# Kinds that limit what a person can do (rather than act on one post or message).
RESTRICTING_KINDS = frozenset({ActionKind.MUTE, ActionKind.SUSPEND, ActionKind.BAN})


class ModerationAction(models.Model):
    """What a moderator did, why (shown to the author) and until when. Never edited: lifting sets lifted_at."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="moderation_actions_received"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="moderation_actions_taken"
    )
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    reason = models.TextField(max_length=2000, help_text="Shown to the person, so write it kindly and plainly.")
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="modaction_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind__in=["mute", "suspend"]) | Q(until__isnull=False),
                name="modaction_mute_suspend_have_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.public_id})"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "Waiting for another moderator"
    UPHELD = "upheld", "Decision stands"
    OVERTURNED = "overturned", "Decision reversed"


class Appeal(models.Model):
    """The author's one appeal against an action, decided by a moderator other than the one who acted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=3000)
    status = models.CharField(max_length=12, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("appellant")),
                name="appeal_not_decided_by_appellant",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.public_id}"


class ModeratorShift(models.Model):
    """A moderator on duty for an organisation, from started_at until ended_at (open while on duty)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_shifts")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "moderator"],
                condition=Q(ended_at__isnull=True),
                name="moderatorshift_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.moderator} on duty from {self.started_at:%Y-%m-%d %H:%M}"
