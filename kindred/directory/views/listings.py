"""Grassroots listings: submit, manage, review and keep current. Thin: access helpers, forms, services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core import ratelimit
from kindred.core.ratelimit import RateLimited
from kindred.directory.access import get_offer_for
from kindred.directory.forms_listings import DeclineForm, ListingForm, time_formset
from kindred.directory.listings import (
    ListingError,
    decline_reasons,
    listing_confirm_current,
    listing_review,
    listing_submit,
    listing_update,
    listings_of,
    review_queue_for,
    stale_listings_for,
)
from kindred.directory.models import Offer, OfferStatus
from kindred.organisations.selectors import coordinated_organisations, is_coordinator


def _require_any_coordinator(request: HttpRequest) -> None:
    if not (request.user.is_superuser or coordinated_organisations(request.user).exists()):
        raise PermissionDenied("This page is for coordinators.")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def submit_listing(request: HttpRequest) -> HttpResponse:
    form = ListingForm(_posted(request), initial={"organisation": request.GET.get("organisation", "")})
    times = time_formset(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and times.is_valid():
            try:
                ratelimit.check("listing", str(request.user.public_id))
                offer = listing_submit(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    details=form.details,
                    times=times.times,
                )
            except RateLimited:
                form.add_error(
                    None,
                    "You've listed several groups today, so we've paused this for now. "
                    "Please try again tomorrow, or ask the organisation directly.",
                )
                status = 429
            except ListingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Thank you for listing {offer.title}. A coordinator at {offer.organisation.name} will give it "
                    "a quick check, and we'll email you when it's showing in the directory.",
                )
                return redirect("directory:my_listings")
    return render(request, "directory/listing_form.html", {"form": form, "times": times, "offer": None}, status=status)


@login_required
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    offers = list(listings_of(request.user))
    reasons = decline_reasons(offers)
    for offer in offers:
        offer.decline_reason = reasons.get(str(offer.public_id), "")
    return render(request, "directory/listing_mine.html", {"offers": offers})


def _managed_listing(request: HttpRequest, slug: str) -> Offer:
    offer = get_offer_for(request.user, slug, manage=True)
    if not offer.is_grassroots:
        raise Http404("No such listing.")
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def edit_listing(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _managed_listing(request, slug)
    form = ListingForm(_posted(request), instance=offer, include_organisation=False)
    times = time_formset(_posted(request), offer=offer)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and times.is_valid():
            try:
                was_rejected = offer.status == OfferStatus.REJECTED
                offer = listing_update(actor=request.user, offer=offer, details=form.details, times=times.times)
            except ListingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Your changes are saved, and the listing has gone back for another check."
                    if was_rejected
                    else "Your changes are saved.",
                )
                return redirect("directory:edit_listing", slug=offer.slug)
    return render(request, "directory/listing_form.html", {"form": form, "times": times, "offer": offer}, status=status)


# Where the "still running" button may send people back to (never a URL from the request).
_CONFIRM_RETURNS = {"stale": "directory:stale_listings", "mine": "directory:my_listings"}


@login_required
@require_POST
def confirm_listing(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug, manage=True)
    try:
        listing_confirm_current(actor=request.user, offer=offer)
    except ListingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Thank you — {offer.title} is confirmed as still running.")
    back = _CONFIRM_RETURNS.get(request.POST.get("return_to", ""))
    if back:
        return redirect(back)
    if offer.is_grassroots:
        return redirect("directory:edit_listing", slug=offer.slug)
    return redirect("directory:my_listings")


# --- for coordinators -------------------------------------------------------------------------


def _render_queue(request: HttpRequest, forms: dict[str, DeclineForm] | None = None, status: int = 200) -> HttpResponse:
    offers = list(review_queue_for(request.user))
    forms = forms or {}
    for offer in offers:
        offer.decline_form = forms.get(offer.slug) or DeclineForm(prefix=f"decline-{offer.slug}")
    return render(request, "directory/review_queue.html", {"offers": offers}, status=status)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_any_coordinator(request)
    return _render_queue(request)


@login_required
@require_POST
def review_listing(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug, manage=True)
    if not (request.user.is_superuser or is_coordinator(request.user, offer.organisation)):
        raise PermissionDenied("Only a coordinator of the organisation it's listed with can check a listing.")
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "decline"):
        messages.error(request, "Please choose whether to list it or not.")
        return redirect("directory:review_queue")
    reason = ""
    if decision == "decline":
        form = DeclineForm(request.POST, prefix=f"decline-{offer.slug}")
        if not form.is_valid():
            return _render_queue(request, forms={offer.slug: form}, status=400)
        reason = form.cleaned_data["reason"]
    try:
        listing_review(actor=request.user, offer=offer, approve=decision == "approve", reason=reason)
    except ListingError as error:
        messages.error(request, str(error))
    else:
        if decision == "approve":
            messages.success(request, f"{offer.title} is now showing in the directory.")
        else:
            messages.success(request, f"{offer.title} won't be listed. We've let the person who listed it know.")
    return redirect("directory:review_queue")


@login_required
@require_GET
def stale_listings(request: HttpRequest) -> HttpResponse:
    _require_any_coordinator(request)
    offers = list(stale_listings_for(request.user))
    return render(request, "directory/listing_stale.html", {"offers": offers, "now": timezone.now()})


urlpatterns: list[URLPattern] = [
    path("listings/new/", submit_listing, name="submit_listing"),
    path("listings/mine/", my_listings, name="my_listings"),
    path("listings/review/", review_queue, name="review_queue"),
    path("listings/stale/", stale_listings, name="stale_listings"),
    path("listings/<slug:slug>/edit/", edit_listing, name="edit_listing"),
    path("listings/<slug:slug>/confirm/", confirm_listing, name="confirm_listing"),
    path("listings/<slug:slug>/review/", review_listing, name="review_listing"),
]
