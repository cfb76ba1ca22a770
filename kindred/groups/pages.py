"""What the group pages share: the member's view of a group, the page context, the kind words for posting too fast."""

from __future__ import annotations

from typing import Any

from kindred.accounts.http import AuthenticatedRequest
from kindred.core.ratelimit import RateLimited

from . import stay as stay_services
from .access import Viewer
from .models import Group


def busy_message(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after_seconds / 60))
    return (
        "You've posted a lot in a short time, so we've paused posting for a while. "
        f"Please try again in about {minutes} minutes."
    )


def member_group(request: AuthenticatedRequest, slug: str, *, facilitate: bool = False) -> tuple[Group, Viewer]:
    return stay_services.member_group_for(request.user, slug, facilitate=facilitate)


def page_context(group: Group, viewer: Viewer, **extra: Any) -> dict[str, Any]:
    return {"group": group, "viewer": viewer, "group_url": stay_services.group_url(group), **extra}
