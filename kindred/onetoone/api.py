"""One-to-one over the JSON API: connections, conversations, schemes, supporter profiles, requests, suggestions and
matches. The same access helpers, selectors and services as the pages, so the same people see the same things.
Sessions, practice and supervision are in api_practice, on this router.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kindred.accounts.http import current_user
from kindred.accounts.names import display_name
from kindred.core.api import InputSchema, responses
from kindred.organisations.access import get_organisation_for
from kindred.organisations.models import Role

from . import api_practice, selectors, services
from .access import (
    can_manage_scheme,
    get_connection_for,
    get_conversation_for,
    get_match_for,
    get_person_for,
    get_request_for,
    get_scheme_for,
    get_scheme_supporter_for,
    get_supporter_profile_for,
)
from .matching.adapter import suggestions_for
from .models import (
    AVAILABILITY_SLOTS,
    Channel,
    Connection,
    Match,
    MatchEndReason,
    MatchingMode,
    MatchRequest,
    Message,
    Scheme,
    SchemeKind,
    SupporterProfile,
)

router = Router(tags=["onetoone"])

T = TypeVar("T")


def _with(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    out = responses(ok, *[c for c in codes if c != 409])
    if 409 in codes:
        from kindred.core.api import ErrorOut

        out[409] = ErrorOut
    return out


# --- schemas ------------------------------------------------------------------------------------------------------

ChannelName = Literal["in_person", "phone", "video", "messages"]
RoleName = Literal["receiving", "giving", "both"]


class OneToOnePersonOut(Schema):
    public_id: UUID | None = Field(..., description="Null when the person has deleted their account.")
    display_name: str = Field(..., description="The name they chose to show, or 'a former member'.")


class ConnectionOut(Schema):
    public_id: UUID
    other: OneToOnePersonOut
    status: str = Field(
        ..., description="requested, accepted, paused or ended; a request not taken up reads 'not_taken_up'."
    )
    i_asked: bool
    my_role: str
    where_met: str
    note: str
    created_at: datetime
    conversation_id: UUID | None = None


class ConnectionIn(InputSchema):
    person: UUID = Field(..., description="The public id of someone you share an organisation with.")
    note: str = Field("", max_length=1000)
    where_met: str = Field("", max_length=150)
    role: RoleName = "both"


class RespondIn(InputSchema):
    accept: bool
    role: RoleName = "both"


class ConnectionActionIn(InputSchema):
    action: Literal["pause", "resume", "end", "withdraw"]


class OneToOneMessageOut(Schema):
    public_id: UUID
    author: OneToOnePersonOut | None
    mine: bool
    body: str
    created_at: datetime


class OneToOneMessageIn(InputSchema):
    body: str = Field(..., min_length=1, max_length=5000)


class OneToOneSentOut(Schema):
    message: OneToOneMessageOut
    screening: str = Field(..., description="none, concern or urgent. On concern or urgent, show crisis routes.")


class ConversationOut(Schema):
    public_id: UUID
    other: OneToOnePersonOut | None
    unread: int
    can_send: bool
    last_message_at: datetime | None


class SchemeOut(Schema):
    public_id: UUID
    title: str
    summary: str
    organisation: str
    offer_slug: str
    kind: str
    matching_mode: str
    channels: list[str]
    default_capacity: int
    session_limit: int | None
    eligibility: str
    caseload_cap: int | None
    accepting_requests: bool


class SchemeIn(InputSchema):
    organisation: str = Field(..., description="The organisation's slug; you must coordinate it.")
    title: str = Field(..., max_length=150)
    summary: str = Field(..., max_length=300)
    description: str = Field("", max_length=5000)
    kind: Literal["befriending", "mentoring", "pen_friends", "psw"] = "befriending"
    matching_mode: Literal["coordinator", "chooses", "batch"] = "coordinator"
    channels: list[ChannelName] = Field(default_factory=lambda: ["messages"])
    default_capacity: int = Field(2, ge=1, le=50)
    session_limit: int | None = Field(None, ge=1, le=500, description="Off (null) by default.")
    eligibility: str = Field("", max_length=300)
    caseload_cap: int | None = Field(None, ge=1, le=200)
    supervisor_reads_notes: bool = False


class SchemePatch(InputSchema):
    matching_mode: Literal["coordinator", "chooses", "batch"] | None = None
    channels: list[ChannelName] | None = None
    default_capacity: int | None = Field(None, ge=1, le=50)
    session_limit: int | None = Field(None, ge=1, le=500)
    eligibility: str | None = Field(None, max_length=300)
    caseload_cap: int | None = Field(None, ge=1, le=200)
    supervisor_reads_notes: bool | None = None
    accepting_requests: bool | None = None


class Preference(InputSchema):
    value: str = Field(..., max_length=80)
    strength: Literal["must", "prefer"] = "prefer"


class MatchRequestIn(InputSchema):
    about: str = Field("", max_length=2000)
    experience_tags: str = Field("", max_length=300)
    interest_tags: str = Field("", max_length=300)
    value_tags: str = Field("", max_length=300)
    preferences: dict[Literal["gender", "ethnicity", "sexuality", "age_band", "faith"], Preference] = Field(
        default_factory=dict
    )
    languages: str = Field("English", max_length=200)
    channels: list[ChannelName] = Field(default_factory=list)
    availability: list[str] = Field(default_factory=list, description="Slots like 'tue-evening'.")
    postcode: str = Field("", max_length=10)
    max_distance_km: int | None = Field(None, ge=1, le=500)


class MatchRequestOut(Schema):
    public_id: UUID
    scheme: UUID
    scheme_title: str
    status: str
    created_at: datetime


class LayerOut(Schema):
    label: str
    text: str


class MatchSuggestionOut(Schema):
    supporter: UUID = Field(..., description="The supporter profile's public id.")
    display_name: str
    score: float
    reasons: list[str]
    shared: list[LayerOut]


class SupporterProfileIn(InputSchema):
    experience_distress: str = Field("", max_length=2000)
    experience_distress_visibility: Literal["coordinators", "matched", "seekers"] = "matched"
    experience_services: str = Field("", max_length=2000)
    experience_services_visibility: Literal["coordinators", "matched", "seekers"] = "matched"
    wider_life: str = Field("", max_length=2000)
    wider_life_visibility: Literal["coordinators", "matched", "seekers"] = "matched"
    interests_values: str = Field("", max_length=2000)
    interests_values_visibility: Literal["coordinators", "matched", "seekers"] = "seekers"
    experience_tags: str = Field("", max_length=300)
    interest_tags: str = Field("", max_length=300)
    value_tags: str = Field("", max_length=300)
    identity: dict[Literal["gender", "ethnicity", "sexuality", "age_band", "faith"], str] = Field(default_factory=dict)
    languages: str = Field("English", max_length=200)
    channels: list[ChannelName] = Field(default_factory=list)
    availability: list[str] = Field(default_factory=list)
    postcode: str = Field("", max_length=10)
    capacity: int = Field(2, ge=1, le=50)
    quiet_hours_start: time | None = None
    quiet_hours_end: time | None = None


class SupporterProfileOut(Schema):
    public_id: UUID
    scheme: UUID | None
    status: str
    capacity: int
    availability: list[str]
    channels: list[str]
    languages: str
    quiet_hours_start: time | None
    quiet_hours_end: time | None


class OneToOneStatusIn(InputSchema):
    status: Literal["available", "full", "stepping_back"]
    end_current: bool = False


class MatchOut(Schema):
    public_id: UUID
    scheme: UUID
    scheme_title: str
    seeker: OneToOnePersonOut
    supporter: OneToOnePersonOut
    status: str
    score: float
    reasons: list[str]
    conversation_id: UUID | None = None


class ProposeIn(InputSchema):
    supporter: UUID = Field(..., description="The supporter profile's public id.")
    cap_override_reason: str = Field("", max_length=500)


class MatchActionIn(InputSchema):
    action: Literal["approve", "withdraw", "accept", "decline", "end", "again"]
    reason: Literal["completed", "moved_on", "not_right", "stepping_back", "other"] = "completed"
    # Approving past a peer support worker's caseload cap needs a recorded reason (never past their own capacity).
    cap_override_reason: str = Field("", max_length=500)


# --- shaping ------------------------------------------------------------------------------------------------------


def _person(user: Any) -> dict[str, Any]:
    return {"public_id": user.public_id if user else None, "display_name": display_name(user)}


def _connection(c: Connection, viewer: Any) -> dict[str, Any]:
    conversation = getattr(c, "conversation", None) if c.status != "requested" else None
    status = c.status
    if status == "declined":
        status = "not_taken_up"
    return {
        "public_id": c.public_id,
        "other": _person(c.other(viewer)),
        "status": status,
        "i_asked": c.requester_id == viewer.pk,
        "my_role": c.role_of(viewer),
        "where_met": c.where_met,
        "note": c.note,
        "created_at": c.created_at,
        "conversation_id": conversation.public_id if conversation else None,
    }


def _message(m: Message, viewer: Any) -> dict[str, Any]:
    return {
        "public_id": m.public_id,
        "author": _person(m.author),
        "mine": m.author_id == viewer.pk,
        "body": m.body,
        "created_at": m.created_at,
    }


def _scheme(s: Scheme) -> dict[str, Any]:
    return {
        "public_id": s.public_id,
        "title": s.offer.title,
        "summary": s.offer.summary,
        "organisation": s.organisation.slug,
        "offer_slug": s.offer.slug,
        "kind": s.kind,
        "matching_mode": s.matching_mode,
        "channels": s.channels,
        "default_capacity": s.default_capacity,
        "session_limit": s.session_limit,
        "eligibility": s.eligibility,
        "caseload_cap": s.caseload_cap,
        "accepting_requests": s.accepting_requests,
    }


def _request(r: MatchRequest) -> dict[str, Any]:
    return {
        "public_id": r.public_id,
        "scheme": r.scheme.public_id,
        "scheme_title": r.scheme.offer.title,
        "status": r.status,
        "created_at": r.created_at,
    }


def _match(m: Match, viewer: Any) -> dict[str, Any]:
    party = viewer.pk in (m.seeker_id, m.supporter_id)
    conversation = getattr(m, "conversation", None) if party else None
    return {
        "public_id": m.public_id,
        "scheme": m.scheme.public_id,
        "scheme_title": m.scheme.offer.title,
        "seeker": _person(m.seeker),
        "supporter": _person(m.supporter),
        "status": m.status,
        "score": m.score,
        "reasons": m.reasons,
        "conversation_id": conversation.public_id if conversation else None,
    }


def _profile(p: SupporterProfile) -> dict[str, Any]:
    return {
        "public_id": p.public_id,
        "scheme": p.scheme.public_id if p.scheme else None,
        "status": p.status,
        "capacity": p.capacity,
        "availability": p.availability,
        "channels": p.channels,
        "languages": p.languages,
        "quiet_hours_start": p.quiet_hours_start,
        "quiet_hours_end": p.quiet_hours_end,
    }


# --- connections --------------------------------------------------------------------------------------------------


@router.get("/connections", response=responses({200: list[ConnectionOut]}), summary="Your connections and requests")
def connection_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    mine = selectors.connections_of(user)
    rows = mine.incoming + mine.outgoing + mine.active + mine.paused + mine.past
    return [_connection(c, user) for c in rows]


@router.post("/connections", response=_with({201: ConnectionOut}, 400, 404, 409, 429), summary="Ask to connect")
def connection_create(request: HttpRequest, payload: ConnectionIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    person = get_person_for(user, payload.person)
    if person.pk == user.pk:
        raise HttpError(400, "You can't send a connection request to yourself.")
    connection = services.connection_request(
        actor=user,
        recipient=person,
        note=payload.note,
        where_met=payload.where_met,
        role=payload.role,
    )
    return Status(201, _connection(connection, user))


@router.get("/connections/{public_id}", response=responses({200: ConnectionOut}, 404), summary="One connection")
def connection_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    return _connection(get_connection_for(user, public_id), user)


@router.post(
    "/connections/{public_id}/reply", response=responses({200: ConnectionOut}, 400, 403, 404), summary="Accept or not"
)
def connection_reply(request: HttpRequest, public_id: UUID, payload: RespondIn) -> dict[str, Any]:
    user = current_user(request)
    connection = get_connection_for(user, public_id)
    connection = services.connection_respond(
        actor=user, connection=connection, accept=payload.accept, role=payload.role
    )
    return _connection(connection, user)


@router.post(
    "/connections/{public_id}/actions",
    response=responses({200: ConnectionOut}, 400, 403, 404),
    summary="Pause, resume, end or withdraw",
)
def connection_act(request: HttpRequest, public_id: UUID, payload: ConnectionActionIn) -> dict[str, Any]:
    user = current_user(request)
    connection = get_connection_for(user, public_id)
    fn = {
        "pause": services.connection_pause,
        "resume": services.connection_resume,
        "end": services.connection_end,
        "withdraw": services.connection_withdraw,
    }[payload.action]
    return _connection(fn(actor=user, connection=connection), user)


# --- conversations ------------------------------------------------------------------------------------------------


@router.get("/conversations", response=responses({200: list[ConversationOut]}), summary="Your conversations")
def conversation_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    out = []
    for row in selectors.conversations_of(user):
        c = row["conversation"]
        out.append(
            {
                "public_id": c.public_id,
                "other": _person(row["other"]),
                "unread": row["unread"],
                "can_send": services.conversation_can_send(c, user)[0],
                "last_message_at": c.last_message_at,
            }
        )
    return out


@router.get(
    "/conversations/{public_id}/messages",
    response=responses({200: list[OneToOneMessageOut]}, 404),
    summary="Messages (marks the conversation read)",
)
def message_list(request: HttpRequest, public_id: UUID) -> list[dict[str, Any]]:
    user = current_user(request)
    conversation = get_conversation_for(user, public_id)
    services.conversation_mark_read(actor=user, conversation=conversation)
    return [_message(m, user) for m in selectors.conversation_messages(conversation, user)]


@router.post(
    "/conversations/{public_id}/messages",
    response=responses({201: OneToOneSentOut}, 400, 404, 429),
    summary="Send a message",
)
def message_send(request: HttpRequest, public_id: UUID, payload: OneToOneMessageIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    conversation = get_conversation_for(user, public_id)
    message, screening = services.message_send(actor=user, conversation=conversation, body=payload.body)
    level = getattr(screening, "level", "none") or "none"
    return Status(201, {"message": _message(message, user), "screening": level})


# --- schemes ------------------------------------------------------------------------------------------------------


@router.get("/schemes", response=responses({200: list[SchemeOut]}), summary="Schemes taking requests")
def scheme_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_scheme(s) for s in selectors.published_schemes()]


@router.post("/schemes", response=responses({201: SchemeOut}, 400, 403, 404), summary="Set up a scheme")
def scheme_create(request: HttpRequest, payload: SchemeIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    organisation = get_organisation_for(user, payload.organisation, require_role=Role.COORDINATOR)
    data = payload.dict(exclude={"organisation"})
    return Status(201, _scheme(services.scheme_create(actor=user, organisation=organisation, **data)))


@router.get("/schemes/{public_id}", response=responses({200: SchemeOut}, 404), summary="One scheme")
def scheme_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _scheme(get_scheme_for(current_user(request), public_id))


@router.patch("/schemes/{public_id}", response=responses({200: SchemeOut}, 400, 403, 404), summary="Change settings")
def scheme_update(request: HttpRequest, public_id: UUID, payload: SchemePatch) -> dict[str, Any]:
    user = current_user(request)
    scheme = get_scheme_for(user, public_id, manage=True)
    changes = payload.dict(exclude_unset=True)
    return _scheme(services.scheme_update(actor=user, scheme=scheme, **changes))


@router.post(
    "/schemes/{public_id}/requests",
    response=_with({201: MatchRequestOut}, 400, 404, 409, 429),
    summary="Ask a scheme for a match",
)
def request_create(request: HttpRequest, public_id: UUID, payload: MatchRequestIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    scheme = get_scheme_for(user, public_id)
    unknown = [s for s in payload.availability if s not in AVAILABILITY_SLOTS]
    if unknown:
        raise HttpError(400, f"We don't recognise these times: {', '.join(unknown[:3])}. Use slots like 'tue-evening'.")
    data = payload.dict()
    data["preferences"] = {k: dict(v) for k, v in (data["preferences"] or {}).items()}
    return Status(201, _request(services.match_request_create(actor=user, scheme=scheme, **data)))


@router.put(
    "/schemes/{public_id}/supporter-profile",
    response=responses({200: SupporterProfileOut}, 400, 403, 404),
    summary="Create or update your supporter profile for a scheme",
)
def supporter_profile_put(request: HttpRequest, public_id: UUID, payload: SupporterProfileIn) -> dict[str, Any]:
    user = current_user(request)
    scheme = get_scheme_for(user, public_id)
    unknown = [s for s in payload.availability if s not in AVAILABILITY_SLOTS]
    if unknown:
        raise HttpError(400, f"We don't recognise these times: {', '.join(unknown[:3])}. Use slots like 'tue-evening'.")
    data = payload.dict()
    return _profile(services.supporter_profile_save(actor=user, scheme=scheme, **data))


@router.get(
    "/me/supporter-profile",
    response=responses({200: SupporterProfileOut}, 404),
    summary="Your general supporter profile, for informal connections (not bound to a scheme)",
)
def general_profile_get(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    profile = selectors.general_profile_of(user)
    if profile is None:
        raise HttpError(404, "You haven't made a general supporter profile yet.")
    return _profile(profile)


@router.put(
    "/me/supporter-profile",
    response=responses({200: SupporterProfileOut}, 400),
    summary="Create or update your general supporter profile (layers, availability, capacity, quiet hours)",
)
def general_profile_put(request: HttpRequest, payload: SupporterProfileIn) -> dict[str, Any]:
    user = current_user(request)
    unknown = [s for s in payload.availability if s not in AVAILABILITY_SLOTS]
    if unknown:
        raise HttpError(400, f"We don't recognise these times: {', '.join(unknown[:3])}. Use slots like 'tue-evening'.")
    return _profile(services.supporter_profile_save(actor=user, scheme=None, **payload.dict()))


@router.post(
    "/supporter-profiles/{public_id}/status",
    response=responses({200: SupporterProfileOut}, 400, 403, 404),
    summary="Available, full, or stepping back",
)
def supporter_status(request: HttpRequest, public_id: UUID, payload: OneToOneStatusIn) -> dict[str, Any]:
    user = current_user(request)
    profile = get_supporter_profile_for(user, public_id)
    return _profile(
        services.supporter_set_status(
            actor=user,
            profile=profile,
            status=payload.status,
            end_current=payload.end_current,
        )
    )


@router.post(
    "/schemes/{public_id}/matching-runs",
    response=responses({201: list[MatchOut]}, 400, 403, 404),
    summary="Propose matches for everyone waiting (for a coordinator to check)",
)
def matching_run(request: HttpRequest, public_id: UUID) -> Status[list[dict[str, Any]]]:
    user = current_user(request)
    scheme = get_scheme_for(user, public_id, manage=True)
    created = services.matching_run(actor=user, scheme=scheme)
    return Status(201, [_match(m, user) for m in created])


# --- requests and matches -----------------------------------------------------------------------------------------


@router.get("/requests", response=responses({200: list[MatchRequestOut]}), summary="Your requests for a match")
def request_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_request(r) for r in selectors.requests_of(current_user(request))]


@router.get(
    "/requests/{public_id}/suggestions",
    response=responses({200: list[MatchSuggestionOut]}, 403, 404),
    summary="Top-10 suggested supporters, with reasons",
)
def request_suggestions(request: HttpRequest, public_id: UUID) -> list[dict[str, Any]]:
    user = current_user(request)
    match_request = get_request_for(user, public_id)
    manager = can_manage_scheme(user, match_request.scheme)
    if not manager and match_request.scheme.matching_mode != MatchingMode.CHOOSES:
        raise PermissionDenied("In this scheme a coordinator suggests matches.")
    return [
        {
            "supporter": s.profile.public_id,
            "display_name": s.profile.user.display_name,
            "score": s.explanation.score,
            "reasons": s.explanation.reasons,
            "shared": [{"label": label, "text": text} for label, text in selectors.visible_layers(s.profile, user)],
        }
        for s in suggestions_for(match_request)
    ]


@router.post(
    "/requests/{public_id}/proposals",
    response=responses({201: MatchOut}, 400, 403, 404),
    summary="Propose a supporter (coordinators), or choose one (the person, where the scheme lets them)",
)
def request_propose(request: HttpRequest, public_id: UUID, payload: ProposeIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    match_request = get_request_for(user, public_id)
    if can_manage_scheme(user, match_request.scheme):
        profile = get_scheme_supporter_for(user, match_request.scheme, payload.supporter)
        match = services.match_propose(
            actor=user,
            request=match_request,
            profile=profile,
            cap_override_reason=payload.cap_override_reason,
        )
    else:
        profile = SupporterProfile.objects.filter(public_id=payload.supporter, scheme=match_request.scheme).first()
        if profile is None:
            raise HttpError(404, "We couldn't find that supporter in this scheme.")
        match = services.match_choose(actor=user, request=match_request, profile=profile)
    return Status(201, _match(match, user))


@router.get("/matches", response=responses({200: list[MatchOut]}), summary="Your matches")
def match_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    mine = selectors.matches_of(user)
    return [_match(m, user) for m in mine["waiting"] + mine["active"] + mine["past"]]


@router.get("/matches/{public_id}", response=responses({200: MatchOut}, 404), summary="One match")
def match_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    return _match(get_match_for(user, public_id), user)


@router.post(
    "/matches/{public_id}/actions",
    response=responses({200: MatchOut, 201: MatchRequestOut}, 400, 403, 404),
    summary="Approve or set aside (coordinators); accept, decline, end or ask again (the two people)",
)
def match_act(request: HttpRequest, public_id: UUID, payload: MatchActionIn) -> Any:
    user = current_user(request)
    manage = payload.action in ("approve", "withdraw")
    match = get_match_for(user, public_id, manage=manage)
    if payload.action == "approve":
        match = services.match_approve(actor=user, match=match, cap_override_reason=payload.cap_override_reason)
    elif payload.action == "withdraw":
        match = services.match_withdraw(actor=user, match=match)
    elif payload.action in ("accept", "decline"):
        match = services.match_respond(actor=user, match=match, accept=payload.action == "accept")
    elif payload.action == "end":
        match = services.match_end(actor=user, match=match, reason=payload.reason)
    else:
        new_request = services.match_request_again(actor=user, match=match)
        return Status(201, _request(new_request))
    return _match(Match.objects.get(pk=match.pk), user)


# Unused names kept importable for the practice module's schemas.
_ = (Channel, MatchEndReason, SchemeKind)

router.add_router("", api_practice.router)
