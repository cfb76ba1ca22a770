"""API: what another person shares with you (their display name and the profile parts they chose to show)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from kindred.accounts.http import current_user
from kindred.accounts.models import User
from kindred.core.api import responses

from .selectors import visible_profile

router = Router(tags=["account"])


class PersonOut(Schema):
    public_id: UUID
    display_name: str
    profile: dict[str, str] = Field(..., description="Only the parts this person has chosen to share with you.")


@router.get("/people/{public_id}", response=responses({200: PersonOut}, 404), summary="What someone shares with you")
def person(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    viewer = current_user(request)
    subject = User.objects.filter(public_id=public_id, is_active=True).select_related("profile").first()
    if subject is None:
        raise Http404
    shown = visible_profile(viewer, subject)
    if not shown and subject.pk != viewer.pk:
        raise Http404  # nothing shared with you: we don't confirm the account exists
    return {"public_id": subject.public_id, "display_name": subject.display_name, "profile": shown}
