"""Well-being over the API: measures, check-ins, goals and progress notes, reminders, and shared summaries.

The same selectors and services as the pages, so the same rules: a person sees only their own check-ins and
goals; PHQ-9 and GAD-7 only when one of their organisations enables them; a shared summary only for the supporter
it is shared with, while it is shared (404 for everyone else, and afterwards).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kindred.accounts.api import ErrorOut, InputSchema, current_user, responses
from kindred.accounts.models import User

from . import selectors, services
from .measures import MEASURES, Measure, band_for
from .models import CheckIn, Goal, GoalNote, ReminderFrequency, Share

router = Router(tags=["well-being"])


def _run(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except services.WellbeingError as error:
        status = {"forbidden": 403, "not_found": 404, "conflict": 409}.get(error.code, 422)
        raise HttpError(status, str(error)) from error


# --- Schemas --------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    key: str
    text: str


class OptionOut(Schema):
    value: int
    label: str


class MeasureOut(Schema):
    code: str
    name: str
    citation: str
    preamble: str
    reading: str
    totalled: bool = Field(..., description="False for ONS4: its four questions are reported separately.")
    items: list[ItemOut]
    options: list[OptionOut]


def _measure_out(measure: Measure) -> dict[str, Any]:
    return {
        "code": measure.code,
        "name": measure.name,
        "citation": measure.citation,
        "preamble": measure.preamble,
        "reading": measure.reading,
        "totalled": measure.totalled,
        "items": [{"key": i.key, "text": i.text} for i in measure.items],
        "options": [{"value": v, "label": label} for v, label in measure.options],
    }


class CheckInIn(InputSchema):
    measure: str = Field(..., description="ons4, ucla3, phq9 or gad7.")
    answers: dict[str, Any] = Field(..., description='Each question\'s key and answer, e.g. {"q1": 0, "q2": 1}.')


class CheckInOut(Schema):
    public_id: UUID
    measure: str
    taken_at: datetime
    answers: dict[str, int]
    scores: dict[str, int]
    bands: dict[str, str]
    self_harm_followup: bool = Field(
        ..., description="True when a PHQ-9 answer to question 9 was above zero: show crisis signposting at once."
    )
    what_happens: list[str] = Field(default_factory=list, description="Who is told, in plain words.")


def _checkin_out(checkin: CheckIn, *, what_happens: list[str] | None = None) -> dict[str, Any]:
    return {
        "public_id": checkin.public_id,
        "measure": checkin.measure,
        "taken_at": checkin.taken_at,
        "answers": checkin.answers,
        "scores": checkin.scores,
        "bands": {key: band_for(checkin.measure, key, value) for key, value in checkin.scores.items()},
        "self_harm_followup": checkin.self_harm,
        "what_happens": what_happens or [],
    }


class NoteOut(Schema):
    public_id: UUID
    body: str
    progress: int | None
    created_at: datetime


class GoalOut(Schema):
    public_id: UUID
    title: str
    why: str
    target_date: date | None
    status: str
    created_at: datetime
    notes: list[NoteOut]


def _goal_out(goal: Goal, notes: list[GoalNote] | None = None) -> dict[str, Any]:
    notes = list(goal.notes.all()) if notes is None else notes
    return {
        "public_id": goal.public_id,
        "title": goal.title,
        "why": goal.why,
        "target_date": goal.target_date,
        "status": goal.status,
        "created_at": goal.created_at,
        "notes": [
            {"public_id": n.public_id, "body": n.body, "progress": n.progress, "created_at": n.created_at}
            for n in notes
        ],
    }


class GoalIn(InputSchema):
    title: str = Field(..., max_length=200)
    why: str = Field("", max_length=2000)
    target_date: date | None = None


class GoalPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    why: str | None = Field(None, max_length=2000)
    target_date: date | None = None
    status: str | None = Field(None, description="active, achieved or let_go.")


class NoteIn(InputSchema):
    body: str = Field("", max_length=2000)
    progress: int | None = Field(None, description="How far along it feels, 0 to 10.")


class RemindersIO(InputSchema):
    frequency: ReminderFrequency = Field(..., description="off, weekly, fortnightly or monthly.")
    measures: list[str] = Field(default_factory=list)


class RemindersOut(Schema):
    frequency: str
    measures: list[str]
    last_reminded_at: datetime | None


class ShareIn(InputSchema):
    supporter: UUID = Field(..., description="The public id of your supporter or someone you're connected with.")
    measures: list[str] = Field(default_factory=list)
    include_goals: bool = False


class ShareOut(Schema):
    public_id: UUID
    supporter: str = Field(..., description="Display name.")
    supporter_id: UUID
    measures: list[str]
    include_goals: bool
    created_at: datetime
    revoked_at: datetime | None
    active: bool


def _share_out(share: Share) -> dict[str, Any]:
    return {
        "public_id": share.public_id,
        "supporter": share.supporter.display_name,
        "supporter_id": share.supporter.public_id,
        "measures": share.measures,
        "include_goals": share.include_goals,
        "created_at": share.created_at,
        "revoked_at": share.revoked_at,
        "active": share.is_active,
    }


class SeriesOut(Schema):
    key: str
    label: str
    latest: int
    band: str
    previous: int | None
    trend: str


class MeasureSummaryOut(Schema):
    measure: str
    count: int
    latest_at: datetime
    series: list[SeriesOut]


class GoalSummaryOut(Schema):
    title: str
    status: str
    target_date: date | None
    latest_progress: int | None


class SharedOut(Schema):
    public_id: UUID
    person: str
    shared_at: datetime
    measures: list[MeasureSummaryOut]
    goals: list[GoalSummaryOut] | None


class SharedListOut(Schema):
    public_id: UUID
    person: str
    shared_at: datetime


# --- Measures and check-ins -----------------------------------------------------------------------------------


@router.get("/measures", response=responses({200: list[MeasureOut]}), summary="Check-ins available to me")
def measures(request: HttpRequest) -> list[dict[str, Any]]:
    return [_measure_out(m) for m in selectors.available_measures(current_user(request))]


@router.post("/check-ins", response=responses({201: CheckInOut}, 404), summary="Check in")
def checkin_submit(request: HttpRequest, payload: CheckInIn) -> Status:
    user = current_user(request)
    if payload.measure not in MEASURES:
        raise HttpError(422, "We don't know that check-in. Please choose ons4, ucla3, phq9 or gad7.")
    checkin = _run(services.checkin_submit, actor=user, measure=payload.measure, answers=payload.answers)
    told: list[str] = []
    if checkin.self_harm:
        for followup in selectors.followups_for(checkin):
            name = followup.organisation.name if followup.organisation else "The organisation"
            if followup.tells_leads:
                told.append(f"{name}'s safeguarding lead has been told a check-in needs a follow-up.")
            else:
                told.append(f"{name} has not been told. Only you see your answers.")
    return Status(201, _checkin_out(checkin, what_happens=told))


@router.get("/check-ins", response=responses({200: list[CheckInOut]}), summary="My check-ins, oldest first")
def checkin_list(request: HttpRequest, measure: str = "") -> list[dict[str, Any]]:
    rows = selectors.checkins_of(current_user(request), measure=measure or None)
    return [_checkin_out(c) for c in rows]


@router.get("/check-ins/{public_id}", response=responses({200: CheckInOut}, 404), summary="One of my check-ins")
def checkin_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _checkin_out(selectors.get_checkin_for(current_user(request), public_id))


# --- Goals ----------------------------------------------------------------------------------------------------


@router.get("/goals", response=responses({200: list[GoalOut]}), summary="My goals")
def goal_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_goal_out(g) for g in selectors.goals_of(current_user(request))]


@router.post("/goals", response=responses({201: GoalOut}), summary="Add a goal")
def goal_create(request: HttpRequest, payload: GoalIn) -> Status:
    goal = _run(services.goal_create, actor=current_user(request), **payload.dict())
    return Status(201, _goal_out(goal, []))


@router.get("/goals/{public_id}", response=responses({200: GoalOut}, 404), summary="One of my goals")
def goal_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _goal_out(selectors.get_goal_for(current_user(request), public_id))


@router.patch("/goals/{public_id}", response=responses({200: GoalOut}, 404), summary="Change a goal")
def goal_update(request: HttpRequest, public_id: UUID, payload: GoalPatch) -> dict[str, Any]:
    user = current_user(request)
    goal = selectors.get_goal_for(user, public_id)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    if changes:
        if "target_date" not in changes:
            changes["target_date"] = ...
        _run(services.goal_update, actor=user, goal=goal, **changes)
    if status is not None:
        _run(services.goal_set_status, actor=user, goal=goal, status=status)
    return _goal_out(goal)


@router.delete("/goals/{public_id}", response=responses({204: None}, 404), summary="Delete a goal and its notes")
def goal_delete(request: HttpRequest, public_id: UUID) -> Status:
    user = current_user(request)
    _run(services.goal_delete, actor=user, goal=selectors.get_goal_for(user, public_id))
    return Status(204, None)


@router.post("/goals/{public_id}/notes", response=responses({201: NoteOut}, 404), summary="Add a progress note")
def goal_note_add(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Status:
    user = current_user(request)
    goal = selectors.get_goal_for(user, public_id)
    note = _run(services.goal_note_add, actor=user, goal=goal, body=payload.body, progress=payload.progress)
    out = {"public_id": note.public_id, "body": note.body, "progress": note.progress, "created_at": note.created_at}
    return Status(201, out)


# --- Reminders ------------------------------------------------------------------------------------------------


@router.get("/reminders", response=responses({200: RemindersOut}), summary="My reminder settings")
def reminders_get(request: HttpRequest) -> dict[str, Any]:
    current = selectors.reminder_settings_of(current_user(request))
    return {"frequency": current.frequency, "measures": current.measures, "last_reminded_at": current.last_reminded_at}


@router.put("/reminders", response=responses({200: RemindersOut}), summary="Change my reminder settings")
def reminders_put(request: HttpRequest, payload: RemindersIO) -> dict[str, Any]:
    saved = _run(
        services.reminders_update, actor=current_user(request), frequency=payload.frequency, measures=payload.measures
    )
    return {"frequency": saved.frequency, "measures": saved.measures, "last_reminded_at": saved.last_reminded_at}


# --- Sharing --------------------------------------------------------------------------------------------------


@router.get("/shares", response=responses({200: list[ShareOut]}), summary="Summaries I share (and shared)")
def share_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_share_out(s) for s in selectors.shares_of(current_user(request))]


@router.post("/shares", response={**responses({201: ShareOut}, 404), 409: ErrorOut}, summary="Share a summary")
def share_create(request: HttpRequest, payload: ShareIn) -> Status:
    user = current_user(request)
    supporter = User.objects.filter(public_id=payload.supporter, is_active=True).first()
    if supporter is None:
        raise HttpError(404, "You can share with your supporter in an active match or someone you are connected with.")
    share = _run(
        services.share_create,
        actor=user,
        supporter=supporter,
        measures=payload.measures,
        include_goals=payload.include_goals,
    )
    return Status(201, _share_out(share))


@router.post("/shares/{public_id}/revoke", response=responses({200: ShareOut}, 404), summary="Stop sharing")
def share_revoke(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    share = _run(services.share_revoke, actor=user, share=selectors.get_own_share_for(user, public_id))
    return _share_out(share)


@router.get("/shared-with-me", response=responses({200: list[SharedListOut]}), summary="Summaries shared with me")
def shared_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    return [
        {"public_id": s.public_id, "person": s.person.display_name, "shared_at": s.created_at}
        for s in selectors.shares_with(user)
        if selectors.is_eligible_supporter(s.person, user)
    ]


@router.get("/shared-with-me/{public_id}", response=responses({200: SharedOut}, 404), summary="A shared summary")
def shared_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    share = selectors.get_shared_for(current_user(request), public_id)
    summary = selectors.shared_summary(share)
    return {
        "public_id": share.public_id,
        "person": share.person.display_name,
        "shared_at": share.created_at,
        "measures": [
            {
                "measure": m.measure.code,
                "count": m.count,
                "latest_at": m.latest_at,
                "series": [
                    {
                        "key": s.key,
                        "label": s.label,
                        "latest": s.latest,
                        "band": s.band,
                        "previous": s.previous,
                        "trend": s.trend,
                    }
                    for s in m.series
                ],
            }
            for m in summary.measures
        ],
        "goals": None
        if summary.goals is None
        else [
            {"title": g.title, "status": g.status, "target_date": g.target_date, "latest_progress": g.latest_progress}
            for g in summary.goals
        ],
    }
