"""Sessions, notes, ending well, practice logs, check-ins and supervision over the JSON API.

The same access helpers and services as the pages (`kindred.onetoone.practice`): outsiders get 404, people who may
see but not act get 403, and every note read is audited. The one-to-one router (api.py) includes this router.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kindred.accounts.http import current_user
from kindred.accounts.names import display_name
from kindred.care.models import SupporterCheckIn
from kindred.core.api import InputSchema, responses

from . import practice
from .models import (
    MAX_SESSION_MINUTES,
    NOTE_MAX_CHARS,
    BoundaryDilemma,
    Session,
    SessionNote,
)

# --- Schemas ------------------------------------------------------------------------------------------------------

ChannelValue = Literal["in_person", "phone", "video", "messages"]
StatusValue = Literal["scheduled", "held", "cancelled", "missed"]


class SessionOut(Schema):
    id: UUID = Field(..., description="The session's public id.")
    relationship: UUID = Field(..., description="The public id of the match the session belongs to.")
    starts_at: datetime
    duration_minutes: int
    channel: str
    status: str

    @staticmethod
    def from_session(session: Session) -> dict[str, Any]:
        return {
            "id": session.public_id,
            "relationship": session.match.public_id,
            "starts_at": session.starts_at,
            "duration_minutes": session.duration_minutes,
            "channel": session.channel,
            "status": session.status,
        }


class SessionListOut(Schema):
    contact_minutes: int = Field(..., description="Total minutes of sessions that happened.")
    sessions: list[SessionOut]


class SessionIn(InputSchema):
    starts_at: datetime = Field(..., description="When the session starts (ISO 8601, with a time zone).")
    duration_minutes: int = Field(..., ge=1, le=MAX_SESSION_MINUTES)
    channel: ChannelValue
    status: Literal["scheduled", "held"] = "held"


class SessionStatusIn(InputSchema):
    status: StatusValue


class NoteOut(Schema):
    id: UUID
    session: UUID
    author_is_me: bool
    body: str
    created_at: datetime


class NoteIn(InputSchema):
    body: str = Field(..., min_length=1, max_length=NOTE_MAX_CHARS)


class DisclosureIn(InputSchema):
    layer: Literal["distress", "services", "wider_life"]
    what_i_shared: str = Field(..., min_length=1, max_length=2000)
    why: str = Field("", max_length=2000)
    helpful: Literal["", "helpful", "neutral", "unhelpful"] = ""


class CreatedOut(Schema):
    id: UUID


class EndingIn(InputSchema):
    reflection: str = Field("", max_length=3000)
    suggested_forms: list[Literal["group", "online", "one_to_one", "informal", "practical"]] = []


class EndingSuggestionOut(Schema):
    label: str
    url: str


class EndingOut(Schema):
    id: UUID
    relationship: UUID
    suggestions: list[EndingSuggestionOut]


class OneToOneCheckInOut(Schema):
    id: UUID
    feeling: int
    note: str
    would_like_to_talk: bool
    created_at: datetime


class DilemmaIn(InputSchema):
    organisation: str = Field(..., description="The organisation's slug.")
    occurred_on: date
    what_happened: str = Field(..., min_length=1, max_length=3000)
    what_i_did: str = Field("", max_length=3000)
    bring_to_supervision: bool = True


class SuperviseeOut(Schema):
    organisation: str
    person: UUID
    display_name: str
    caseload: int


class SupervisionSessionOut(SessionOut):
    with_display_name: str
    private_notes: int = Field(..., description="How many notes the worker wrote (contents are never included here).")


class SupervisionOverviewOut(Schema):
    organisation: str
    person: UUID
    display_name: str
    caseload: int
    caseload_cap: int | None
    contact_minutes: int
    sessions: list[SupervisionSessionOut]
    checkins: list[OneToOneCheckInOut]
    disclosures: int
    dilemmas: int
    records: int


class SupervisionRecordIn(InputSchema):
    held_on: date
    notes: str = Field("", max_length=NOTE_MAX_CHARS)
    agreed_actions: str = Field("", max_length=2000)


def _note_out(note: SessionNote, user: Any) -> dict[str, Any]:
    return {
        "id": note.public_id,
        "session": note.session.public_id,
        "author_is_me": note.author_id == user.pk,
        "body": note.body,
        "created_at": note.created_at,
    }


def _checkin_out(checkin: SupporterCheckIn) -> dict[str, Any]:
    return {
        "id": checkin.public_id,
        "feeling": checkin.feeling,
        "note": checkin.note,
        "would_like_to_talk": checkin.would_like_to_talk,
        "created_at": checkin.created_at,
    }


router = Router(tags=["onetoone"])


@router.get("/relationships/{match_id}/sessions", response=responses({200: SessionListOut}, 404))
def session_list(request: HttpRequest, match_id: UUID) -> dict[str, Any]:
    """Sessions of a relationship, newest first, with the contact time so far (no notes)."""
    match = practice.get_match_for(current_user(request), match_id)
    sessions = practice.sessions_of(match)
    for session in sessions:
        session.match = match
    return {
        "contact_minutes": practice.contact_minutes(sessions),
        "sessions": [SessionOut.from_session(s) for s in sessions],
    }


@router.post("/relationships/{match_id}/sessions", response=responses({201: SessionOut}, 400, 403, 404))
def session_create(request: HttpRequest, match_id: UUID, payload: SessionIn) -> Status:
    """Plan or log a session (either person in the relationship)."""
    user = current_user(request)
    match = practice.get_match_for(user, match_id, act=True)
    session = practice.session_log(actor=user, match=match, **payload.dict())
    return Status(201, SessionOut.from_session(session))


@router.get("/sessions/{session_id}", response=responses({200: SessionOut}, 404))
def session_get(request: HttpRequest, session_id: UUID) -> dict[str, Any]:
    return SessionOut.from_session(practice.get_session_for(current_user(request), session_id))


@router.post("/sessions/{session_id}/status", response=responses({200: SessionOut}, 400, 403, 404))
def session_status(request: HttpRequest, session_id: UUID, payload: SessionStatusIn) -> dict[str, Any]:
    """Mark a planned session as happened, cancelled or didn't happen."""
    user = current_user(request)
    session = practice.get_session_for(user, session_id, act=True)
    return SessionOut.from_session(practice.session_update(actor=user, session=session, status=payload.status))


@router.get("/sessions/{session_id}/notes", response=responses({200: list[NoteOut]}, 404))
def note_list(request: HttpRequest, session_id: UUID) -> list[dict[str, Any]]:
    """The private notes on a session that you may read: your own, and — where your organisation's policy allows
    it — those of people you supervise. Every note returned is recorded in the audit log as read."""
    user = current_user(request)
    session = practice.get_session_for(user, session_id)
    return [_note_out(note, user) for note in practice.notes_readable_by(user, session)]


@router.post("/sessions/{session_id}/notes", response=responses({201: NoteOut}, 400, 403, 404))
def note_create(request: HttpRequest, session_id: UUID, payload: NoteIn) -> Status:
    """Write a private note on a session (encrypted at rest)."""
    user = current_user(request)
    session = practice.get_session_for(user, session_id, act=True)
    note = practice.note_add(actor=user, session=session, body=payload.body)
    return Status(201, _note_out(note, user))


@router.post("/sessions/{session_id}/disclosures", response=responses({201: CreatedOut}, 400, 403, 404))
def disclosure_create(request: HttpRequest, session_id: UUID, payload: DisclosureIn) -> Status:
    """Add to the supporter's disclosure log: what they chose to share of their own experience."""
    user = current_user(request)
    session = practice.get_session_for(user, session_id, act=True)
    entry = practice.disclosure_log(actor=user, session=session, **payload.dict())
    return Status(201, {"id": entry.public_id})


@router.post("/relationships/{match_id}/ending", response=responses({201: EndingOut}, 400, 403, 404))
def ending_create(request: HttpRequest, match_id: UUID, payload: EndingIn) -> Status:
    """End a relationship well, with an optional private reflection and suggestions of what could come next."""
    user = current_user(request)
    match = practice.get_match_for(user, match_id, act=True)
    ending = practice.match_end_well(
        actor=user, match=match, reflection=payload.reflection, suggested_forms=payload.suggested_forms
    )
    links = practice.suggestion_links(ending.suggested_forms)
    body = {
        "id": ending.public_id,
        "relationship": match.public_id,
        "suggestions": [{"label": label, "url": url} for label, url in links],
    }
    return Status(201, body)


@router.post("/practice/dilemmas", response=responses({201: CreatedOut}, 400, 403, 404))
def dilemma_create(request: HttpRequest, payload: DilemmaIn) -> Status:
    """Add to your boundary-dilemma log in an organisation where you give support."""
    from kindred.organisations.models import Organisation
    from kindred.organisations.selectors import roles_in

    user = current_user(request)
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None or not roles_in(user, organisation):
        raise HttpError(404, "We couldn't find that. It may not exist, or it may not be shared with you.")
    data = payload.dict()
    data.pop("organisation")
    entry: BoundaryDilemma = practice.dilemma_log(actor=user, organisation=organisation, **data)
    return Status(201, {"id": entry.public_id})


@router.get("/supervision/supervisees", response=responses({200: list[SuperviseeOut]}))
def supervisee_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The people you supervise."""
    return [
        {
            "organisation": a.organisation.slug,
            "person": a.supervisee.public_id,
            "display_name": a.supervisee.display_name,
            "caseload": practice.caseload_of(a.supervisee, a.organisation).count(),
        }
        for a in practice.supervisees_of(current_user(request))
        if a.supervisee is not None
    ]


@router.get("/supervision/{organisation}/{person_id}", response=responses({200: SupervisionOverviewOut}, 404))
def supervision_overview(request: HttpRequest, organisation: str, person_id: UUID) -> dict[str, Any]:
    """A supervisee's caseload, sessions, contact time and check-ins. Never note contents."""
    user = current_user(request)
    org, person = practice.get_supervisee_for(user, organisation, person_id)
    overview = practice.supervisee_overview(supervisor=user, organisation=org, person=person)
    return {
        "organisation": org.slug,
        "person": person.public_id,
        "display_name": person.display_name,
        "caseload": len(overview.caseload),
        "caseload_cap": overview.cap,
        "contact_minutes": overview.contact_minutes,
        "sessions": [
            {
                **SessionOut.from_session(s),
                "with_display_name": display_name(s.match.seeker),
                "private_notes": s.author_notes,  # type: ignore[attr-defined]
            }
            for s in overview.sessions
        ],
        "checkins": [_checkin_out(c) for c in overview.checkins],
        "disclosures": len(overview.disclosures),
        "dilemmas": len(overview.dilemmas),
        "records": len(overview.records),
    }


@router.post("/supervision/{organisation}/{person_id}/records", response=responses({201: CreatedOut}, 400, 404))
def supervision_record_create(
    request: HttpRequest, organisation: str, person_id: UUID, payload: SupervisionRecordIn
) -> Status:
    """Record a supervision conversation (notes encrypted at rest)."""
    user = current_user(request)
    org, person = practice.get_supervisee_for(user, organisation, person_id)
    record = practice.supervision_record_add(actor=user, organisation=org, supervisee=person, **payload.dict())
    return Status(201, {"id": record.public_id})
