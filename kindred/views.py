from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kindred.directory.models import OfferStatus, Referral, ReferralStatus
from kindred.organisations.models import Role
from kindred.organisations.selectors import coordinated_organisations, memberships_by_organisation


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    coordinated = list(coordinated_organisations(user))
    by_organisation = memberships_by_organisation(user)
    roles = {m.role for memberships in by_organisation.values() for m in memberships}
    context = {
        "memberships_by_organisation": by_organisation,
        "roles": roles,
        "moderated": [
            o for o, ms in by_organisation.items() if {m.role for m in ms} & {Role.MODERATOR, Role.COORDINATOR}
        ],
        "open_requests": Referral.objects.filter(person=user).exclude(status=ReferralStatus.CLOSED).count(),
        "is_coordinator": bool(coordinated),
        "coordinated": coordinated,
    }
    if coordinated:
        context["new_referrals"] = Referral.objects.filter(
            organisation__in=coordinated, status=ReferralStatus.NEW
        ).count()
        context["listings_to_review"] = sum(
            o.offers.filter(status=OfferStatus.PENDING_REVIEW).count() for o in coordinated
        )
    return render(request, "dashboard.html", context)


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/terms.html", {"version": settings.CONSENT_VERSIONS["terms"]})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/privacy.html", {"version": settings.CONSENT_VERSIONS["privacy"]})
