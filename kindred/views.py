from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kindred.organisations.selectors import memberships_by_organisation


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard.html", {"memberships_by_organisation": memberships_by_organisation(request.user)})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/terms.html", {"version": settings.CONSENT_VERSIONS["terms"]})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/privacy.html", {"version": settings.CONSENT_VERSIONS["privacy"]})
