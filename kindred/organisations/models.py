from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kindred.core.zones import zone_named


class OrganisationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Organisation(models.Model):
    """A group network, charity or NHS service running peer support. Its people and records are its own.

    An organisation is never deleted (that would take everyone's words with it): it is closed
    (`kindred.organisations.closure`), and everything it held is kept.
    """

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    region = models.CharField(max_length=80, blank=True, help_text="e.g. Greater Manchester, North East")
    description = models.TextField(max_length=2000, blank=True)
    safeguarding_policy = models.TextField(
        max_length=20000,
        blank=True,
        help_text="What the organisation does if it is worried about someone's safety. Shown to members.",
    )
    timezone = models.CharField(
        max_length=40,
        default="Europe/London",
        help_text="Where its people are: meeting times, opening hours and reports use this time zone.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrganisationStatus.values), name="organisation_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's time zone (the site's own if the name isn't one we know)."""
        return zone_named(self.timezone)

    @property
    def is_closed(self) -> bool:
        return self.status == OrganisationStatus.CLOSED


class CrisisResource(models.Model):
    """A route to urgent help an organisation wants shown on its crisis page."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="crisis_resources")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True, help_text="A number people can text.")
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=120, blank=True, help_text="e.g. 24 hours, or Mon–Fri 9am–5pm")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    PEER = "peer", "Peer volunteer"
    FACILITATOR = "facilitator", "Facilitator"
    PSW = "psw", "Peer support worker"
    COORDINATOR = "coordinator", "Coordinator"
    MODERATOR = "moderator", "Moderator"
    SUPERVISOR = "supervisor", "Supervisor"


# Roles whose holders act for the organisation and may see what a person shares with "staff".
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.PSW, Role.MODERATOR, Role.SUPERVISOR})


class Membership(models.Model):
    """One role a person holds in one organisation. A person may hold several, in several organisations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Invitation(models.Model):
    """A coordinator's single-use, expiring invitation. Only the token's keyed digest is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
