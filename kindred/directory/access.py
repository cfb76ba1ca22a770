"""Fetch directory things only through these: 404 to those who may not see, 403 to those who may see but not act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kindred.accounts.models import User
from kindred.organisations.models import Role
from kindred.organisations.selectors import roles_in

from .models import Offer, OfferStatus, Referral


def can_manage_offer(user: User, offer: Offer) -> bool:
    """Coordinators of the offer's organisation, and the people who manage a grassroots listing."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or Role.COORDINATOR in roles_in(user, offer.organisation):
        return True
    return offer.managers.filter(pk=user.pk).exists()


def get_offer_for(user: User, slug: str, *, manage: bool = False) -> Offer:
    offer = Offer.objects.select_related("organisation").filter(slug=slug).first()
    if offer is None:
        raise Http404("No such offer.")
    manager = can_manage_offer(user, offer)
    if offer.status != OfferStatus.PUBLISHED and not manager:
        raise Http404("No such offer.")
    if manage and not manager:
        raise PermissionDenied("Only the people who run this listing can change it.")
    return offer


def get_referral_for(user: User, public_id: str, *, manage: bool = False) -> Referral:
    """The person who made it may see it; coordinators of the offer's organisation may see and act on it."""
    referral = Referral.objects.select_related("offer", "organisation", "person").filter(public_id=public_id).first()
    if referral is None or not user.is_authenticated:
        raise Http404("No such request.")
    coordinator = user.is_superuser or Role.COORDINATOR in roles_in(user, referral.organisation)
    own = referral.person_id == user.pk
    if not (coordinator or own):
        raise Http404("No such request.")
    if manage and not coordinator:
        raise PermissionDenied("Only the organisation's coordinators can update this request.")
    return referral
