"""Staying in touch between meetings: absence check-ins, the noticeboard and the newsletter."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

__all__ = [
    "AbsenceCheckIn",
    "BoardPost",
    "NewsletterIssue",
    "NewsletterIssueStatus",
    "NewsletterItem",
    "NewsletterItemStatus",
    "NewsletterSubscription",
    "NewsletterUnsubscribeToken",
]


class AbsenceCheckIn(models.Model):
    """A member's own request: "if I miss this many meetings in a row, ask this person to get in touch".

    Only the trusted member is ever prompted. Kindred never contacts the absent person about it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="absence_check_ins")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absence_check_ins")
    trusted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absence_check_ins_trusted_with"
    )
    after_missed = models.PositiveSmallIntegerField(help_text="How many meetings in a row, from 1 to 12.")
    # The last meeting counted when the trusted member was prompted, so one absence prompts once.
    prompted_after = models.ForeignKey(
        "groups.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="absencecheckin_one_per_member"),
            models.CheckConstraint(condition=~Q(member=F("trusted")), name="absencecheckin_trusted_is_someone_else"),
            models.CheckConstraint(
                condition=Q(after_missed__gte=1, after_missed__lte=12), name="absencecheckin_after_missed_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in for {self.member} in {self.group}"


class BoardPost(models.Model):
    """A message on a group's between-meetings noticeboard. Members of the group only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="board_posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_board_posts"
    )
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "created_at"])]

    def __str__(self) -> str:
        return f"Post in {self.group}"


class NewsletterItemStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the editor"
    INCLUDED = "included", "In an issue"
    DECLINED = "declined", "Not used this time"


class NewsletterIssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"


class NewsletterIssue(models.Model):
    """One issue of a group's newsletter: drafted and edited by a facilitator, then sent and archived."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="newsletter_issues")
    title = models.CharField(max_length=150)
    introduction = models.TextField(max_length=5000, blank=True)
    status = models.CharField(max_length=10, choices=NewsletterIssueStatus.choices, default=NewsletterIssueStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NewsletterIssueStatus.values), name="newsletterissue_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False), name="newsletterissue_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NewsletterItem(models.Model):
    """Something a member offers for the newsletter. The editor may tidy it before it goes in an issue."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="newsletter_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="newsletter_items"
    )
    title = models.CharField(max_length=150)
    body = models.TextField(max_length=4000)
    status = models.CharField(
        max_length=10, choices=NewsletterItemStatus.choices, default=NewsletterItemStatus.SUBMITTED
    )
    issue = models.ForeignKey(NewsletterIssue, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=NewsletterItemStatus.values), name="newsletteritem_status"),
        ]

    def __str__(self) -> str:
        return self.title


class NewsletterSubscription(models.Model):
    """Whether a person gets a group's newsletter by email. No row means the default: members get it."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="newsletter_subscriptions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter_subscriptions"
    )
    subscribed = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="newslettersub_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.group} newsletter"


class NewsletterUnsubscribeToken(models.Model):
    """The secret in one email's unsubscribe link. Only its keyed digest is stored."""

    subscription = models.ForeignKey(NewsletterSubscription, on_delete=models.CASCADE, related_name="tokens")
    issue = models.ForeignKey(NewsletterIssue, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "Unsubscribe link"
