"""My data: one-to-one — connections, conversations, requests, matches, sessions and the person's own writing.

Decisions:
- Conversations: a person's export holds every message in conversations they are part of, sent and received.
  They were written to them and are part of their own record of the relationship; the other person is named only
  by their display name, never by email or real name, and nothing from conversations they are not in.
- Sessions: the facts of each session (when, how long, how, whether it happened), the person's own private notes,
  ending reflections and, for supporters, their own disclosure logs and boundary dilemmas (check-ins after sessions
  are exported with supporter care).
  Notes someone else wrote (a peer support worker's notes about the person, supervision records) are the
  organisation's records: not here; the person can ask the organisation under a subject access request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .models import (
    BoundaryDilemma,
    Connection,
    ConnectionRole,
    Conversation,
    DisclosureLog,
    Ending,
    Match,
    MatchRequest,
    Session,
    SessionNote,
    SupervisionAssignment,
    SupporterProfile,
)
from .services import shared_records_end_for


def _connections(user: User) -> list[dict[str, Any]]:
    rows = []
    for c in (
        Connection.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient", "organisation")
        .order_by("created_at", "id")
    ):
        asked = c.requester_id == user.pk
        rows.append(
            {
                "with": display_name(c.other(user)),
                "you_asked": asked,
                "status": c.get_status_display(),
                "your_side": str(ConnectionRole(c.role_of(user)).label),
                "note_with_the_request": c.note,
                "where_you_met": c.where_met,
                "organisation": c.organisation.name if c.organisation_id else None,
                "asked_at": iso(c.created_at),
                "answered_at": iso(c.responded_at),
                "ended_at": iso(c.ended_at),
            }
        )
    return rows


def _conversations(user: User) -> list[dict[str, Any]]:
    rows = []
    conversations = (
        Conversation.objects.filter(participants__user=user)
        .select_related("connection__requester", "connection__recipient", "match__seeker", "match__supporter")
        .prefetch_related("messages__author")
        .order_by("created_at", "id")
        .distinct()
    )
    for conversation in conversations:
        if conversation.connection_id:
            other = conversation.connection.other(user)
            about = "Connection"
        else:
            match = conversation.match
            other = match.supporter if match.seeker_id == user.pk else match.seeker
            about = "Match"
        rows.append(
            {
                "with": display_name(other),
                "about": about,
                "started_at": iso(conversation.created_at),
                "messages": [
                    {
                        "from": "you" if m.author_id == user.pk else (display_name(m.author) or "someone who left"),
                        "sent_at": iso(m.created_at),
                        "text": m.body,
                    }
                    for m in conversation.messages.all()
                ],
            }
        )
    return rows


def _match_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "scheme": r.scheme.title,
            "organisation": r.scheme.organisation.name,
            "status": r.get_status_display(),
            "about_you": r.about,
            "experience": r.experience_tags,
            "interests": r.interest_tags,
            "values": r.value_tags,
            "identity": r.identity,
            "preferences": r.preferences,
            "languages": r.languages,
            "ways_to_meet": r.channels,
            "availability": r.availability,
            "postcode": r.postcode,
            "max_distance_km": r.max_distance_km,
            "asked_at": iso(r.created_at),
            "last_changed": iso(r.updated_at),
        }
        for r in MatchRequest.objects.filter(seeker=user)
        .select_related("scheme__offer", "scheme__organisation")
        .order_by("created_at", "id")
    ]


def _matches(user: User) -> list[dict[str, Any]]:
    rows = []
    for m in (
        Match.objects.filter(Q(seeker=user) | Q(supporter=user))
        .select_related("scheme__offer", "seeker", "supporter")
        .order_by("created_at", "id")
    ):
        supporting = m.supporter_id == user.pk
        rows.append(
            {
                "scheme": m.scheme.title,
                "with": display_name(m.seeker if supporting else m.supporter),
                "you_are": "supporter" if supporting else "the person supported",
                "status": m.get_status_display(),
                "why_suggested": m.reasons,
                "started_at": iso(m.activated_at),
                "ended_at": iso(m.ended_at),
                "end_reason": m.get_end_reason_display() if m.end_reason else "",
            }
        )
    return rows


def _sessions(user: User) -> list[dict[str, Any]]:
    own_notes: dict[int, list[dict[str, Any]]] = {}
    for note in SessionNote.objects.filter(author=user).order_by("created_at", "id"):
        own_notes.setdefault(note.session_id, []).append({"written_at": iso(note.created_at), "text": note.body})
    rows = []
    for s in (
        Session.objects.filter(Q(match__seeker=user) | Q(match__supporter=user))
        .select_related("match__scheme__offer", "match__seeker", "match__supporter")
        .order_by("starts_at", "id")
    ):
        other = s.match.seeker if s.match.supporter_id == user.pk else s.match.supporter
        rows.append(
            {
                "scheme": s.match.scheme.title,
                "with": display_name(other),
                "starts_at": iso(s.starts_at),
                "minutes": s.duration_minutes,
                "how": s.get_channel_display(),
                "status": s.get_status_display(),
                "your_own_notes": own_notes.get(s.pk, []),
            }
        )
    return rows


def _supporter_profiles(user: User) -> list[dict[str, Any]]:
    rows = []
    for p in SupporterProfile.objects.filter(user=user).select_related("scheme__offer").order_by("created_at", "id"):
        row: dict[str, Any] = {"scheme": p.scheme.title if p.scheme_id else "General (informal connections)"}
        for layer, _label in SupporterProfile.LAYERS:
            row[layer] = getattr(p, layer)
            row[f"{layer}_visible_to"] = getattr(p, f"get_{layer}_visibility_display")()
        row.update(
            {
                "experience": p.experience_tags,
                "interests": p.interest_tags,
                "values": p.value_tags,
                "identity": p.identity,
                "languages": p.languages,
                "ways_to_meet": p.channels,
                "availability": p.availability,
                "postcode": p.postcode,
                "max_distance_km": p.max_distance_km,
                "capacity": p.capacity,
                "status": p.get_status_display(),
                "created_at": iso(p.created_at),
                "last_changed": iso(p.updated_at),
            }
        )
        rows.append(row)
    return rows


def export_person(user: User) -> dict[str, Any]:
    return {
        "connections": _connections(user),
        "conversations": _conversations(user),
        "match_requests": _match_requests(user),
        "matches": _matches(user),
        "sessions": _sessions(user),
        "endings_you_wrote": [
            {
                "scheme": e.match.scheme.title,
                "reflection": e.reflection,
                "suggested_next": e.suggested_forms,
                "at": iso(e.created_at),
            }
            for e in Ending.objects.filter(ended_by=user).select_related("match__scheme__offer").order_by("created_at")
        ],
        "supporter_profiles": _supporter_profiles(user),
        # For supporters and peer support workers: what they wrote about their own practice.
        "your_disclosure_log": [
            {
                "session_on": iso(d.session.starts_at),
                "layer": d.get_layer_display(),
                "what_you_shared": d.what_i_shared,
                "why": d.why,
                "helpful": d.get_helpful_display() if d.helpful else "",
                "at": iso(d.created_at),
            }
            for d in DisclosureLog.objects.filter(worker=user).select_related("session").order_by("created_at")
        ],
        "your_boundary_dilemmas": [
            {
                "organisation": d.organisation.name,
                "on": iso(d.occurred_on),
                "what_happened": d.what_happened,
                "what_you_did": d.what_i_did,
                "bring_to_supervision": d.bring_to_supervision,
            }
            for d in BoundaryDilemma.objects.filter(worker=user).select_related("organisation").order_by("created_at")
        ],
        "your_supervisors": [
            {
                "organisation": a.organisation.name,
                "supervisor": display_name(a.supervisor),
                "from": iso(a.started_at),
                "until": iso(a.ended_at),
            }
            for a in SupervisionAssignment.objects.filter(supervisee=user)
            .select_related("organisation", "supervisor")
            .order_by("started_at")
        ],
    }


register(
    key="onetoone",
    order=90,
    label="One-to-one",
    about=(
        "Connections, your conversations (messages you sent and received; the other person by display name "
        "only), requests for a match, matches, sessions, your own notes and supporter profiles."
    ),
    export=export_person,
    erase=shared_records_end_for,
)
