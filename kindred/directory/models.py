"""The directory: every offer of peer support in every form, in one place (capability A)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from kindred.commons.models import Form

from .text import document_for


class OfferKind(models.TextChoices):
    GROUP = "group", "Group"
    SCHEME = "scheme", "One-to-one scheme"
    ONLINE_SPACE = "online_space", "Online space"
    PSW_SERVICE = "psw_service", "Peer support worker service"


# The form of peer support each kind of offer is (principle 1: every participation has a form).
FORM_OF_KIND = {
    OfferKind.GROUP: Form.GROUP,
    OfferKind.SCHEME: Form.ONE_TO_ONE,
    OfferKind.ONLINE_SPACE: Form.ONLINE,
    OfferKind.PSW_SERVICE: Form.ONE_TO_ONE,
}


class SchemeType(models.TextChoices):
    NONE = "", "—"
    BEFRIENDING = "befriending", "Befriending"
    MENTORING = "mentoring", "Peer mentoring"
    PEN_FRIENDS = "pen_friends", "Email pen-friends"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "By video"
    HYBRID = "hybrid", "In person and by video"
    ONLINE = "online", "Online (written)"
    PHONE = "phone", "By phone"


class MeetingFormat(models.TextChoices):
    UNSAID = "", "—"
    SHARING_CIRCLE = "sharing_circle", "Sharing circle"
    DROP_IN = "drop_in", "Drop-in"
    ACTIVITY = "activity", "Activity (walks, crafts, music…)"
    DISCUSSION = "discussion", "Discussion or talk"
    ONE_TO_ONE = "one_to_one", "One-to-one conversations"
    FORUM = "forum", "Forum or chat"


class OfferStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", "Waiting for a coordinator's check"
    PUBLISHED = "published", "Listed"
    REJECTED = "rejected", "Not listed"
    ARCHIVED = "archived", "No longer running"
    # A private group's listing: it exists (so the group has an Offer like every other), but only the people who
    # run it see it. Not "archived": the group is running, just by invitation.
    UNLISTED = "unlisted", "Not listed: a private group, by invitation"


class Offer(models.Model):
    """Something a person can join. Groups, schemes and spaces attach their own records to an Offer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="offers",
        help_text="The organisation that runs it, or that hosts the listing of a grassroots group.",
    )
    kind = models.CharField(max_length=20, choices=OfferKind.choices)
    scheme_type = models.CharField(max_length=20, choices=SchemeType.choices, blank=True)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, help_text="One or two sentences, in plain words.")
    description = models.TextField(max_length=5000)

    # Who it is for — all optional; blank means everyone is welcome.
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    gender_focus = models.CharField(max_length=80, blank=True, help_text="e.g. Women (including trans women)")
    identity_focus = models.CharField(max_length=150, blank=True, help_text="e.g. Black women, LGBTQ+ people")
    experience_focus = models.CharField(max_length=150, blank=True, help_text="e.g. hearing voices, low mood")
    eligibility = models.CharField(
        max_length=500, blank=True, help_text="Leave blank if it is open to all. Say any restriction plainly."
    )
    cost = models.CharField(max_length=150, blank=True, help_text="e.g. Free, or £2 towards tea")
    is_free = models.BooleanField(default=True)
    languages = models.CharField(max_length=200, default="English", help_text="Separate with commas.")

    # Accessibility
    step_free = models.BooleanField("Step-free access", default=False)
    hearing_loop = models.BooleanField("Hearing loop", default=False)
    bsl = models.BooleanField("British Sign Language", default=False)
    quiet_room = models.BooleanField("Quiet room", default=False)
    accessible_toilet = models.BooleanField("Accessible toilet", default=False)
    access_notes = models.CharField(max_length=500, blank=True)

    # Place — or online
    venue_name = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    region = models.CharField(max_length=80, blank=True)

    # Contact
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)

    # What to expect
    format = models.CharField(max_length=20, choices=MeetingFormat.choices, blank=True)
    typical_size = models.CharField(max_length=80, blank=True, help_text="e.g. 6–12 people")
    typical_mix = models.CharField(max_length=200, blank=True, help_text="e.g. mostly over 40, men and women")
    finding_the_room = models.TextField(max_length=1000, blank=True)
    can_bring_someone = models.BooleanField(null=True, blank=True)
    can_just_listen = models.BooleanField(null=True, blank=True)
    first_visit = models.TextField(max_length=2000, blank=True, help_text="What happens the first time you come.")

    # Listing
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.PUBLISHED)
    is_grassroots = models.BooleanField(default=False)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="listed_offers"
    )
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_offers")
    last_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the full-text index holds (stems from kindred.directory.text), kept in step by save().
    # The migrations mirror these into an FTS5 table (SQLite) or tsvector columns (PostgreSQL).
    # Bulk writes that bypass save() must set them with text.document_for().
    search_title = models.TextField(blank=True, default="", editable=False)
    search_body = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "delivery"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["last_confirmed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OfferKind.values), name="offer_kind_valid"),
            models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="offer_delivery_valid"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=models.F("age_max")),
                name="offer_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="offer_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_title, self.search_body = document_for(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_title", "search_body"}
        super().save(*args, **kwargs)

    @property
    def form(self) -> Form:
        return FORM_OF_KIND[OfferKind(self.kind)]

    @property
    def is_online(self) -> bool:
        return self.delivery in {Delivery.ONLINE, Delivery.VIDEO, Delivery.PHONE}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OfferTime(models.Model):
    """When an offer usually happens: a weekday and times, with a note for anything less regular.

    The groups capability keeps exact recurrence rules; these rows are what the directory filters on.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="times")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=120, blank=True, help_text="e.g. first Tuesday of the month")

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="offertime_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}"


class Synonym(models.Model):
    """A set of words people use for the same thing. Coordinators edit these; search expands queries with them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    terms = models.CharField(
        max_length=300,
        unique=True,
        help_text="Words or phrases that mean the same here, separated by commas: self-help, mutual aid, support group",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]


class ResourceCategory(models.TextChoices):
    CRISIS = "crisis", "Crisis lines"
    BENEFITS = "benefits", "Benefits and debt advice"
    HOUSING = "housing", "Housing"
    PRACTICAL = "practical", "Other practical help"


class PracticalResource(models.Model):
    """Per-region practical help coordinators maintain: shown on the crisis page and offer pages."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="practical_resources"
    )
    region = models.CharField(max_length=80, help_text="The region it serves, e.g. North West. 'UK' for everywhere.")
    category = models.CharField(max_length=20, choices=ResourceCategory.choices)
    name = models.CharField(max_length=150)
    description = models.CharField(max_length=500, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "name"]
        indexes = [models.Index(fields=["region", "category"])]

    def __str__(self) -> str:
        return self.name


class ReferralKind(models.TextChoices):
    JOIN = "join", "I'd like to join"
    TALK_FIRST = "talk_first", "I'd like to talk to someone first"
    PROFESSIONAL = "professional", "Professional referral"


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    JOINED = "joined", "Joined"
    CLOSED = "closed", "Closed"


class Referral(models.Model):
    """A request to an offer's organisation: a self-referral by a signed-in person, or a professional's referral."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(max_length=20, choices=ReferralKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="referrals"
    )
    # For professional referrals (no account): the person's contact details and the referrer's.
    person_name = models.CharField(max_length=150, blank=True)
    person_email = models.EmailField(blank=True)
    person_phone = models.CharField(max_length=40, blank=True)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True, help_text="e.g. GP, community psychiatric nurse")
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    person_agreed = models.BooleanField(default=False)
    message = models.TextField(max_length=3000, blank=True, help_text="In the person's own words.")
    preferred_contact = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.NEW)
    closed_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="professional", person_agreed=True) | ~Q(kind="professional"),
                name="referral_professional_needs_agreement",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(kind="professional"),
                name="referral_self_needs_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.offer}"


class ReferralNote(models.Model):
    """A coordinator's note on a referral, kept with who wrote it and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=3000)
    status_change = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.referral}"
