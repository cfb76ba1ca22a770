"""Asking to join, referring someone, and the coordinators' inbox. Thin: access helpers, forms, services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core import ratelimit
from kindred.core.ratelimit import RateLimited, client_ip
from kindred.directory.access import get_offer_for, get_referral_for
from kindred.directory.forms_referrals import (
    InboxFilterForm,
    NoteForm,
    ProfessionalReferralForm,
    SelfReferralForm,
    StatusForm,
)
from kindred.directory.models import Referral, ReferralKind, ReferralStatus
from kindred.directory.referrals import (
    ReferralError,
    inbox_for,
    next_statuses,
    referral_accept_and_invite,
    referral_add_note,
    referral_create_professional,
    referral_create_self,
    referral_data_deleted,
    referral_delete_data,
    referral_notes,
    referral_set_status,
    referrals_of_person,
    status_counts,
)
from kindred.organisations.selectors import coordinated_organisations, is_coordinator

# What each status means to the person who asked, in plain words.
STATUS_FOR_PERSON = {
    ReferralStatus.NEW: "Sent. The organisation has your request and will get in touch with you.",
    ReferralStatus.CONTACTED: "The organisation has been in touch, or is getting in touch, with you.",
    ReferralStatus.JOINED: "You've joined. We hope it goes well.",
    ReferralStatus.CLOSED: "This request is closed.",
}


def _too_many(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after_seconds / 60))
    wait = "about an hour" if minutes >= 55 else f"about {minutes} minutes"
    return (
        "A lot of requests have been sent from here recently, so we've paused this for a while. "
        f"Please wait {wait} and try again. If you need to talk to someone now, “Get help now” is always there."
    )


# --- asking for yourself ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def self_refer(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug)
    kind = request.GET.get("kind", "")
    initial = {"kind": kind if kind in (ReferralKind.JOIN, ReferralKind.TALK_FIRST) else ""}
    form = SelfReferralForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check("referral", str(request.user.public_id))
            referral = referral_create_self(
                actor=request.user,
                offer=offer,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                preferred_contact=form.preferred_contact,
            )
        except RateLimited as exc:
            form.add_error(None, _too_many(exc))
            status = 429
        except ReferralError as error:
            if error.referral is not None:
                messages.info(request, str(error))
                return redirect("directory:referral", public_id=error.referral.public_id)
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request,
                f"Thank you — your request has gone to {offer.organisation.name}. "
                "Someone will get in touch the way you asked. You can see how it's going on this page.",
            )
            return redirect("directory:referral", public_id=referral.public_id)
    elif request.method == "POST":
        status = 400
    return render(request, "directory/request_form.html", {"offer": offer, "form": form}, status=status)


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    referrals = list(referrals_of_person(request.user))
    for referral in referrals:
        referral.status_for_person = STATUS_FOR_PERSON[ReferralStatus(referral.status)]
    return render(request, "directory/request_list.html", {"referrals": referrals})


# --- professional referral (no account needed) --------------------------------------------------


@require_http_methods(["GET", "POST"])
def professional_referral(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug)
    form = ProfessionalReferralForm(request.POST if request.method == "POST" else None)
    status, retry_after = 200, 0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                ratelimit.check("referral", client_ip(request))
                referral_create_professional(
                    offer=offer,
                    referrer_name=data["referrer_name"],
                    referrer_role=data["referrer_role"],
                    referrer_organisation=data["referrer_organisation"],
                    referrer_email=data["referrer_email"],
                    referrer_phone=data["referrer_phone"],
                    person_name=data["person_name"],
                    person_email=data["person_email"],
                    person_phone=data["person_phone"],
                    message=data["message"],
                    person_agreed=data["person_agreed"],
                )
            except RateLimited as exc:
                form.add_error(None, _too_many(exc))
                status, retry_after = 429, exc.retry_after_seconds
            except ReferralError as error:
                form.add_error(None, str(error))
            else:
                return redirect("directory:professional_referral_sent", slug=offer.slug)
    response = render(
        request,
        "directory/referral_professional.html",
        {"offer": offer, "form": form, "started_token": form.started_value()},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def professional_referral_sent(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug)
    return render(request, "directory/referral_professional_sent.html", {"offer": offer})


# --- one request: the person's view and the coordinators' -------------------------------------


def _render_referral(
    request: HttpRequest,
    referral: Referral,
    *,
    status_form: StatusForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    coordinator = request.user.is_superuser or is_coordinator(request.user, referral.organisation)
    context: dict[str, Any] = {
        "referral": referral,
        "offer": referral.offer,
        "is_coordinator": coordinator,
        "status_for_person": STATUS_FOR_PERSON[ReferralStatus(referral.status)],
    }
    if coordinator:
        choices = next_statuses(referral)
        context.update(
            {
                "notes": referral_notes(referral),
                "status_form": (status_form or StatusForm(current=referral.status)) if choices else None,
                "note_form": note_form or NoteForm(),
                "data_deleted": referral_data_deleted(referral),
                "can_invite": referral.kind == ReferralKind.PROFESSIONAL
                and referral.status != ReferralStatus.CLOSED
                and bool(referral.person_email),
                "can_delete_data": referral.kind == ReferralKind.PROFESSIONAL
                and referral.status == ReferralStatus.CLOSED
                and not referral_data_deleted(referral),
            }
        )
    return render(request, "directory/referral_detail.html", context, status=status)


@login_required
@require_GET
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = get_referral_for(request.user, public_id)
    return _render_referral(request, referral)


@login_required
@require_POST
def referral_status(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = get_referral_for(request.user, public_id, manage=True)
    form = StatusForm(request.POST, current=referral.status)
    if not form.is_valid():
        return _render_referral(request, referral, status_form=form, status=400)
    try:
        referral = referral_set_status(
            actor=request.user,
            referral=referral,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ReferralError as error:
        form.add_error(None, str(error))
        return _render_referral(request, referral, status_form=form, status=400)
    messages.success(request, f"Marked as {referral.get_status_display().lower()}.")
    return redirect("directory:referral", public_id=referral.public_id)


@login_required
@require_POST
def referral_note(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = get_referral_for(request.user, public_id, manage=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_referral(request, referral, note_form=form, status=400)
    try:
        referral_add_note(actor=request.user, referral=referral, text=form.cleaned_data["text"])
    except ReferralError as error:
        form.add_error(None, str(error))
        return _render_referral(request, referral, note_form=form, status=400)
    messages.success(request, "Note saved.")
    return redirect("directory:referral", public_id=referral.public_id)


@login_required
@require_POST
def referral_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = get_referral_for(request.user, public_id, manage=True)
    try:
        ratelimit.check("invite", str(request.user.public_id))
        invitation = referral_accept_and_invite(actor=request.user, referral=referral)
    except RateLimited:
        messages.error(request, "You've sent a lot of invitations in the last hour. Please wait a while and try again.")
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Accepted. We've emailed an invitation to {invitation.email}.")
    return redirect("directory:referral", public_id=referral.public_id)


@login_required
@require_POST
def referral_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = get_referral_for(request.user, public_id, manage=True)
    try:
        referral_delete_data(actor=request.user, referral=referral)
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The personal details in this referral, and its notes, have been deleted.")
    return redirect("directory:referral", public_id=referral.public_id)


# --- the coordinators' inbox ----------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or coordinated_organisations(request.user).exists()):
        raise PermissionDenied("The requests inbox is for coordinators.")
    form = InboxFilterForm(request.GET or None)
    chosen = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    referrals = list(inbox_for(request.user, status=chosen))
    for referral in referrals:
        referral.data_deleted = referral_data_deleted(referral)
    return render(
        request,
        "directory/inbox.html",
        {"form": form, "referrals": referrals, "chosen": chosen, "counts": status_counts(request.user)},
    )


urlpatterns: list[URLPattern] = [
    path("offers/<slug:slug>/request/", self_refer, name="self_refer"),
    path("offers/<slug:slug>/refer/", professional_referral, name="professional_referral"),
    path("offers/<slug:slug>/refer/sent/", professional_referral_sent, name="professional_referral_sent"),
    path("requests/", my_requests, name="my_requests"),
    path("requests/inbox/", inbox, name="inbox"),
    path("requests/<uuid:public_id>/", referral_detail, name="referral"),
    path("requests/<uuid:public_id>/status/", referral_status, name="referral_status"),
    path("requests/<uuid:public_id>/notes/", referral_note, name="referral_note"),
    path("requests/<uuid:public_id>/invite/", referral_invite, name="referral_invite"),
    path("requests/<uuid:public_id>/delete-details/", referral_delete, name="referral_delete_data"),
]
