"""Reads for the search, offer and synonyms pages. The search itself is kindred.directory.search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kindred.accounts.models import User
from kindred.organisations.selectors import coordinated_organisations

from .access import can_manage_offer
from .models import Offer, OfferStatus, OfferTime, PracticalResource, Synonym
from .resources import resources_for_region
from .search import next_occurrence

ACCESS_LABELS = (
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("bsl", "British Sign Language (BSL)"),
    ("quiet_room", "A quiet room to take a break"),
    ("accessible_toilet", "Accessible toilet"),
)


@dataclass
class OfferPage:
    offer: Offer
    times: list[OfferTime]
    next_at: datetime | None
    access: list[str]
    languages: list[str]
    who_for: list[str]
    resources: list[PracticalResource]
    can_manage: bool
    is_published: bool


def who_it_is_for(offer: Offer) -> list[str]:
    """Plain lines about who an offer is for; empty means everyone is welcome."""
    lines: list[str] = []
    if offer.age_min is not None and offer.age_max is not None:
        lines.append(f"Ages {offer.age_min} to {offer.age_max}")
    elif offer.age_min is not None:
        lines.append(f"Ages {offer.age_min} and over")
    elif offer.age_max is not None:
        lines.append(f"Up to age {offer.age_max}")
    for value in (offer.gender_focus, offer.identity_focus):
        if value:
            lines.append(value)
    if offer.experience_focus:
        lines.append(f"For people with experience of {offer.experience_focus}")
    return lines


def offer_page(offer: Offer, *, viewer: User, now: datetime | None = None) -> OfferPage:
    times = list(offer.times.all())
    region = offer.region or offer.organisation.region
    return OfferPage(
        offer=offer,
        times=times,
        next_at=next_occurrence(times, now or timezone.now()),
        access=[label for name, label in ACCESS_LABELS if getattr(offer, name)],
        languages=[lang.strip() for lang in offer.languages.split(",") if lang.strip()],
        who_for=who_it_is_for(offer),
        resources=resources_for_region(region),
        can_manage=can_manage_offer(viewer, offer),
        is_published=offer.status == OfferStatus.PUBLISHED,
    )


def can_edit_synonyms(user: User) -> bool:
    """Coordinators of any organisation look after the shared synonyms list."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or coordinated_organisations(user).exists()


def synonyms() -> QuerySet[Synonym]:
    return Synonym.objects.select_related("updated_by").order_by("terms", "pk")
