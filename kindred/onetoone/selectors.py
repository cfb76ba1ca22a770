"""Reads for one-to-one support."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kindred.accounts.models import User
from kindred.commons.blocks import blocked_ids, is_blocked_between
from kindred.commons.relations import share_a_place
from kindred.directory.models import OfferStatus
from kindred.organisations.models import Membership
from kindred.organisations.selectors import coordinated_organisations

from .access import can_manage_scheme
from .models import (
    LIVE_MATCH_STATUSES,
    Connection,
    ConnectionStatus,
    Conversation,
    ConversationParticipant,
    LayerVisibility,
    Match,
    MatchRequest,
    MatchRequestStatus,
    MatchStatus,
    Message,
    Scheme,
    SupporterProfile,
    SupporterStatus,
)


@dataclass
class MyConnections:
    incoming: list[Connection] = field(default_factory=list)
    outgoing: list[Connection] = field(default_factory=list)
    active: list[Connection] = field(default_factory=list)
    paused: list[Connection] = field(default_factory=list)
    past: list[Connection] = field(default_factory=list)


def connections_of(user: User) -> MyConnections:
    out = MyConnections()
    blocked = blocked_ids(user)
    rows = (
        Connection.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient", "conversation")
        .order_by("-created_at")
    )
    for c in rows:
        other_id = c.recipient_id if c.requester_id == user.pk else c.requester_id
        if c.status == ConnectionStatus.REQUESTED:
            if c.recipient_id == user.pk:
                if other_id not in blocked:
                    out.incoming.append(c)
            else:
                out.outgoing.append(c)
        elif c.status == ConnectionStatus.ACCEPTED:
            out.active.append(c)
        elif c.status == ConnectionStatus.PAUSED:
            out.paused.append(c)
        elif c.status == ConnectionStatus.DECLINED and c.requester_id == user.pk:
            # Shown gently, like a request still waiting that has gone quiet; never "declined".
            out.past.append(c)
        elif c.status == ConnectionStatus.ENDED and c.responded_at is not None:
            out.past.append(c)
    return out


def connection_status_for(connection: Connection, viewer: User) -> str:
    """How a connection's state reads to this person (a decline is never announced bluntly)."""
    if connection.status == ConnectionStatus.DECLINED:
        return "Not taken up for now" if connection.requester_id == viewer.pk else "You let this one pass"
    return str(connection.get_status_display())


def unread_count(conversation: Conversation, user: User) -> int:
    participant = ConversationParticipant.objects.filter(conversation=conversation, user=user).first()
    messages = conversation.messages.exclude(author=user)
    if participant is not None and participant.last_read_at is not None:
        messages = messages.filter(created_at__gt=participant.last_read_at)
    return messages.count()


def conversations_of(user: User) -> list[dict[str, Any]]:
    rows = []
    participants = (
        ConversationParticipant.objects.filter(user=user)
        .select_related(
            "conversation", "conversation__connection", "conversation__match", "conversation__match__scheme__offer"
        )
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    blocked = blocked_ids(user)
    for p in participants:
        conversation = p.conversation
        other = conversation_other(conversation, user)
        if other is not None and other.pk in blocked:
            continue  # a block hides the conversation
        unread = conversation.messages.exclude(author=user)
        if p.last_read_at is not None:
            unread = unread.filter(created_at__gt=p.last_read_at)
        rows.append({"conversation": conversation, "other": other, "unread": unread.count()})
    return rows


def conversation_other(conversation: Conversation, user: User) -> User | None:
    other = conversation.participants.exclude(user=user).select_related("user").first()
    return other.user if other else None


def conversation_messages(conversation: Conversation, viewer: User) -> QuerySet[Message]:
    # Messages from someone the viewer has blocked are hidden.
    blocked = blocked_ids(viewer)
    return conversation.messages.exclude(author_id__in=blocked).select_related("author").order_by("created_at", "id")


def message_read_by_other(conversation: Conversation, viewer: User) -> Any:
    """When the other person last read the conversation (for "seen" on the viewer's own messages)."""
    other = conversation.participants.exclude(user=viewer).first()
    return other.last_read_at if other else None


def published_schemes() -> QuerySet[Scheme]:
    return Scheme.objects.filter(offer__status=OfferStatus.PUBLISHED).select_related("offer", "organisation")


def schemes_coordinated_by(user: User) -> QuerySet[Scheme]:
    return Scheme.objects.filter(organisation__in=coordinated_organisations(user)).select_related(
        "offer", "organisation"
    )


def requests_of(user: User) -> QuerySet[MatchRequest]:
    return MatchRequest.objects.filter(seeker=user).select_related("scheme", "scheme__offer").order_by("-created_at")


def matches_of(user: User) -> dict[str, list[Match]]:
    rows = (
        Match.objects.filter(Q(seeker=user) | Q(supporter=user))
        .exclude(status=MatchStatus.PROPOSED)
        .exclude(status=MatchStatus.WITHDRAWN, approved_at__isnull=True)
        .select_related("scheme__offer", "seeker", "supporter")
        .order_by("-created_at")
    )
    out: dict[str, list[Match]] = {"waiting": [], "active": [], "past": []}
    for m in rows:
        if m.status == MatchStatus.ACTIVE:
            out["active"].append(m)
        elif m.status in LIVE_MATCH_STATUSES:
            out["waiting"].append(m)
        else:
            out["past"].append(m)
    return out


def supporter_profiles_of(user: User) -> QuerySet[SupporterProfile]:
    return SupporterProfile.objects.filter(user=user).select_related("scheme", "scheme__offer")


@dataclass
class SchemeOverview:
    scheme: Scheme
    waiting: list[MatchRequest]
    proposed: list[Match]
    in_progress: list[Match]
    active: list[Match]
    supporters: list[dict[str, Any]]

    @property
    def places_free(self) -> int:
        """Places for new proposals across supporters taking matches (capacity and caseload cap, less live load)."""
        return sum(row["room"] for row in self.supporters)

    @property
    def full_names(self) -> list[str]:
        return [row["profile"].user.display_name for row in self.supporters if row["full"]]

    def waiting_explanation(self) -> str:
        """Why people are still waiting, in kind plain words for the coordinator ("" if no one is)."""
        if not self.waiting:
            return ""
        count = len(self.waiting)
        people = "1 person is" if count == 1 else f"{count} people are"
        if not self.supporters:
            return f"{people} waiting, and no one has offered to support in this scheme yet."
        if self.places_free == 0:
            return (
                f"{people} still waiting because every supporter is at the number of people they said they can "
                "support, or is not taking new matches just now. We never propose anyone past their capacity. "
                "Their requests stay open and can be matched when a place frees up or a new supporter joins."
            )
        return (
            f"{people} still waiting. There are {self.places_free} place(s) free, but not with a supporter who "
            "meets their essentials (language, a 'must' wish, how to meet, or distance), or they have been "
            "matched with those supporters before."
        )


def scheme_overview(scheme: Scheme) -> SchemeOverview:
    live_requests = Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES).values("request_id")
    waiting = list(
        MatchRequest.objects.filter(scheme=scheme, status=MatchRequestStatus.OPEN)
        .exclude(pk__in=live_requests)
        .select_related("seeker")
        .order_by("created_at")
    )
    matches = list(
        Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES)
        .select_related("seeker", "supporter")
        .order_by("-score", "created_at")
    )
    loads = dict(
        Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES)
        .values_list("supporter_id")
        .annotate(n=Count("id"))
    )
    supporters = []
    for p in SupporterProfile.objects.filter(scheme=scheme).select_related("user").order_by("user__display_name"):
        load = loads.get(p.user_id, 0)
        limit = min(p.capacity, scheme.caseload_cap) if scheme.caseload_cap else p.capacity
        taking = p.status == SupporterStatus.AVAILABLE and p.user.is_active
        supporters.append(
            {
                "profile": p,
                "load": load,
                "limit": limit,
                "full": load >= limit,
                "room": max(0, limit - load) if taking else 0,
            }
        )
    return SchemeOverview(
        scheme=scheme,
        waiting=waiting,
        proposed=[m for m in matches if m.status == MatchStatus.PROPOSED],
        in_progress=[m for m in matches if m.status not in (MatchStatus.PROPOSED, MatchStatus.ACTIVE)],
        active=[m for m in matches if m.status == MatchStatus.ACTIVE],
        supporters=supporters,
    )


# Who may see each disclosure layer: a wider circle sees everything a narrower one does.
_CIRCLES = {
    "coordinator": {LayerVisibility.COORDINATORS, LayerVisibility.MATCHED, LayerVisibility.SEEKERS},
    "matched": {LayerVisibility.MATCHED, LayerVisibility.SEEKERS},
    "seeker": {LayerVisibility.SEEKERS},
    "none": set(),
}


def _general_circle(profile: SupporterProfile, viewer: User) -> str:
    """A general (informal) profile: connected people, then people who share an organisation (where they could
    have met in a group or space). Nobody else; never someone either of them has blocked."""
    if not viewer.is_authenticated:
        return "none"
    owner = profile.user_id
    if is_blocked_between(viewer, owner):
        return "none"
    if Connection.objects.filter(
        Q(requester=viewer, recipient_id=owner) | Q(requester_id=owner, recipient=viewer),
        status__in=[ConnectionStatus.ACCEPTED, ConnectionStatus.PAUSED],
    ).exists():
        return "matched"
    theirs = Membership.objects.filter(user_id=owner).values("organisation")
    if Membership.objects.filter(user=viewer, organisation__in=theirs).exists():
        return "seeker"
    return "none"


def can_ask_to_connect(viewer: User, person: User) -> bool:
    """Offer "Ask to connect" on a profile: to someone the viewer shares a group or space with, who isn't them,
    with no block either way and no connection or request already open between them."""
    if not viewer.is_authenticated or viewer.pk == person.pk or not person.is_active:
        return False
    if is_blocked_between(viewer, person):
        return False
    if Connection.objects.filter(
        Q(requester=viewer, recipient=person) | Q(requester=person, recipient=viewer),
        status__in=[ConnectionStatus.REQUESTED, ConnectionStatus.ACCEPTED, ConnectionStatus.PAUSED],
    ).exists():
        return False
    return share_a_place(viewer, person)


def general_profile_of(user: User) -> SupporterProfile | None:
    return SupporterProfile.objects.filter(user=user, scheme__isnull=True).first()


def viewer_circle(profile: SupporterProfile, viewer: User) -> str:
    if viewer.pk == profile.user_id:
        return "coordinator"  # people see everything of their own
    scheme = profile.scheme
    if scheme is None:
        return _general_circle(profile, viewer)
    if scheme is not None and can_manage_scheme(viewer, scheme):
        return "coordinator"
    if scheme is not None:
        matches = Match.objects.filter(scheme=scheme, supporter_id=profile.user_id, seeker=viewer)
        if matches.filter(status=MatchStatus.ACTIVE).exists():
            return "matched"
        if matches.filter(
            status__in=[MatchStatus.APPROVED, MatchStatus.ACCEPTED_BY_SEEKER, MatchStatus.ACCEPTED_BY_SUPPORTER]
        ).exists():
            return "seeker"
        if MatchRequest.objects.filter(scheme=scheme, seeker=viewer, status=MatchRequestStatus.OPEN).exists():
            return "seeker"
    return "none"


def visible_layers(profile: SupporterProfile, viewer: User) -> list[tuple[str, str]]:
    """(label, text) of the layers this viewer may read, in order."""
    allowed = _CIRCLES[viewer_circle(profile, viewer)]
    out = []
    for layer, label in SupporterProfile.LAYERS:
        text = getattr(profile, layer)
        if text and getattr(profile, f"{layer}_visibility") in allowed:
            out.append((label, text))
    return out
