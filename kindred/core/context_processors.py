from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kindred.notifications.services import unread_count


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": "Kindred",
        # Lazy: pages that don't show the header (e.g. feeds) never run the query.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user) if user is not None else 0),
    }
