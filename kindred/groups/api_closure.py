"""Closing a group well over the API: whether it is closing, and closing it (facilitators and coordinators)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from kindred.accounts.http import current_user
from kindred.core.api import InputSchema, responses

from . import closure as closure_services
from . import stay as stay_services
from .models import Group

router = Router(tags=["groups"])


class AlternativeOut(Schema):
    slug: str
    title: str
    town: str
    url: str


class ClosureOut(Schema):
    status: Literal["active", "closing", "closed"]
    closes_on: date | None
    closed_at: datetime | None
    message: str
    archive_until: datetime | None
    archive_open: bool
    alternatives: list[AlternativeOut]


class GroupCloseIn(InputSchema):
    on: date | None = Field(None, description="Leave out (or today) to close now; a later date schedules it.")
    message: str = Field("", max_length=3000)


def _closure(group: Group) -> dict[str, Any]:
    record = group.closure if hasattr(group, "closure") else None
    offers = closure_services.alternatives_saved(record)
    return {
        "status": group.status,
        "closes_on": group.closes_on,
        "closed_at": group.closed_at,
        "message": record.message if record else "",
        "archive_until": record.archive_until if record else None,
        "archive_open": closure_services.archive_open(group),
        "alternatives": [
            {
                "slug": o.slug,
                "title": o.title,
                "town": o.town,
                "url": reverse("directory:offer", kwargs={"slug": o.slug}),
            }
            for o in offers
        ],
    }


# --- Closing -------------------------------------------------------------------------------------------


@router.get("/{slug}/closure", response=responses({200: ClosureOut}, 404), summary="Whether the group is closing")
def closure(request: HttpRequest, slug: str) -> dict[str, Any]:
    group, _viewer = stay_services.member_group_for(current_user(request), slug)
    return _closure(group)


@router.post(
    "/{slug}/close",
    response=responses({200: ClosureOut}, 400, 403, 404),
    summary="Close the group now, or on a date (facilitators and coordinators)",
    description="Every member is told by email and in Kindred, with three alternatives from the directory.",
)
def close(request: HttpRequest, slug: str, payload: GroupCloseIn) -> dict[str, Any]:
    user = current_user(request)
    _group, viewer = stay_services.member_group_for(user, slug)
    result = closure_services.group_close(actor=user, viewer=viewer, on=payload.on, message=payload.message)
    return _closure(Group.objects.get(pk=result.group.pk))
