"""Supporter care and incidents over the JSON API: the same services and access helpers as
the pages. Incidents are 404 to everyone who isn't handling them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kindred.accounts.http import current_user
from kindred.core.api import InputSchema, responses

from . import selectors, services
from .models import Incident, StepKey, SupporterCheckIn
from .services import CareError

router = Router(tags=["care"])


class CheckInOut(Schema):
    id: UUID
    feeling: int = Field(..., description="1 (rough) to 5 (really good).")
    feeling_label: str
    note: str
    would_like_to_talk: bool
    shared_with_supervisor: bool
    about: Literal["meeting", "session", ""]
    created_at: datetime


def _checkin_out(c: SupporterCheckIn) -> dict[str, Any]:
    return {
        "id": c.public_id,
        "feeling": c.feeling,
        "feeling_label": c.get_feeling_display(),
        "note": c.note,
        "would_like_to_talk": c.would_like_to_talk,
        "shared_with_supervisor": c.shared_with_supervisor,
        "about": "meeting" if c.meeting_id else "session" if c.session_id else "",
        "created_at": c.created_at,
    }


class CheckInIn(InputSchema):
    feeling: int = Field(..., ge=1, le=5, description="1 (rough) to 5 (really good).")
    note: str = Field("", max_length=1000)
    would_like_to_talk: bool = False
    share_with_supervisor: bool = False
    meeting: UUID | None = Field(None, description="The group meeting you facilitated, if this is about one.")
    session: UUID | None = Field(None, description="The one-to-one session, if this is about one.")


@router.get("/check-ins", response=responses({200: list[CheckInOut]}))
def checkin_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Your own supporter check-ins, newest first."""
    return [_checkin_out(c) for c in selectors.checkins_of(current_user(request))[:200]]


@router.post("/check-ins", response=responses({201: CheckInOut}, 400, 404))
def checkin_create(request: HttpRequest, payload: CheckInIn) -> Status:
    """A short, optional check-in after facilitating or a session. Private unless shared with your supervisor."""
    from kindred.groups.access import get_meeting_for
    from kindred.onetoone.practice import get_session_for

    user = current_user(request)
    if payload.meeting and payload.session:
        raise HttpError(400, "A check-in can be about one session or one meeting, not both.")
    session = meeting = None
    if payload.session:
        try:
            session = get_session_for(user, payload.session, act=True)
        except PermissionDenied as exc:  # coordinators and supervisors may see a session but not check in on it
            raise Http404 from exc
    if payload.meeting:
        meeting, _viewer = get_meeting_for(user, payload.meeting)
    try:
        record = services.checkin_record(
            actor=user,
            feeling=payload.feeling,
            note=payload.note,
            would_like_to_talk=payload.would_like_to_talk,
            share_with_supervisor=payload.share_with_supervisor,
            session=session,
            meeting=meeting,
        )
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return Status(201, _checkin_out(record))


class SharedCheckInOut(CheckInOut):
    person: str = Field(..., description="Who shared it with you.")
    group: str | None = Field(None, description="The group, if it was after facilitating one of its meetings.")


@router.get("/check-ins/shared-with-me", response=responses({200: list[SharedCheckInOut]}))
def checkin_shared_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Check-ins people chose to share with you as their supervisor (or, where they have none assigned, as their
    organisation's coordinator). Each reading is audited, as on the page."""
    user = current_user(request)
    rows = list(selectors.checkins_shared_with(user)[:200])
    services.shared_checkins_viewed(supervisor=user, count=len(rows))
    return [
        {
            **_checkin_out(c),
            "person": c.worker.display_name,
            "group": c.meeting.group.name if c.meeting_id else None,
        }
        for c in rows
    ]


@router.post("/check-ins/{checkin_id}/unshare", response=responses({200: CheckInOut}, 404))
def checkin_unshare(request: HttpRequest, checkin_id: UUID) -> dict[str, Any]:
    """Make one of your check-ins private again. Anyone else's check-in is 404."""
    user = current_user(request)
    record = selectors.checkins_of(user).filter(public_id=checkin_id).first()
    if record is None:
        raise Http404("No such check-in.")
    return _checkin_out(services.checkin_unshare(actor=user, checkin=record))


class StepBackOut(Schema):
    stepped_back: bool
    since: datetime | None = None
    meetings_to_pick_up: list[dict[str, Any]] = []


class StepBackIn(InputSchema):
    note: str = Field("", max_length=1000)
    end_current_relationships: bool = False


@router.get("/step-back", response=responses({200: StepBackOut}))
def step_back_status(request: HttpRequest) -> dict[str, Any]:
    record = selectors.open_step_back(current_user(request))
    return {"stepped_back": record is not None, "since": record.started_at if record else None}


@router.post("/step-back", response=responses({201: StepBackOut}, 400))
def step_back(request: HttpRequest, payload: StepBackIn) -> Status:
    """Pause rota slots, new matches and emails in one action; your coordinators are told."""
    try:
        record = services.step_back(
            actor=current_user(request), note=payload.note, end_current_relationships=payload.end_current_relationships
        )
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return Status(201, {"stepped_back": True, "since": record.started_at})


@router.post("/come-back", response=responses({200: StepBackOut}, 400))
def come_back(request: HttpRequest) -> dict[str, Any]:
    """Come back: emails and match availability restored; lists the meetings you could pick up again."""
    try:
        result = services.come_back(actor=current_user(request))
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return {
        "stepped_back": False,
        "since": None,
        "meetings_to_pick_up": [
            {"meeting": str(m.public_id), "group": m.group.name, "starts_at": m.starts_at.isoformat()}
            for m in result.meetings_to_pick_up
        ],
    }


class PickUpIn(InputSchema):
    meetings: list[UUID] = Field(..., description="Meetings listed by come-back that you'd like to take back.")


@router.post("/pick-up", response=responses({200: StepBackOut}, 400))
def pick_up(request: HttpRequest, payload: PickUpIn) -> dict[str, Any]:
    """After coming back: go back on the rota for meetings released when you stepped back that still need someone.
    Anything else is refused and nothing changes. Returns the meetings still left to pick up."""
    user = current_user(request)
    try:
        services.pick_up_meetings(actor=user, meeting_ids=[str(m) for m in payload.meetings])
    except CareError as error:
        raise HttpError(400, str(error)) from error
    record = services.last_come_back(user)
    left = services.meetings_to_pick_up(record) if record is not None else []
    return {
        "stepped_back": False,
        "since": None,
        "meetings_to_pick_up": [
            {"meeting": str(m.public_id), "group": m.group.name, "starts_at": m.starts_at.isoformat()} for m in left
        ],
    }


class NetworkOut(Schema):
    organisation: str
    organisation_name: str
    space: str | None = Field(None, description="The community space's slug (under /api/online), once it exists.")


@router.get("/networks", response=responses({200: list[NetworkOut]}))
def network_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The facilitators' networks you belong in: by a supporting role in the organisation, or by facilitating one
    of its groups. Membership follows roles."""
    rows = []
    for organisation in selectors.network_organisations_of(current_user(request)).order_by("name"):
        network = services.network_for(organisation)
        rows.append(
            {
                "organisation": organisation.slug,
                "organisation_name": organisation.name,
                "space": network.space.slug if network else None,
            }
        )
    return rows


@router.post("/networks/{org_slug}", response=responses({200: NetworkOut}, 404))
def network_open(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    """Your organisation's facilitators' network (created on first use, as on the page). 404 if you don't belong."""
    from kindred.organisations.models import Organisation

    organisation = Organisation.objects.filter(slug=org_slug).first()
    if organisation is None:
        raise Http404("No such network.")
    network = services.network_ensure(actor=current_user(request), organisation=organisation)
    return {"organisation": organisation.slug, "organisation_name": organisation.name, "space": network.space.slug}


class IncidentOut(Schema):
    id: UUID
    title: str
    kind: str
    status: str
    organisation: str
    group: str | None
    space: str | None
    opened_at: datetime
    closed_at: datetime | None


class LogEntryOut(Schema):
    at: datetime
    by: str
    text: str


class StepOut(Schema):
    key: str
    label: str
    done: bool
    done_at: datetime | None
    done_by: str | None


class IncidentDetailOut(IncidentOut):
    what_happened: str
    person_concerned: str | None
    steps: list[StepOut]
    log: list[LogEntryOut]
    handlers: list[str] = Field(..., description="People a coordinator added to help (coordinators always can).")
    closing_summary: str


def _incident_out(i: Incident) -> dict[str, Any]:
    return {
        "id": i.public_id,
        "title": i.title,
        "kind": i.kind,
        "status": i.status,
        "organisation": i.organisation.slug,
        "group": i.group.slug if i.group_id else None,
        "space": i.space.slug if i.space_id else None,
        "opened_at": i.opened_at,
        "closed_at": i.closed_at,
    }


@router.get("/incidents", response=responses({200: list[IncidentOut]}))
def incident_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Incidents you are handling (as a coordinator of the organisation, or because a coordinator added you)."""
    return [_incident_out(i) for i in selectors.incidents_for(current_user(request))[:200]]


def _detail(i: Incident) -> dict[str, Any]:
    done = {s.key: s for s in i.steps.select_related("done_by")}
    return {
        **_incident_out(i),
        "what_happened": i.what_happened,
        "person_concerned": i.person_concerned.display_name if i.person_concerned else None,
        "closing_summary": i.closing_summary,
        "steps": [
            {
                "key": key,
                "label": label,
                "done": key in done,
                "done_at": done[key].done_at if key in done else None,
                "done_by": done[key].done_by.display_name if key in done and done[key].done_by else None,
            }
            for key, label in StepKey.choices
        ],
        "handlers": [h.person.display_name for h in i.handlers.select_related("person")],
        "log": [
            {"at": e.created_at, "by": e.author.display_name if e.author else "", "text": e.text}
            for e in i.log.select_related("author")
        ],
    }


class IncidentIn(InputSchema):
    organisation: str = Field(..., description="The slug of an organisation you coordinate.")
    group: str | None = Field(None, description="The slug of one of its groups (give a group or a space).")
    space: str | None = Field(None, description="The slug of one of its spaces (give a group or a space).")
    kind: Literal["death", "other"] = "death"
    title: str = Field(..., max_length=150, description="Seen only by the people handling it.")
    what_happened: str = Field("", max_length=4000)


@router.post("/incidents", response=responses({201: IncidentDetailOut}, 400, 404))
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status:
    """Open an incident for a group or space. Only the organisation's coordinators can (404 for everyone else)."""
    from kindred.community.models import Space
    from kindred.groups.models import Group

    user = current_user(request)
    organisation = selectors.get_coordinated_organisation_for(user, payload.organisation)
    group = space = None
    if payload.group:
        group = Group.objects.filter(organisation=organisation, slug=payload.group).first()
        if group is None:
            raise HttpError(400, "Please choose one of your organisation's groups.")
    if payload.space:
        space = Space.objects.filter(organisation=organisation, slug=payload.space).first()
        if space is None:
            raise HttpError(400, "Please choose one of your organisation's spaces.")
    try:
        incident = services.incident_open(
            actor=user,
            organisation=organisation,
            group=group,
            space=space,
            kind=payload.kind,
            title=payload.title,
            what_happened=payload.what_happened,
        )
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return Status(201, _detail(incident))


@router.get("/incidents/{incident_id}", response=responses({200: IncidentDetailOut}, 404))
def incident_detail(request: HttpRequest, incident_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    services.incident_viewed(actor=user, incident=incident)
    return _detail(incident)


class LogIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=2000)


@router.post("/incidents/{incident_id}/log", response=responses({201: LogEntryOut}, 400, 404))
def incident_log(request: HttpRequest, incident_id: UUID, payload: LogIn) -> Status:
    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    try:
        entry = services.incident_log_add(actor=user, incident=incident, text=payload.text)
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return Status(201, {"at": entry.created_at, "by": user.display_name, "text": entry.text})


class PersonIn(InputSchema):
    person: UUID | None = Field(..., description="The public id of the person this is about, or null.")


@router.post("/incidents/{incident_id}/person", response=responses({200: IncidentDetailOut}, 400, 404))
def incident_person(request: HttpRequest, incident_id: UUID, payload: PersonIn) -> dict[str, Any]:
    """Name the person the incident is about (a member of the group or space), so their reminders can stop."""
    from kindred.accounts.models import User

    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    person = User.objects.filter(public_id=payload.person).first() if payload.person else None
    if payload.person and person is None:
        raise HttpError(400, "That person isn't a member of this group or space.")
    try:
        services.incident_person_set(actor=user, incident=incident, person=person)
    except CareError as error:
        raise HttpError(400, str(error)) from error
    incident.refresh_from_db()
    return _detail(incident)


class StepIn(InputSchema):
    message: str = Field("", max_length=2000, description="inform_facilitators: the message to send.")
    audience: Literal["leaders", "everyone"] = "leaders"
    starts_at: datetime | None = Field(None, description="offer_debrief: when (ISO 8601, with a time zone).")
    place: str = Field("", max_length=300)
    call_link: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


StepValue = Literal["inform_facilitators", "offer_debrief", "share_resources", "stop_reminders", "remove_mailings"]


@router.post("/incidents/{incident_id}/steps/{step}", response=responses({200: IncidentDetailOut}, 400, 404))
def incident_step(request: HttpRequest, incident_id: UUID, step: StepValue, payload: StepIn) -> dict[str, Any]:
    """Complete one step of the procedure."""
    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    try:
        if step == StepKey.INFORM_FACILITATORS:
            services.inform_facilitators(actor=user, incident=incident, message=payload.message)
        elif step == StepKey.OFFER_DEBRIEF:
            services.debrief_offer(
                actor=user,
                incident=incident,
                starts_at=payload.starts_at,
                place=payload.place,
                call_link=payload.call_link,
                note=payload.note,
                audience=payload.audience,
            )
        elif step == StepKey.SHARE_RESOURCES:
            services.share_resources(actor=user, incident=incident, audience=payload.audience)
        elif step == StepKey.STOP_REMINDERS:
            services.stop_reminders(actor=user, incident=incident)
        else:
            services.remove_mailings(actor=user, incident=incident)
    except CareError as error:
        raise HttpError(400, str(error)) from error
    incident.refresh_from_db()
    return _detail(incident)


class HandlerIn(InputSchema):
    email: str = Field(..., max_length=254, description="The email address of someone in your organisation.")


@router.post("/incidents/{incident_id}/handlers", response=responses({200: IncidentDetailOut}, 400, 403, 404))
def incident_handler(request: HttpRequest, incident_id: UUID, payload: HandlerIn) -> dict[str, Any]:
    """Add someone of the organisation to help handle the incident (the organisation's coordinators only)."""
    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    try:
        services.incident_handler_add(actor=user, incident=incident, email=payload.email)
    except CareError as error:
        raise HttpError(400, str(error)) from error
    return _detail(incident)


class CloseIn(InputSchema):
    summary: str = Field(..., max_length=4000, description="What was done, and anything still to follow up.")


@router.post("/incidents/{incident_id}/close", response=responses({200: IncidentDetailOut}, 400, 403, 404))
def incident_close(request: HttpRequest, incident_id: UUID, payload: CloseIn) -> dict[str, Any]:
    """Close the incident with a summary (the organisation's coordinators only)."""
    user = current_user(request)
    incident = selectors.get_incident_for(user, incident_id)
    try:
        services.incident_close(actor=user, incident=incident, summary=payload.summary)
    except CareError as error:
        raise HttpError(400, str(error)) from error
    incident.refresh_from_db()
    return _detail(incident)
