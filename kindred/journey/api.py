"""My journey over the API: the person's own engagements, moments, status, reflections and
suggestions. Same rules as the pages: only the signed-in person's own record, ever — anyone else's ids are 404,
staff included. Bad input is 422 with a kind message and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from kindred.accounts.http import current_user
from kindred.commons.models import Engagement
from kindred.core.api import InputSchema, responses

from . import selectors, services
from .access import get_moment_for, get_reflection_for
from .models import JourneyStatus, Moment, Reflection
from .services import MOMENT_MAX, REFLECTION_MAX
from .suggestions import suggestions_for

router = Router(tags=["journey"])


# --- Schemas -------------------------------------------------------------------------------------------------------
# Every name starts with Journey: OpenAPI components are keyed by class name, and other apps have their own
# StatusIn and SuggestionOut; a shared name would document one app's body under the other's endpoints.


class JourneyEngagementOut(Schema):
    public_id: UUID
    what: str = Field(..., description="What it was with, as it was called at the time.")
    organisation: str | None
    form: str = Field(..., description="one_to_one, group or online")
    role: str = Field(..., description="receiving, giving, facilitating or reading")
    started_at: datetime
    last_active_at: datetime
    ended_at: datetime | None
    end_reason: str

    @staticmethod
    def of(e: Engagement) -> dict[str, Any]:
        return {
            "public_id": e.public_id,
            "what": e.subject_label,
            "organisation": e.organisation.name if e.organisation else None,
            "form": e.form,
            "role": e.role,
            "started_at": e.started_at,
            "last_active_at": e.last_active_at,
            "ended_at": e.ended_at,
            "end_reason": e.end_reason,
        }


class JourneyMomentOut(Schema):
    public_id: UUID
    happened_on: date
    text: str


class JourneyMomentIn(InputSchema):
    happened_on: date = Field(..., description="When it happened (YYYY-MM-DD). Not in the future.")
    text: str = Field(..., max_length=MOMENT_MAX, description="A few words, e.g. 'moved house'.")


class JourneyMomentPatch(InputSchema):
    happened_on: date | None = None
    text: str | None = Field(None, max_length=MOMENT_MAX)


class JourneyStatusOut(Schema):
    status: str = Field(..., description="needing_support, able_to_give, just_reading, taking_a_break, or empty")
    label: str
    since: datetime | None
    housebound: bool
    housebound_since: datetime | None


class JourneyStatusChangeOut(Schema):
    status: str
    housebound: bool
    changed_at: datetime


class JourneyStatusIn(InputSchema):
    status: JourneyStatus | Literal[""] | None = Field(
        None, description="Empty or null: I'd rather not say. Left out: unchanged, so housebound can be set alone."
    )
    housebound: bool | None = Field(None, description="I'm mostly at home at the moment. Left out: unchanged.")


class JourneySummaryOut(Schema):
    months_receiving: int
    months_giving: int
    months_reading: int
    groups: int
    connections: int
    spaces: int
    first_started: date | None


class JourneyOut(Schema):
    engagements: list[JourneyEngagementOut]
    moments: list[JourneyMomentOut]
    status: JourneyStatusOut
    status_history: list[JourneyStatusChangeOut]
    summary: JourneySummaryOut


class JourneyReflectionOut(Schema):
    public_id: UUID
    text: str
    created_at: datetime
    updated_at: datetime


class JourneyReflectionIn(InputSchema):
    text: str = Field(..., max_length=REFLECTION_MAX)


class JourneySuggestionOut(Schema):
    key: str = Field(..., description="Send this back to dismiss the suggestion.")
    rule: str
    title: str
    reason: str
    url: str
    action: str
    organisation: str


class JourneyDismissIn(InputSchema):
    key: str = Field(..., max_length=120)


class JourneyDismissedOut(Schema):
    key: str
    dismissed_at: datetime


def _status(current: selectors.CurrentStatus) -> dict[str, Any]:
    return {
        "status": current.status,
        "label": current.label,
        "since": current.since,
        "housebound": current.housebound,
        "housebound_since": current.housebound_since,
    }


def _moment(m: Moment) -> dict[str, Any]:
    return {"public_id": m.public_id, "happened_on": m.happened_on, "text": m.text}


def _reflection(r: Reflection) -> dict[str, Any]:
    return {"public_id": r.public_id, "text": r.text, "created_at": r.created_at, "updated_at": r.updated_at}


# --- The journey ---------------------------------------------------------------------------------------------------


@router.get("", response=responses({200: JourneyOut}), summary="My journey: engagements, moments, status, summary")
def journey(request: HttpRequest) -> Any:
    data = selectors.journey_data(current_user(request))
    return {
        "engagements": [JourneyEngagementOut.of(e) for e in data.engagements],
        "moments": [_moment(m) for m in data.moments],
        "status": _status(data.status),
        "status_history": [
            {"status": h.status, "housebound": h.housebound, "changed_at": h.changed_at} for h in data.history
        ],
        "summary": data.summary.__dict__,
    }


# --- Moments -------------------------------------------------------------------------------------------------------


@router.get("/moments", response=responses({200: list[JourneyMomentOut]}), summary="My moments, oldest first")
def moments(request: HttpRequest) -> Any:
    return [_moment(m) for m in selectors.moments_of(current_user(request))]


@router.post("/moments", response=responses({201: JourneyMomentOut}), summary="Add a moment")
def moment_add(request: HttpRequest, payload: JourneyMomentIn) -> Any:
    moment = services.moment_create(actor=current_user(request), happened_on=payload.happened_on, text=payload.text)
    return Status(201, _moment(moment))


@router.get("/moments/{public_id}", response=responses({200: JourneyMomentOut}, 404), summary="One of my moments")
def moment_get(request: HttpRequest, public_id: UUID) -> Any:
    return _moment(get_moment_for(current_user(request), public_id))


@router.patch("/moments/{public_id}", response=responses({200: JourneyMomentOut}, 404), summary="Change a moment")
def moment_change(request: HttpRequest, public_id: UUID, payload: JourneyMomentPatch) -> Any:
    user = current_user(request)
    moment = get_moment_for(user, public_id)
    happened_on = payload.happened_on if payload.happened_on is not None else moment.happened_on
    text = payload.text if payload.text is not None else moment.text
    return _moment(services.moment_update(actor=user, moment=moment, happened_on=happened_on, text=text))


@router.delete("/moments/{public_id}", response=responses({204: None}, 404), summary="Remove a moment")
def moment_remove(request: HttpRequest, public_id: UUID) -> Any:
    user = current_user(request)
    services.moment_delete(actor=user, moment=get_moment_for(user, public_id))
    return Status(204, None)


# --- Status --------------------------------------------------------------------------------------------------------


@router.put("/status", response=responses({200: JourneyStatusOut}), summary="Set where I am at the moment")
def status_set(request: HttpRequest, payload: JourneyStatusIn) -> Any:
    user = current_user(request)
    if "status" in payload.model_fields_set:
        status = payload.status or ""
    else:  # only housebound was sent: keep what the person last said about where they are
        status = selectors.current_status(list(selectors.status_history_of(user)[:1])).status
    services.status_set(actor=user, status=status, housebound=payload.housebound)
    return _status(selectors.current_status(list(selectors.status_history_of(user))))


# --- Reflections ---------------------------------------------------------------------------------------------------


@router.get(
    "/reflections", response=responses({200: list[JourneyReflectionOut]}), summary="My reflections, newest first"
)
def reflections(request: HttpRequest) -> Any:
    return [_reflection(r) for r in selectors.reflections_of(current_user(request))]


@router.post("/reflections", response=responses({201: JourneyReflectionOut}), summary="Write a reflection")
def reflection_add(request: HttpRequest, payload: JourneyReflectionIn) -> Any:
    reflection = services.reflection_create(actor=current_user(request), text=payload.text)
    return Status(201, _reflection(reflection))


@router.get("/reflections/{public_id}", response=responses({200: JourneyReflectionOut}, 404), summary="One reflection")
def reflection_get(request: HttpRequest, public_id: UUID) -> Any:
    return _reflection(get_reflection_for(current_user(request), public_id))


@router.patch(
    "/reflections/{public_id}", response=responses({200: JourneyReflectionOut}, 404), summary="Change a reflection"
)
def reflection_change(request: HttpRequest, public_id: UUID, payload: JourneyReflectionIn) -> Any:
    user = current_user(request)
    reflection = get_reflection_for(user, public_id)
    return _reflection(services.reflection_update(actor=user, reflection=reflection, text=payload.text))


@router.delete("/reflections/{public_id}", response=responses({204: None}, 404), summary="Delete a reflection")
def reflection_remove(request: HttpRequest, public_id: UUID) -> Any:
    user = current_user(request)
    services.reflection_delete(actor=user, reflection=get_reflection_for(user, public_id))
    return Status(204, None)


# --- Suggestions ---------------------------------------------------------------------------------------------------


@router.get(
    "/suggestions", response=responses({200: list[JourneySuggestionOut]}), summary="Things that might fit, and why"
)
def suggestions(request: HttpRequest) -> Any:
    user = current_user(request)
    data = selectors.journey_data(user)
    return [s.__dict__ for s in suggestions_for(user, engagements=data.engagements, status=data.status, now=data.now)]


@router.post(
    "/suggestions/dismiss", response=responses({200: JourneyDismissedOut}), summary="Never show a suggestion again"
)
def suggestion_dismiss(request: HttpRequest, payload: JourneyDismissIn) -> Any:
    dismissal = services.suggestion_dismiss(actor=current_user(request), key=payload.key)
    return {"key": dismissal.key, "dismissed_at": dismissal.dismissed_at}
