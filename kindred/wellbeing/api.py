"""Well-being over the API: measures, check-ins, goals and progress notes, reminders, shared summaries, and an
organisation's settings (PHQ-9/GAD-7 and its safeguarding response) for its coordinators.

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

from kindred.accounts.http import current_user
from kindred.accounts.models import User
from kindred.core.api import ErrorOut, InputSchema, responses
from kindred.organisations.access import get_organisation_for
from kindred.organisations.models import Organisation, Role
from kindred.safety.screening import crisis_panel_payload

from . import selectors, services
from .measures import MEASURES, Measure, band_for
from .models import CheckIn, Goal, GoalNote, ReminderFrequency, Share

router = Router(tags=["well-being"])


# --- Schemas --------------------------------------------------------------------------------------------------


class WellbeingItemOut(Schema):
    key: str
    text: str


class WellbeingOptionOut(Schema):
    value: int
    label: str


class WellbeingMeasureOut(Schema):
    code: str
    name: str
    citation: str
    preamble: str
    reading: str
    totalled: bool = Field(..., description="False for ONS4: its four questions are reported separately.")
    items: list[WellbeingItemOut]
    options: list[WellbeingOptionOut]


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


class WellbeingCheckInIn(InputSchema):
    measure: str = Field(..., description="ons4, ucla3, phq9 or gad7.")
    answers: dict[str, Any] = Field(..., description='Each question\'s key and answer, e.g. {"q1": 0, "q2": 1}.')


class WellbeingCheckInOut(Schema):
    public_id: UUID
    measure: str
    taken_at: datetime
    answers: dict[str, int]
    scores: dict[str, int]
    bands: dict[str, str]
    self_harm_followup: bool = Field(
        ..., description="True when a PHQ-9 answer to question 9 was above zero: show crisis signposting at once."
    )
    what_happens: list[str] = Field(
        default_factory=list, description="After a self-harm answer: who was told, in plain words."
    )
    crisis: dict[str, Any] | None = Field(
        None,
        description=(
            "After a self-harm answer: the crisis signposting to show at once (UK routes and the organisation's own "
            "crisis contacts), the same as the page shows. Null otherwise."
        ),
    )


def _what_happens(checkin: CheckIn) -> list[str]:
    """What was done after a self-harm answer, from the audit rows written at the time (as the page says)."""
    told: list[str] = []
    for followup in selectors.followups_for(checkin):
        name = followup.organisation.name if followup.organisation else "The organisation"
        if followup.tells_leads:
            told.append(
                f"{name}'s safeguarding lead has been told a check-in needs a follow-up, so someone can check in "
                "with you. They haven't been shown your answers."
            )
        else:
            told.append(f"{name} has not been told. Only you see your answers.")
    return told or ["Nobody has been told. Only you see your answers."]


def _checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        "public_id": checkin.public_id,
        "measure": checkin.measure,
        "taken_at": checkin.taken_at,
        "answers": checkin.answers,
        "scores": checkin.scores,
        "bands": {key: band_for(checkin.measure, key, value) for key, value in checkin.scores.items()},
        "self_harm_followup": checkin.self_harm,
        "what_happens": _what_happens(checkin) if checkin.self_harm else [],
        "crisis": crisis_panel_payload(checkin.organisation) if checkin.self_harm else None,
    }


class WellbeingNoteOut(Schema):
    public_id: UUID
    body: str
    progress: int | None
    created_at: datetime


class WellbeingGoalOut(Schema):
    public_id: UUID
    title: str
    why: str
    target_date: date | None
    status: str
    created_at: datetime
    notes: list[WellbeingNoteOut]


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


class WellbeingGoalIn(InputSchema):
    title: str = Field(..., max_length=200)
    why: str = Field("", max_length=2000)
    target_date: date | None = None


class WellbeingGoalPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    why: str | None = Field(None, max_length=2000)
    target_date: date | None = None
    status: str | None = Field(None, description="active, achieved or let_go.")


class WellbeingNoteIn(InputSchema):
    body: str = Field("", max_length=2000)
    progress: int | None = Field(None, description="How far along it feels, 0 to 10.")


class WellbeingRemindersIO(InputSchema):
    frequency: ReminderFrequency = Field(..., description="off, weekly, fortnightly or monthly.")
    measures: list[str] = Field(default_factory=list)


class WellbeingRemindersOut(Schema):
    frequency: str
    measures: list[str]
    last_reminded_at: datetime | None


class WellbeingShareIn(InputSchema):
    supporter: UUID = Field(..., description="The public id of your supporter or someone you're connected with.")
    measures: list[str] = Field(default_factory=list)
    include_goals: bool = False


class WellbeingShareOut(Schema):
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


class WellbeingSeriesOut(Schema):
    key: str
    label: str
    latest: int
    band: str
    previous: int | None
    trend: str


class WellbeingMeasureSummaryOut(Schema):
    measure: str
    count: int
    latest_at: datetime
    series: list[WellbeingSeriesOut]


class WellbeingGoalSummaryOut(Schema):
    title: str
    status: str
    target_date: date | None
    latest_progress: int | None


class WellbeingSharedOut(Schema):
    public_id: UUID
    person: str
    shared_at: datetime
    measures: list[WellbeingMeasureSummaryOut]
    goals: list[WellbeingGoalSummaryOut] | None


class WellbeingSharedListOut(Schema):
    public_id: UUID
    person: str
    shared_at: datetime


# --- Measures and check-ins -----------------------------------------------------------------------------------


@router.get("/measures", response=responses({200: list[WellbeingMeasureOut]}), summary="Check-ins available to me")
def measures(request: HttpRequest) -> list[dict[str, Any]]:
    return [_measure_out(m) for m in selectors.available_measures(current_user(request))]


@router.post("/check-ins", response=responses({201: WellbeingCheckInOut}, 404), summary="Check in")
def checkin_submit(request: HttpRequest, payload: WellbeingCheckInIn) -> Status:
    user = current_user(request)
    if payload.measure not in MEASURES:
        raise HttpError(422, "We don't know that check-in. Please choose ons4, ucla3, phq9 or gad7.")
    checkin = services.checkin_submit(actor=user, measure=payload.measure, answers=payload.answers)
    return Status(201, _checkin_out(checkin))


@router.get("/check-ins", response=responses({200: list[WellbeingCheckInOut]}), summary="My check-ins, oldest first")
def checkin_list(request: HttpRequest, measure: str = "") -> list[dict[str, Any]]:
    rows = selectors.checkins_of(current_user(request), measure=measure or None)
    return [_checkin_out(c) for c in rows]


@router.get(
    "/check-ins/{public_id}", response=responses({200: WellbeingCheckInOut}, 404), summary="One of my check-ins"
)
def checkin_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _checkin_out(selectors.get_checkin_for(current_user(request), public_id))


# --- Goals ----------------------------------------------------------------------------------------------------


@router.get("/goals", response=responses({200: list[WellbeingGoalOut]}), summary="My goals")
def goal_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_goal_out(g) for g in selectors.goals_of(current_user(request))]


@router.post("/goals", response=responses({201: WellbeingGoalOut}), summary="Add a goal")
def goal_create(request: HttpRequest, payload: WellbeingGoalIn) -> Status:
    goal = services.goal_create(actor=current_user(request), **payload.dict())
    return Status(201, _goal_out(goal, []))


@router.get("/goals/{public_id}", response=responses({200: WellbeingGoalOut}, 404), summary="One of my goals")
def goal_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _goal_out(selectors.get_goal_for(current_user(request), public_id))


@router.patch("/goals/{public_id}", response=responses({200: WellbeingGoalOut}, 404), summary="Change a goal")
def goal_update(request: HttpRequest, public_id: UUID, payload: WellbeingGoalPatch) -> dict[str, Any]:
    user = current_user(request)
    goal = selectors.get_goal_for(user, public_id)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    if changes:
        if "target_date" not in changes:
            changes["target_date"] = ...
        services.goal_update(actor=user, goal=goal, **changes)
    if status is not None:
        services.goal_set_status(actor=user, goal=goal, status=status)
    return _goal_out(goal)


@router.delete("/goals/{public_id}", response=responses({204: None}, 404), summary="Delete a goal and its notes")
def goal_delete(request: HttpRequest, public_id: UUID) -> Status:
    user = current_user(request)
    services.goal_delete(actor=user, goal=selectors.get_goal_for(user, public_id))
    return Status(204, None)


@router.post(
    "/goals/{public_id}/notes", response=responses({201: WellbeingNoteOut}, 404), summary="Add a progress note"
)
def goal_note_add(request: HttpRequest, public_id: UUID, payload: WellbeingNoteIn) -> Status:
    user = current_user(request)
    goal = selectors.get_goal_for(user, public_id)
    note = services.goal_note_add(actor=user, goal=goal, body=payload.body, progress=payload.progress)
    out = {"public_id": note.public_id, "body": note.body, "progress": note.progress, "created_at": note.created_at}
    return Status(201, out)


# --- Reminders ------------------------------------------------------------------------------------------------


@router.get("/reminders", response=responses({200: WellbeingRemindersOut}), summary="My reminder settings")
def reminders_get(request: HttpRequest) -> dict[str, Any]:
    current = selectors.reminder_settings_of(current_user(request))
    return {"frequency": current.frequency, "measures": current.measures, "last_reminded_at": current.last_reminded_at}


@router.put("/reminders", response=responses({200: WellbeingRemindersOut}), summary="Change my reminder settings")
def reminders_put(request: HttpRequest, payload: WellbeingRemindersIO) -> dict[str, Any]:
    saved = services.reminders_update(
        actor=current_user(request), frequency=payload.frequency, measures=payload.measures
    )
    return {"frequency": saved.frequency, "measures": saved.measures, "last_reminded_at": saved.last_reminded_at}


# --- Sharing --------------------------------------------------------------------------------------------------


@router.get("/shares", response=responses({200: list[WellbeingShareOut]}), summary="Summaries I share (and shared)")
def share_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_share_out(s) for s in selectors.shares_of(current_user(request))]


@router.post("/shares", response={**responses({201: WellbeingShareOut}, 404), 409: ErrorOut}, summary="Share a summary")
def share_create(request: HttpRequest, payload: WellbeingShareIn) -> Status:
    user = current_user(request)
    supporter = User.objects.filter(public_id=payload.supporter, is_active=True).first()
    if supporter is None:
        raise HttpError(404, "You can share with your supporter in an active match or someone you are connected with.")
    share = services.share_create(
        actor=user,
        supporter=supporter,
        measures=payload.measures,
        include_goals=payload.include_goals,
    )
    return Status(201, _share_out(share))


@router.post("/shares/{public_id}/revoke", response=responses({200: WellbeingShareOut}, 404), summary="Stop sharing")
def share_revoke(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    share = services.share_revoke(actor=user, share=selectors.get_own_share_for(user, public_id))
    return _share_out(share)


@router.get(
    "/shared-with-me", response=responses({200: list[WellbeingSharedListOut]}), summary="Summaries shared with me"
)
def shared_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"public_id": s.public_id, "person": s.person.display_name, "shared_at": s.created_at}
        for s in selectors.shares_with(current_user(request))
    ]


@router.get(
    "/shared-with-me/{public_id}", response=responses({200: WellbeingSharedOut}, 404), summary="A shared summary"
)
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


# --- An organisation's settings (coordinators) ---------------------------------------------------------------


class WellbeingLeadOut(Schema):
    public_id: UUID
    display_name: str


class WellbeingSettingsOut(Schema):
    organisation: str
    phq9_enabled: bool
    gad7_enabled: bool
    self_harm_response: str = Field(..., description="signpost, or notify_leads (signpost and tell the leads).")
    safeguarding_leads: list[WellbeingLeadOut]
    lead_candidates: list[WellbeingLeadOut] = Field(
        ..., description="The organisation's coordinators and supervisors, who may be chosen as leads."
    )


class WellbeingSettingsIn(InputSchema):
    phq9_enabled: bool = False
    gad7_enabled: bool = False
    self_harm_response: str = Field("signpost", description="signpost or notify_leads.")
    safeguarding_leads: list[UUID] = Field(default_factory=list, description="Public ids of lead candidates.")


def _lead_out(user: User) -> dict[str, Any]:
    return {"public_id": user.public_id, "display_name": user.display_name}


def _settings_out(organisation: Organisation) -> dict[str, Any]:
    current = selectors.settings_for(organisation)
    return {
        "organisation": organisation.slug,
        "phq9_enabled": current.phq9_enabled,
        "gad7_enabled": current.gad7_enabled,
        "self_harm_response": current.self_harm_response,
        "safeguarding_leads": [_lead_out(u) for u in current.safeguarding_leads.all()] if current.pk else [],
        "lead_candidates": [_lead_out(u) for u in selectors.lead_candidates(organisation)],
    }


@router.get(
    "/organisations/{slug}/settings",
    response=responses({200: WellbeingSettingsOut}, 403, 404),
    summary="An organisation's well-being settings (its coordinators)",
)
def settings_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    organisation = get_organisation_for(current_user(request), slug, require_role=Role.COORDINATOR)
    return _settings_out(organisation)


@router.put(
    "/organisations/{slug}/settings",
    response=responses({200: WellbeingSettingsOut}, 403, 404),
    summary="Change an organisation's well-being settings (its coordinators)",
)
def settings_put(request: HttpRequest, slug: str, payload: WellbeingSettingsIn) -> dict[str, Any]:
    user = current_user(request)
    organisation = get_organisation_for(user, slug, require_role=Role.COORDINATOR)
    candidates = {u.public_id: u for u in selectors.lead_candidates(organisation)}
    if any(lead not in candidates for lead in payload.safeguarding_leads):
        raise HttpError(422, "Safeguarding leads must be coordinators or supervisors of this organisation.")
    services.settings_update(
        actor=user,
        organisation=organisation,
        phq9_enabled=payload.phq9_enabled,
        gad7_enabled=payload.gad7_enabled,
        self_harm_response=payload.self_harm_response,
        safeguarding_leads=[candidates[lead] for lead in dict.fromkeys(payload.safeguarding_leads)],
    )
    return _settings_out(organisation)
