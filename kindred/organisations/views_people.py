"""Another person's profile page: their display name and only what they chose to show the person looking.

What may be shown depends on the organisations the two share (see `selectors.visible_profile`), so the page lives
here rather than with the accounts.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from kindred.accounts.forms import PROFILE_LABELS
from kindred.accounts.models import User, Visibility

from .selectors import viewer_relationship, visible_profile


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Another person's profile: their display name and only what they chose to show this viewer."""
    subject = get_object_or_404(User.objects.select_related("profile"), public_id=public_id, is_active=True)
    viewer = request.user if request.user.is_authenticated else None
    relationship = viewer_relationship(viewer, subject)
    shown = visible_profile(viewer, subject)
    if relationship == Visibility.ANYONE and not shown:
        # No shared organisation and nothing public: as far as this viewer knows, there is no such person.
        raise Http404("No such person.")
    rows = [{"label": PROFILE_LABELS[field], "value": value} for field, value in shown.items()]
    return render(
        request,
        "accounts/person.html",
        {"person": subject, "rows": rows, "is_me": relationship == Visibility.ONLY_ME},
    )
