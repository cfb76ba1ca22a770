from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count in every page's header. Lazy: pages that don't show the header never run the query."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user) if user is not None else 0)}
