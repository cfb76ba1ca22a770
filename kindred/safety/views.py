from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kindred.organisations.models import Organisation

from .routes import UK_ROUTES
from .selectors import crisis_organisations, crisis_practical_resources


@require_GET
def crisis(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("org", "")[:80]
    organisations = crisis_organisations(request.user, chosen_slug=chosen)
    return render(
        request,
        "safety/crisis.html",
        {
            "uk_routes": UK_ROUTES,
            "organisations": organisations,
            "all_organisations": Organisation.objects.only("name", "slug") if not request.user.is_authenticated else [],
            "chosen": chosen,
            "practical_resources": crisis_practical_resources(organisations),
        },
    )
