"""Groups over the API: my groups, a group, its meetings, RSVP, cancelling/moving and attendance.

Same access helpers, selectors and services as the pages: a public group can be read without an account;
a private one is 404 to outsiders; facilitating endpoints are 403 to members and 404 to outsiders.
Staying in touch, funds and closing well are in api_stay, api_funds and api_closure, on this router.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError, HttpError

from kindred.accounts.api_auth import BearerTokenAuth
from kindred.accounts.http import current_user
from kindred.core.api import InputSchema, responses

from . import api_closure, api_funds, api_stay, selectors, services
from .access import Viewer, get_group_for, get_meeting_for
from .models import Group, Meeting, RSVPAnswer
from .recurrence import Rule, describe

router = Router(tags=["groups"])


def _with(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    return responses(ok, *codes)


def _viewer(request: HttpRequest) -> Any:
    """A token's owner, the session's person, or an anonymous visitor (public groups only)."""
    if request.headers.get("Authorization"):
        user = BearerTokenAuth()(request)
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


# --- Schemas --------------------------------------------------------------------------------------------------


class MeetingOut(Schema):
    public_id: UUID
    group: str = Field(..., description="The group's slug.")
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: Literal["scheduled", "cancelled", "moved"]
    moved_from: datetime | None
    change_note: str
    delivery: str
    place: str
    video_link: str = Field("", description="Only for members of the group.")
    capacity: int | None
    my_answer: str = Field("", description="going, maybe, cant, or empty.")
    waitlist_position: int | None = None


class MembershipOut(Schema):
    group: str
    name: str
    status: str
    role: str
    committee_role: str
    next_meeting: MeetingOut | None


class GroupOut(Schema):
    slug: str
    name: str
    summary: str
    organisation: str
    is_public: bool
    status: str
    delivery: str
    what_to_expect: str
    schedule: list[str]
    ground_rules: str
    ground_rules_version: int | None
    my_status: str = Field("", description="active, paused, left or empty if you're not a member.")
    my_role: str
    can_facilitate: bool


class JoinIn(InputSchema):
    acknowledge_rules: bool = Field(False, description="True to say you've read the group's ground rules.")


class RSVPIn(InputSchema):
    answer: Literal["going", "maybe", "cant"]


class RSVPOut(Schema):
    answer: str
    waitlist_position: int | None


class CancelIn(InputSchema):
    note: str = Field("", max_length=300)


class MoveIn(InputSchema):
    starts_at: datetime = Field(..., description="New start. Without a timezone it is read as UK time.")
    note: str = Field("", max_length=300)


class SeriesChangeIn(InputSchema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start_time: time = Field(..., description="Local (UK) time")
    nth: int | None = Field(None, ge=1, le=4, description="Only for monthly on the nth weekday")
    duration_minutes: int | None = Field(None, ge=5, le=720)
    note: str = Field("", max_length=300)


class SeriesChangeOut(Schema):
    series: UUID
    before: str
    after: str
    moved: int
    added: int


class AttendanceRowOut(Schema):
    person: UUID
    display_name: str
    answer: str
    present: bool
    first_visit: bool
    marked: bool


class MarkIn(InputSchema):
    person: UUID
    present: bool
    first_visit: bool = False


class AttendanceIn(InputSchema):
    marks: list[MarkIn] = Field(..., max_length=500)


# --- Helpers --------------------------------------------------------------------------------------------------


def _meeting(meeting: Meeting, viewer: Viewer | None, answers: dict[int, Any] | None = None) -> dict[str, Any]:
    rsvp = (answers or {}).get(meeting.pk)
    show_link = viewer is not None and (viewer.is_member or viewer.is_coordinator)
    return {
        "public_id": meeting.public_id,
        "group": meeting.group.slug,
        "title": meeting.display_title,
        "kind": meeting.kind,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "status": meeting.status,
        "moved_from": meeting.moved_from,
        "change_note": meeting.change_note,
        "delivery": meeting.delivery,
        "place": meeting.place,
        "video_link": meeting.video_link if show_link else "",
        "capacity": meeting.capacity,
        "my_answer": rsvp.answer if rsvp else "",
        "waitlist_position": rsvp.waitlist_position if rsvp else None,
    }


def _group(group: Group, viewer: Viewer) -> dict[str, Any]:
    rules = services.current_rules(group)
    membership = viewer.membership
    return {
        "slug": group.slug,
        "name": group.name,
        "summary": group.offer.summary,
        "organisation": group.organisation.slug,
        "is_public": group.is_public,
        "status": group.status,
        "delivery": group.offer.delivery,
        "what_to_expect": group.what_to_expect,
        "schedule": [describe(Rule.of(s)) for s in group.series.filter(is_active=True)],
        "ground_rules": rules.text if rules else "",
        "ground_rules_version": rules.version if rules else None,
        "my_status": membership.status if membership else "",
        "my_role": membership.role if membership and membership.status != "left" else "",
        "can_facilitate": viewer.can_facilitate,
    }


# --- Operations -----------------------------------------------------------------------------------------------


@router.get("/mine", response=_with({200: list[MembershipOut]}), summary="Your groups (active and on a break)")
def my_groups(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    memberships = list(selectors.memberships_of(user))
    nexts = selectors.next_meetings_by_group([m.group_id for m in memberships])
    answers = selectors.rsvps_of(user, list(nexts.values()))
    out = []
    for m in memberships:
        nxt = nexts.get(m.group_id)
        out.append(
            {
                "group": m.group.slug,
                "name": m.group.name,
                "status": m.status,
                "role": m.role,
                "committee_role": m.committee_role,
                "next_meeting": _meeting(nxt, None, answers) if nxt else None,
            }
        )
    return out


@router.get(
    "/meetings/{public_id}",
    auth=None,
    response=_with({200: MeetingOut}, 404),
    summary="One meeting. Public groups' meetings need no account.",
)
def meeting_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = _viewer(request)
    meeting, viewer = get_meeting_for(user, public_id)
    return _meeting(meeting, viewer, selectors.rsvps_of(user, [meeting]))


@router.post(
    "/meetings/{public_id}/rsvp",
    response=_with({200: RSVPOut}, 400, 403, 404),
    summary="Say whether you're coming: going, maybe or cant. A full meeting puts 'going' on the waiting list.",
)
def meeting_rsvp(request: HttpRequest, public_id: UUID, payload: RSVPIn) -> dict[str, Any]:
    user = current_user(request)
    meeting, _ = get_meeting_for(user, public_id)
    rsvp = services.rsvp_set(actor=user, meeting=meeting, answer=RSVPAnswer(payload.answer))
    return {"answer": rsvp.answer, "waitlist_position": rsvp.waitlist_position}


@router.post(
    "/meetings/{public_id}/cancel",
    response=_with({200: MeetingOut}, 400, 403, 404),
    summary="Cancel one meeting (facilitators). Members are told.",
)
def meeting_cancel(request: HttpRequest, public_id: UUID, payload: CancelIn) -> dict[str, Any]:
    user = current_user(request)
    meeting, viewer = get_meeting_for(user, public_id, facilitate=True)
    meeting = services.meeting_cancel(actor=user, meeting=meeting, note=payload.note)
    return _meeting(meeting, viewer)


@router.post(
    "/{slug}/series/{public_id}/change",
    response=_with({200: SeriesChangeOut}, 400, 403, 404),
    summary="Change a regular meeting's day or time in place (facilitators). Future meetings move; members are told.",
)
def series_change(request: HttpRequest, slug: str, public_id: UUID, payload: SeriesChangeIn) -> dict[str, Any]:
    user = current_user(request)
    group, _viewer = get_group_for(user, slug[:120], facilitate=True)
    series = group.series.filter(public_id=public_id, is_active=True).first()
    if series is None:
        raise HttpError(404, "No such regular meeting time.")
    change = services.series_change(actor=user, series=series, **payload.dict())
    return {
        "series": series.public_id,
        "before": change.before,
        "after": change.after,
        "moved": change.moved,
        "added": change.added,
    }


@router.post(
    "/meetings/{public_id}/move",
    response=_with({200: MeetingOut}, 400, 403, 404),
    summary="Move one meeting to a new time (facilitators). Members are told.",
)
def meeting_move(request: HttpRequest, public_id: UUID, payload: MoveIn) -> dict[str, Any]:
    user = current_user(request)
    meeting, viewer = get_meeting_for(user, public_id, facilitate=True)
    meeting = services.meeting_move(actor=user, meeting=meeting, starts_at=payload.starts_at, note=payload.note)
    return _meeting(meeting, viewer)


@router.get(
    "/meetings/{public_id}/attendance",
    response=_with({200: list[AttendanceRowOut]}, 403, 404),
    summary="The attendance sheet (facilitators)",
)
def attendance_get(request: HttpRequest, public_id: UUID) -> list[dict[str, Any]]:
    meeting, _ = get_meeting_for(current_user(request), public_id, facilitate=True)
    return [
        {
            "person": row.membership.person.public_id,
            "display_name": row.membership.person.display_name,
            "answer": row.rsvp,
            "present": row.present,
            "first_visit": row.first_visit,
            "marked": row.marked,
        }
        for row in selectors.attendance_sheet(meeting)
    ]


@router.post(
    "/meetings/{public_id}/attendance",
    response=_with({200: list[AttendanceRowOut]}, 400, 403, 404),
    summary="Mark who was there, and who came for the first time (facilitators)",
)
def attendance_post(request: HttpRequest, public_id: UUID, payload: AttendanceIn) -> list[dict[str, Any]]:
    user = current_user(request)
    meeting, _ = get_meeting_for(user, public_id, facilitate=True)
    marks = {str(m.person): (m.present, m.first_visit) for m in payload.marks}
    services.attendance_mark(actor=user, meeting=meeting, marks=marks)
    return attendance_get(request, public_id)


@router.get(
    "/{slug}",
    auth=None,
    response=_with({200: GroupOut}, 404),
    summary="A group: what to expect, when it meets, its ground rules. Public groups need no account.",
)
def group_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    group, viewer = get_group_for(_viewer(request), slug[:120])
    return _group(group, viewer)


@router.get(
    "/{slug}/meetings",
    auth=None,
    response=_with({200: list[MeetingOut]}, 404),
    summary="The group's coming meetings (cancelled ones included, marked as such)",
)
def group_meetings(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    user = _viewer(request)
    group, viewer = get_group_for(user, slug[:120])
    meetings = selectors.upcoming_meetings(group, limit=50)
    answers = selectors.rsvps_of(user, meetings)
    return [_meeting(m, viewer, answers) for m in meetings]


@router.post(
    "/{slug}/join",
    response=_with({200: GroupOut}, 400, 403, 404),
    summary="Join a public group (or come back from a break). Say you've read the ground rules.",
)
def group_join(request: HttpRequest, slug: str, payload: JoinIn) -> dict[str, Any]:
    user = current_user(request)
    group, _ = get_group_for(user, slug[:120])
    rules = services.current_rules(group)
    services.group_join(actor=user, group=group, acknowledge_rules=payload.acknowledge_rules or rules is None)
    group, viewer = get_group_for(user, slug[:120])
    return _group(group, viewer)


def _membership_op(request: HttpRequest, slug: str, op: Any) -> dict[str, Any]:
    user = current_user(request)
    group, _ = get_group_for(user, slug[:120])
    op(actor=user, group=group)
    group, viewer = get_group_for(user, slug[:120])
    return _group(group, viewer)


@router.post("/{slug}/pause", response=_with({200: GroupOut}, 400, 404), summary="Take a break (your place is kept)")
def group_pause(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _membership_op(request, slug, services.group_pause)


@router.post("/{slug}/resume", response=_with({200: GroupOut}, 400, 404), summary="Come back from a break")
def group_resume(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _membership_op(request, slug, services.group_resume)


@router.post("/{slug}/leave", response=_with({200: GroupOut}, 400, 404), summary="Leave the group")
def group_leave(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _membership_op(request, slug, services.group_leave)


for part in (api_stay, api_funds, api_closure):
    router.add_router("", part.router)
