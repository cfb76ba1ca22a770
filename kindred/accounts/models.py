from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", "Admin")
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """One account spans every form and every organisation (principle 1)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    display_name = models.CharField(max_length=50, help_text="The name others see. It can be a pseudonym.")
    real_name = models.CharField(max_length=150, blank=True, help_text="Optional. Only you and staff can see it.")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Visibility(models.TextChoices):
    ONLY_ME = "only_me", "Only me"
    STAFF = "staff", "Staff of my organisations"
    MEMBERS = "members", "Members of my organisations"
    ANYONE = "anyone", "Anyone"


class AgeBand(models.TextChoices):
    UNSAID = "", "Prefer not to say"
    UNDER_18 = "under_18", "Under 18"
    A18_24 = "18_24", "18–24"
    A25_34 = "25_34", "25–34"
    A35_44 = "35_44", "35–44"
    A45_54 = "45_54", "45–54"
    A55_64 = "55_64", "55–64"
    A65_PLUS = "65_plus", "65 or over"


# The optional things a person may say about themselves, each shown only as they choose.
PROFILE_FIELDS: tuple[str, ...] = (
    "experience",
    "gender",
    "ethnicity",
    "sexuality",
    "age_band",
    "faith",
    "interests",
    "languages",
    "values",
)


def _visibility() -> models.CharField:
    return models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.ONLY_ME)


class Profile(models.Model):
    """What a person chooses to share. Everything optional; everything private until they say otherwise."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    experience = models.TextField(
        max_length=4000, blank=True, help_text="Your experience of mental or emotional distress, in your own words."
    )
    experience_visibility = _visibility()
    gender = models.CharField(max_length=80, blank=True)
    gender_visibility = _visibility()
    ethnicity = models.CharField(max_length=80, blank=True)
    ethnicity_visibility = _visibility()
    sexuality = models.CharField(max_length=80, blank=True)
    sexuality_visibility = _visibility()
    age_band = models.CharField(max_length=10, blank=True, choices=AgeBand.choices)
    age_band_visibility = _visibility()
    faith = models.CharField(max_length=80, blank=True)
    faith_visibility = _visibility()
    interests = models.CharField(max_length=500, blank=True, help_text="Separate with commas, e.g. walking, music.")
    interests_visibility = _visibility()
    languages = models.CharField(max_length=300, blank=True, help_text="Separate with commas.")
    languages_visibility = _visibility()
    values = models.CharField(max_length=500, blank=True, help_text="What matters to you, separated with commas.")
    values_visibility = _visibility()

    # Contact preferences
    email_notifications = models.BooleanField(default=True, help_text="Send me emails about things I take part in.")
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/London")

    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def visibility_of(self, field: str) -> str:
        return str(getattr(self, f"{field}_visibility"))


class ConsentKind(models.TextChoices):
    TERMS = "terms", "Terms of use"
    PRIVACY = "privacy", "Privacy notice"
    RESEARCH_CONTACT = "research_contact", "Contact about research"


class ConsentRecord(models.Model):
    """Append-only: each row is one decision; the latest row per kind is the current state."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=20)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} v{self.version} {'granted' if self.granted else 'withdrawn'}"


class ApiToken(models.Model):
    """A personal API token. Only its keyed digest is stored; the token is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email=normalise_email(email)).exists()
