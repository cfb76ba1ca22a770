"""Grassroots listings: groups not yet in Kindred list themselves, a coordinator gives them a light check,
and the person who listed it keeps it current.

Services write (keyword-only, atomic, audited, email after commit); selectors read. Views stay thin.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.models import AuditEvent
from kindred.core.services import audit_record
from kindred.core.slugs import unique_slug
from kindred.organisations.access import require_coordinator
from kindred.organisations.models import Organisation
from kindred.organisations.selectors import coordinated_organisations

from .access import can_manage_offer
from .messages import LISTING_DECIDED, LISTING_SUBMITTED
from .models import Offer, OfferKind, OfferStatus, OfferTime
from .referrals import coordinators

# Listings not confirmed as still running for this long are shown to coordinators to check.
STALE_AFTER = timedelta(days=180)

# Kinds of offer a grassroots group may list itself as (a PSW service is always an organisation's).
LISTING_KINDS = (OfferKind.GROUP, OfferKind.SCHEME, OfferKind.ONLINE_SPACE)

# What the person listing a group may set. Anything else (status, organisation, managers) is not theirs to set.
LISTING_FIELDS = (
    "title",
    "summary",
    "description",
    "kind",
    "delivery",
    "venue_name",
    "address",
    "town",
    "postcode",
    "region",
    "cost",
    "is_free",
    "step_free",
    "hearing_loop",
    "bsl",
    "quiet_room",
    "accessible_toilet",
    "access_notes",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "format",
    "typical_size",
    "typical_mix",
    "finding_the_room",
    "can_bring_someone",
    "can_just_listen",
    "first_visit",
)

TIME_FIELDS = ("weekday", "starts_at", "ends_at", "note")
DECLINE_REASON_MAX = 500


class ListingError(AppError):
    """A kind, human-readable reason a listing action could not be done."""


def _require_manager(actor: User, offer: Offer) -> None:
    if not can_manage_offer(actor, offer):
        raise ListingError("Only the people who look after this listing can change it.", code="forbidden")


def _check_fields(details: dict[str, Any]) -> None:
    unknown = set(details) - set(LISTING_FIELDS)
    if unknown:
        raise ListingError("Some of those details can't be set here.")
    if "kind" in details and details["kind"] not in LISTING_KINDS:
        raise ListingError("Please choose a group, a one-to-one scheme or an online space.")


def _validate(offer: Offer) -> None:
    try:
        offer.full_clean(exclude=["organisation", "listed_by", "managers", "slug"])
    except ValidationError as exc:
        raise ListingError(" ".join(exc.messages), code="invalid_input") from exc


def _times(times: list[dict[str, Any]]) -> list[OfferTime]:
    rows = []
    for values in times:
        if set(values) - set(TIME_FIELDS):
            raise ListingError("Some of those times can't be set here.")
        row = OfferTime(**values)
        try:
            row.full_clean(exclude=["offer"])
        except ValidationError as exc:
            raise ListingError(" ".join(exc.messages), code="invalid_input") from exc
        if row.ends_at is not None and row.ends_at <= row.starts_at:
            raise ListingError("Please make each finishing time later than its starting time.")
        rows.append(row)
    return rows


def _link(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


# --- writes -------------------------------------------------------------------------------------


def listing_submit(
    *, actor: User, organisation: Organisation, details: dict[str, Any], times: list[dict[str, Any]]
) -> Offer:
    """List a grassroots group with an organisation. It waits, unpublished, for one of its coordinators to check it."""
    if not actor.is_authenticated:
        raise ListingError("Please log in to list a group.", code="forbidden")
    _check_fields(details)
    rows = _times(times)
    with transaction.atomic(durable=True):
        offer = Offer(
            organisation=organisation,
            status=OfferStatus.PENDING_REVIEW,
            is_grassroots=True,
            listed_by=actor,
            slug=unique_slug(details.get("title", ""), taken=_slug_taken, fallback="listing"),
            **details,
        )
        _validate(offer)
        offer.save()
        offer.managers.add(actor)
        for row in rows:
            row.offer = offer
        OfferTime.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="listing.submitted",
            subject=offer,
            organisation=organisation,
            detail={"slug": offer.slug, "title": offer.title},
        )
        reach.send_to_team(
            people=coordinators(organisation),
            kind=LISTING_SUBMITTED,
            sender=actor,
            title=f"A new listing to review: {offer.title}",
            url=reverse("directory:review_queue"),
            email=reach.Email(
                template="directory/email/listing_submitted",
                context={"offer": offer, "organisation": organisation, "link": _link("directory:review_queue")},
            ),
        )
    return offer


def listing_update(
    *, actor: User, offer: Offer, details: dict[str, Any], times: list[dict[str, Any]] | None = None
) -> Offer:
    """Change a listing. A listing that wasn't accepted goes back to the coordinators for another look."""
    _require_manager(actor, offer)
    _check_fields(details)
    rows = _times(times) if times is not None else None
    with transaction.atomic(durable=True):
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        changed = [field for field, value in details.items() if getattr(offer, field) != value]
        for field in changed:
            setattr(offer, field, details[field])
        resubmitted = offer.status == OfferStatus.REJECTED
        if resubmitted:
            offer.status = OfferStatus.PENDING_REVIEW
        _validate(offer)
        offer.save()
        times_changed = False
        if rows is not None:
            before = list(offer.times.values_list(*TIME_FIELDS))
            after = [tuple(getattr(row, f) for f in TIME_FIELDS) for row in rows]
            if sorted(before, key=str) != sorted(after, key=str):
                times_changed = True
                offer.times.all().delete()
                for row in rows:
                    row.offer = offer
                OfferTime.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="listing.updated",
            subject=offer,
            organisation=offer.organisation,
            detail={"fields": sorted(changed), "times_changed": times_changed, "resubmitted": resubmitted},
        )
    return offer


def listing_review(*, actor: User, offer: Offer, approve: bool, reason: str = "") -> Offer:
    """A coordinator's light check: list it (and count it as confirmed now), or decline it with a kind reason."""
    require_coordinator(
        actor,
        offer.organisation,
        error=ListingError,
        message="Only a coordinator of the organisation it's listed with can do that.",
    )
    reason = reason.strip()
    if not approve and not reason:
        raise ListingError("Please give a short, kind reason. The person who listed it will see it.", code="no_reason")
    if len(reason) > DECLINE_REASON_MAX:
        raise ListingError(f"Please keep the reason under {DECLINE_REASON_MAX} characters.")
    with transaction.atomic(durable=True):
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("organisation", "listed_by").get(pk=offer.pk)
        )
        if offer.status != OfferStatus.PENDING_REVIEW:
            raise ListingError("This listing has already been checked.", code="not_pending")
        if approve:
            offer.status = OfferStatus.PUBLISHED
            offer.last_confirmed_at = timezone.now()
        else:
            offer.status = OfferStatus.REJECTED
        offer.save(update_fields=["status", "last_confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="listing.approved" if approve else "listing.declined",
            subject=offer,
            organisation=offer.organisation,
            detail={"slug": offer.slug, **({} if approve else {"reason": reason})},
        )
        submitter = offer.listed_by
        if submitter is not None and submitter.is_active:
            reach.send(
                to=submitter,
                kind=LISTING_DECIDED,
                title=LISTING_DECIDED.description,
                notice=False,
                email=reach.Email(
                    template="directory/email/listing_approved" if approve else "directory/email/listing_declined",
                    context={
                        "offer": offer,
                        "organisation": offer.organisation,
                        "reason": reason,
                        "link": _link("directory:edit_listing", slug=offer.slug),
                        "mine": _link("directory:my_listings"),
                    },
                ),
            )
    return offer


def listing_confirm_current(*, actor: User, offer: Offer) -> Offer:
    """Say a listed offer is still running, as of now."""
    _require_manager(actor, offer)
    if offer.status != OfferStatus.PUBLISHED:
        raise ListingError("Only a listing that's showing in the directory can be confirmed.", code="not_published")
    with transaction.atomic(durable=True):
        now = timezone.now()
        Offer.objects.filter(pk=offer.pk).update(last_confirmed_at=now, updated_at=now)
        offer.last_confirmed_at = now
        audit_record(
            actor=actor,
            action="listing.confirmed",
            subject=offer,
            organisation=offer.organisation,
            detail={"slug": offer.slug},
        )
    return offer


# --- reads --------------------------------------------------------------------------------------


def listings_of(user: User) -> QuerySet[Offer]:
    """The listings `user` looks after."""
    return (
        Offer.objects.filter(Q(managers=user) | Q(listed_by=user), is_grassroots=True)
        .distinct()
        .select_related("organisation")
        .order_by("title")
    )


def decline_reasons(offers: list[Offer]) -> dict[str, str]:
    """The latest decline reason for each declined offer, by public id (kept only in the audit trail)."""
    ids = [str(offer.public_id) for offer in offers if offer.status == OfferStatus.REJECTED]
    reasons: dict[str, str] = {}
    events = AuditEvent.objects.filter(
        action="listing.declined", subject_type=Offer._meta.label_lower, subject_id__in=ids
    ).order_by("created_at", "pk")
    for event in events:
        reasons[event.subject_id] = str(event.detail.get("reason", ""))
    return reasons


def review_queue_for(user: User) -> QuerySet[Offer]:
    """Listings waiting for a check, with the organisations `user` coordinates."""
    return (
        Offer.objects.filter(status=OfferStatus.PENDING_REVIEW, organisation__in=coordinated_organisations(user))
        .select_related("organisation", "listed_by")
        .prefetch_related("times")
        .order_by("created_at", "pk")
    )


def stale_listings_for(user: User, *, now: datetime | None = None) -> QuerySet[Offer]:
    """Published offers of `user`'s organisations not confirmed as current for six months (oldest first)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, organisation__in=coordinated_organisations(user))
        .annotate(confirmed=Coalesce("last_confirmed_at", "created_at"))
        .filter(confirmed__lt=cutoff)
        .select_related("organisation")
        .order_by("confirmed", "title")
    )


def _slug_taken(slug: str) -> bool:
    return Offer.objects.filter(slug=slug).exists()
