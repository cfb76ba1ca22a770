"""Writes for one-to-one support: connections, conversations, schemes, supporters, requests and matches."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.commons import reach
from kindred.commons.blocks import is_blocked_between, on_block
from kindred.commons.models import EndReason, EngagementRole, Form
from kindred.commons.spine import engagement_end, engagement_record, engagement_touch
from kindred.core import ratelimit
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.core.slugs import unique_slug
from kindred.directory.models import Delivery, Offer, OfferKind, OfferStatus
from kindred.directory.places import find_place
from kindred.organisations.access import require_coordinator
from kindred.organisations.models import Membership, Organisation, Role
from kindred.organisations.selectors import is_coordinator

from . import messages
from .models import (
    AVAILABILITY_SLOTS,
    LIVE_MATCH_STATUSES,
    OPEN_CONNECTION_STATUSES,
    Channel,
    Connection,
    ConnectionRole,
    ConnectionStatus,
    Conversation,
    ConversationParticipant,
    DeclinedPair,
    LayerVisibility,
    Match,
    MatchEndReason,
    MatchingMode,
    MatchRequest,
    MatchRequestStatus,
    MatchStatus,
    Message,
    Scheme,
    SchemeKind,
    SupervisionAssignment,
    SupporterProfile,
    SupporterStatus,
)

MAX_MESSAGE_CHARS = 5000
IDENTITY_DIMENSIONS = ("gender", "ethnicity", "sexuality", "age_band", "faith")
SUPPORTER_ROLES = {Role.PEER, Role.PSW, Role.FACILITATOR, Role.COORDINATOR}


class OneToOneError(AppError):
    """Something a person asked for that can't be done; the message is kind and says what to do instead."""


# --- helpers ------------------------------------------------------------------------------------------------------


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)


def _shared_organisation(a: User, b: User) -> Organisation | None:
    theirs = Membership.objects.filter(user=b).values("organisation")
    return Organisation.objects.filter(memberships__user=a, pk__in=theirs).order_by("id").first()


def _engagement_roles(role: str) -> list[EngagementRole]:
    if role == ConnectionRole.GIVING:
        return [EngagementRole.GIVING]
    if role == ConnectionRole.RECEIVING:
        return [EngagementRole.RECEIVING]
    return [EngagementRole.RECEIVING, EngagementRole.GIVING]


def _clean_role(role: str) -> str:
    if role not in ConnectionRole.values:
        raise OneToOneError("Please choose how you see this connection: giving, receiving, or both.")
    return role


def coordinators_of(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.COORDINATOR, is_active=True
        ).distinct()
    )


def _conversation_open(conversation: Conversation, users: Iterable[User]) -> None:
    for user in users:
        ConversationParticipant.objects.get_or_create(conversation=conversation, user=user)


# --- informal connections -------------------------------------------------------------------------------------------


def open_to_new_connections(user: User) -> bool:
    """Whether someone can be asked to connect: always, unless their general supporter profile says they are full,
    stepping back, or already connected with as many people as they said they can be there for."""
    profile = SupporterProfile.objects.filter(user=user, scheme__isnull=True).first()
    if profile is None:
        return True
    if profile.status != SupporterStatus.AVAILABLE:
        return False
    held = Connection.objects.filter(
        Q(requester=user) | Q(recipient=user), status__in=[ConnectionStatus.ACCEPTED, ConnectionStatus.PAUSED]
    ).count()
    return held < profile.capacity


def connection_request(
    *, actor: User, recipient: User, note: str = "", where_met: str = "", role: str = ConnectionRole.BOTH
) -> Connection:
    """Ask to connect with someone met in a group or online. They are told; nobody else is."""
    if recipient.pk == actor.pk:
        raise OneToOneError("You can't send a connection request to yourself.")
    _clean_role(role)
    if len(note) > 1000:
        raise OneToOneError("Please keep your note to 1,000 characters or fewer.")
    if len(where_met) > 150:
        raise OneToOneError("Please keep 'where you met' to 150 characters or fewer.")
    organisation = _shared_organisation(actor, recipient)
    if organisation is None or not recipient.is_active or is_blocked_between(actor, recipient):
        # The same words whatever the reason: a block is never revealed.
        raise OneToOneError("We couldn't send a request to this person.", code="unavailable")
    ratelimit.check("connection_request", str(actor.pk))
    existing = Connection.objects.filter(
        Q(requester=actor, recipient=recipient) | Q(requester=recipient, recipient=actor),
        status__in=OPEN_CONNECTION_STATUSES,
    ).first()
    if existing is not None:
        if existing.status == ConnectionStatus.REQUESTED and existing.requester_id == recipient.pk:
            raise OneToOneError("They have already asked to connect with you: you can reply to their request.")
        raise OneToOneError("You already have a connection or a request with this person.", code="duplicate")
    if not open_to_new_connections(recipient):
        raise OneToOneError(
            f"{recipient.display_name} isn't taking new connections just now. That's about their own capacity, "
            "not about you. You can still say hello in the groups and spaces you share.",
            code="unavailable",
        )
    try:
        with transaction.atomic(durable=True):
            connection = Connection.objects.create(
                requester=actor,
                recipient=recipient,
                note=note.strip(),
                where_met=where_met.strip(),
                requester_role=role,
                organisation=organisation,
            )
            reach.send(
                to=recipient,
                kind=messages.CONNECTION_REQUEST,
                sender=actor,
                title=f"{actor.display_name} would like to connect",
                body="You can say yes, or let it pass; they won't be told if you don't take it up.",
                url=_url("onetoone:connection", public_id=connection.public_id),
                email=True,
            )
    except IntegrityError as exc:
        raise OneToOneError("You already have a connection or a request with this person.", code="duplicate") from exc
    return connection


def connection_respond(
    *, actor: User, connection: Connection, accept: bool, role: str = ConnectionRole.BOTH
) -> Connection:
    if connection.recipient_id != actor.pk:
        raise OneToOneError("Only the person who was asked can reply.", code="forbidden")
    if connection.status != ConnectionStatus.REQUESTED:
        raise OneToOneError("This request has already been answered.")
    _clean_role(role)
    with transaction.atomic(durable=True):
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if connection.status != ConnectionStatus.REQUESTED:
            raise OneToOneError("This request has already been answered.")
        connection.responded_at = timezone.now()
        if not accept:
            # Never announced: the requester simply sees that it hasn't become a connection.
            connection.status = ConnectionStatus.DECLINED
            connection.save(update_fields=["status", "responded_at"])
            return connection
        if is_blocked_between(connection.requester, actor):
            raise OneToOneError("We couldn't connect you with this person.", code="unavailable")
        connection.status = ConnectionStatus.ACCEPTED
        connection.recipient_role = role
        connection.save(update_fields=["status", "responded_at", "recipient_role"])
        conversation = Conversation.objects.create(connection=connection)
        _conversation_open(conversation, [connection.requester, connection.recipient])
        for person, their_role in (
            (connection.requester, connection.requester_role),
            (connection.recipient, connection.recipient_role),
        ):
            for engagement_role in _engagement_roles(their_role):
                engagement_record(
                    person=person,
                    subject=connection,
                    form=Form.ONE_TO_ONE,
                    role=engagement_role,
                    organisation=connection.organisation,
                )
        reach.send(
            to=connection.requester,
            kind=messages.CONNECTION_ACCEPTED,
            sender=actor,
            title=f"You're now connected with {actor.display_name}",
            body="You can send each other messages in Kindred.",
            url=_url("onetoone:conversation", public_id=conversation.public_id),
            email=True,
        )
    return connection


def connection_withdraw(*, actor: User, connection: Connection) -> Connection:
    if connection.requester_id != actor.pk or connection.status != ConnectionStatus.REQUESTED:
        raise OneToOneError("This request can't be withdrawn now.")
    with transaction.atomic(durable=True):
        connection.status = ConnectionStatus.ENDED
        connection.ended_at = timezone.now()
        connection.ended_by = actor
        connection.save(update_fields=["status", "ended_at", "ended_by"])
    return connection


def _party(actor: User, connection: Connection) -> None:
    if actor.pk not in (connection.requester_id, connection.recipient_id):
        raise OneToOneError("Only the two people in a connection can change it.", code="forbidden")


def connection_pause(*, actor: User, connection: Connection) -> Connection:
    _party(actor, connection)
    if connection.status != ConnectionStatus.ACCEPTED:
        raise OneToOneError("Only an active connection can be paused.")
    with transaction.atomic(durable=True):
        connection.status = ConnectionStatus.PAUSED
        connection.paused_by = actor
        connection.save(update_fields=["status", "paused_by"])
        other = connection.other(actor)
        reach.send(
            to=other,  # type: ignore[arg-type]
            kind=messages.CONNECTION_PAUSED,
            sender=actor,
            title=f"{actor.display_name} has paused your connection for now",
            body="Messages are on hold until one of you picks it up again. Nothing has been lost.",
            url=_url("onetoone:connection", public_id=connection.public_id),
        )
    return connection


def connection_resume(*, actor: User, connection: Connection) -> Connection:
    _party(actor, connection)
    if connection.status != ConnectionStatus.PAUSED:
        raise OneToOneError("This connection isn't paused.")
    other = connection.other(actor)
    if is_blocked_between(actor, other):  # type: ignore[arg-type]
        raise OneToOneError("This connection can't be picked up again.")
    with transaction.atomic(durable=True):
        connection.status = ConnectionStatus.ACCEPTED
        connection.paused_by = None
        connection.save(update_fields=["status", "paused_by"])
        reach.send(
            to=other,  # type: ignore[arg-type]
            kind=messages.CONNECTION_RESUMED,
            sender=actor,
            title=f"{actor.display_name} has picked your connection up again",
            url=_url("onetoone:connection", public_id=connection.public_id),
        )
    return connection


def _connection_close(connection: Connection, actor: User) -> None:
    connection.status = ConnectionStatus.ENDED
    connection.ended_at = timezone.now()
    connection.ended_by = actor
    connection.save(update_fields=["status", "ended_at", "ended_by"])
    for person in (connection.requester, connection.recipient):
        engagement_end(person=person, subject=connection, reason=EndReason.COMPLETED, form=Form.ONE_TO_ONE)


def connection_end(*, actor: User, connection: Connection) -> Connection:
    _party(actor, connection)
    if connection.status not in (ConnectionStatus.ACCEPTED, ConnectionStatus.PAUSED):
        raise OneToOneError("This connection has already ended.")
    with transaction.atomic(durable=True):
        _connection_close(connection, actor)
        reach.send(
            to=connection.other(actor),  # type: ignore[arg-type]
            kind=messages.CONNECTION_ENDED,
            sender=actor,
            title=f"Your connection with {actor.display_name} has come to an end",
            body="Your messages stay with you to read. Groups and online spaces are there whenever you'd like them.",
            url=_url("onetoone:connection", public_id=connection.public_id),
        )
    return connection


@on_block
def _close_connections_on_block(actor: User, other: User) -> None:
    """A block anywhere quietly ends any connection between the two: a request is declined, a connection closed."""
    for connection in Connection.objects.filter(
        Q(requester=actor, recipient=other) | Q(requester=other, recipient=actor),
        status__in=OPEN_CONNECTION_STATUSES,
    ):
        if connection.status == ConnectionStatus.REQUESTED:
            connection.status = (
                ConnectionStatus.DECLINED if connection.recipient_id == actor.pk else ConnectionStatus.ENDED
            )
            connection.responded_at = timezone.now()
            connection.save(update_fields=["status", "responded_at"])
        else:
            _connection_close(connection, actor)


# --- conversations ----------------------------------------------------------------------------------------------------


def conversation_can_send(conversation: Conversation, user: User) -> tuple[bool, str]:
    """Whether `user` may write now, and if not a kind reason."""
    others = [p.user for p in conversation.participants.select_related("user") if p.user_id != user.pk]
    if any(is_blocked_between(user, other) for other in others):
        return False, "Messages can't be sent in this conversation."
    if conversation.connection_id is not None:
        status = conversation.connection.status  # type: ignore[union-attr]
        if status == ConnectionStatus.PAUSED:
            return False, "This connection is paused. Either of you can pick it up again."
        if status != ConnectionStatus.ACCEPTED:
            return False, "This connection has ended, so new messages can't be sent. You can still read what was said."
    elif conversation.match_id is not None and conversation.match.status != MatchStatus.ACTIVE:  # type: ignore[union-attr]
        return False, "This match has ended, so new messages can't be sent. You can still read what was said."
    return True, ""


def _screen(text: str) -> Any:
    """Crisis screening, when the safety module is present (it is optional for this app)."""
    try:
        from kindred.safety.screening import screen  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return screen(text)


def message_send(*, actor: User, conversation: Conversation, body: str) -> tuple[Message, Any]:
    """Send a message; returns it with the crisis screening result (shown kindly to the author, never a gate)."""
    body = (body or "").strip()
    if not body:
        raise OneToOneError("Please write a message before sending.")
    if len(body) > MAX_MESSAGE_CHARS:
        raise OneToOneError(f"Please keep a message to {MAX_MESSAGE_CHARS:,} characters or fewer.")
    if not conversation.participants.filter(user=actor).exists():
        raise OneToOneError("You're not part of this conversation.", code="forbidden")
    allowed, why = conversation_can_send(conversation, actor)
    if not allowed:
        raise OneToOneError(why, code="closed")
    ratelimit.check("onetoone_message", str(actor.pk))
    screening = _screen(body)
    now = timezone.now()
    with transaction.atomic(durable=True):
        message = Message.objects.create(
            conversation=conversation,
            author=actor,
            body=body,
            screening_level=getattr(screening, "level", "") or "",
        )
        previous = conversation.last_message_at
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
        conversation.last_message_at = message.created_at
        ConversationParticipant.objects.filter(conversation=conversation, user=actor).update(last_read_at=now)
        subject = conversation.connection or conversation.match
        for role in (EngagementRole.GIVING, EngagementRole.RECEIVING):
            engagement_touch(person=actor, subject=subject, form=Form.ONE_TO_ONE, role=role)  # type: ignore[arg-type]
        for participant in conversation.participants.exclude(user=actor).select_related("user"):
            # One notice per quiet spell: only if they had read everything before this message.
            caught_up = previous is None or (
                participant.last_read_at is not None and participant.last_read_at >= previous
            )
            if caught_up:
                reach.send(
                    to=participant.user,
                    kind=messages.MESSAGE,
                    sender=actor,
                    title=f"New message from {actor.display_name}",
                    body="Open the conversation in Kindred to read it.",
                    url=_url("onetoone:conversation", public_id=conversation.public_id),
                    # The gate holds the email until the person's quiet hours end (one setting, all of Kindred).
                    email=True,
                )
    return message, screening


def conversation_mark_read(*, actor: User, conversation: Conversation) -> None:
    ConversationParticipant.objects.filter(conversation=conversation, user=actor).update(last_read_at=timezone.now())


# --- schemes ----------------------------------------------------------------------------------------------------------

_SCHEME_TYPE_FOR_OFFER = {
    SchemeKind.BEFRIENDING: "befriending",
    SchemeKind.MENTORING: "mentoring",
    SchemeKind.PEN_FRIENDS: "pen_friends",
    SchemeKind.PSW: "",
}


def _delivery_for(channels: list[str]) -> str:
    chosen = set(channels)
    if chosen == {Channel.MESSAGES}:
        return Delivery.ONLINE
    if chosen == {Channel.PHONE}:
        return Delivery.PHONE
    if Channel.IN_PERSON in chosen and (chosen & {Channel.VIDEO, Channel.PHONE, Channel.MESSAGES}):
        return Delivery.HYBRID
    if Channel.IN_PERSON in chosen:
        return Delivery.IN_PERSON
    return Delivery.VIDEO


def _clean_scheme_fields(fields: dict[str, Any]) -> dict[str, Any]:
    channels = [c for c in fields.get("channels", []) if c in Channel.values]
    if not channels:
        raise OneToOneError("Please choose at least one way for people to be in touch.")
    if fields.get("kind") not in SchemeKind.values:
        raise OneToOneError("Please choose what kind of scheme this is.")
    if fields.get("matching_mode") not in MatchingMode.values:
        raise OneToOneError("Please choose how matches are made.")
    capacity = fields.get("default_capacity") or 0
    if not 1 <= int(capacity) <= 50:
        raise OneToOneError("Please set a supporter capacity between 1 and 50.")
    limit = fields.get("session_limit")
    if limit is not None and not 1 <= int(limit) <= 500:
        raise OneToOneError("A session limit, if you set one, must be between 1 and 500. Leave it empty for no limit.")
    cap = fields.get("caseload_cap")
    if cap is not None and not 1 <= int(cap) <= 200:
        raise OneToOneError("A caseload cap, if you set one, must be between 1 and 200.")
    return {**fields, "channels": channels}


def scheme_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    summary: str,
    description: str = "",
    kind: str = SchemeKind.BEFRIENDING,
    matching_mode: str = MatchingMode.COORDINATOR,
    channels: list[str] | None = None,
    default_capacity: int = 2,
    session_limit: int | None = None,
    eligibility: str = "",
    caseload_cap: int | None = None,
    supervisor_reads_notes: bool = False,
    town: str = "",
) -> Scheme:
    """Set up a scheme and list it in the directory as an Offer (a PSW service is listed as one)."""
    require_coordinator(actor, organisation, error=OneToOneError)
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or len(title) > 150:
        raise OneToOneError("Please give the scheme a name of up to 150 characters.")
    if not summary or len(summary) > 300:
        raise OneToOneError("Please describe the scheme in a sentence or two (up to 300 characters).")
    fields = _clean_scheme_fields(
        {
            "kind": kind,
            "matching_mode": matching_mode,
            "channels": channels or [],
            "default_capacity": default_capacity,
            "session_limit": session_limit,
            "caseload_cap": caseload_cap,
        }
    )
    with transaction.atomic(durable=True):
        offer = Offer.objects.create(
            slug=unique_slug(title, taken=_offer_slug_taken, fallback="scheme"),
            organisation=organisation,
            kind=OfferKind.PSW_SERVICE if kind == SchemeKind.PSW else OfferKind.SCHEME,
            scheme_type=_SCHEME_TYPE_FOR_OFFER[SchemeKind(kind)],
            delivery=_delivery_for(fields["channels"]),
            title=title,
            summary=summary,
            description=description.strip() or summary,
            eligibility=eligibility.strip()[:300],
            town=town.strip()[:80],
            region=organisation.region,
            status=OfferStatus.PUBLISHED,
            last_confirmed_at=timezone.now(),
        )
        scheme = Scheme.objects.create(
            organisation=organisation,
            offer=offer,
            eligibility=eligibility.strip()[:300],
            supervisor_reads_notes=supervisor_reads_notes,
            created_by=actor,
            **fields,
        )
        audit_record(actor=actor, action="onetoone.scheme_create", subject=scheme, organisation=organisation)
    return scheme


def scheme_update(*, actor: User, scheme: Scheme, **changes: Any) -> Scheme:
    require_coordinator(actor, scheme.organisation, error=OneToOneError)
    allowed = {
        "matching_mode",
        "channels",
        "default_capacity",
        "session_limit",
        "eligibility",
        "caseload_cap",
        "supervisor_reads_notes",
        "accepting_requests",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise OneToOneError(f"These can't be changed here: {', '.join(sorted(unknown))}.")
    current = {
        "kind": scheme.kind,
        "matching_mode": scheme.matching_mode,
        "channels": scheme.channels,
        "default_capacity": scheme.default_capacity,
        "session_limit": scheme.session_limit,
        "caseload_cap": scheme.caseload_cap,
    }
    current.update({k: v for k, v in changes.items() if k in current})
    fields = _clean_scheme_fields(current)
    reads_notes = changes.get("supervisor_reads_notes")
    policy_changed = reads_notes is not None and bool(reads_notes) != scheme.supervisor_reads_notes
    with transaction.atomic(durable=True):
        if policy_changed:
            audit_record(
                actor=actor,
                action="onetoone.note_policy_changed",
                subject=scheme,
                organisation=scheme.organisation,
                detail={"supervisors_may_read_notes": bool(reads_notes)},
            )
        for key in allowed & set(changes):
            setattr(scheme, key, fields.get(key, changes[key]))
        scheme.save()
        if "eligibility" in changes:
            Offer.objects.filter(pk=scheme.offer_id).update(eligibility=(changes["eligibility"] or "")[:300])
        audit_record(
            actor=actor,
            action="onetoone.scheme_update",
            subject=scheme,
            organisation=scheme.organisation,
            detail={"changed": sorted(changes)},
        )
    return scheme


# --- supporters ---------------------------------------------------------------------------------------------------


def _clean_slots(slots: Iterable[str]) -> list[str]:
    return [s for s in AVAILABILITY_SLOTS if s in set(slots or ())]


def _clean_identity(identity: dict[str, Any] | None) -> dict[str, str]:
    out = {}
    for dim, value in (identity or {}).items():
        if dim in IDENTITY_DIMENSIONS and str(value).strip():
            out[dim] = str(value).strip()[:80]
    return out


def _locate(postcode: str) -> tuple[float | None, float | None]:
    place = find_place(postcode) if postcode else None
    return (place.latitude, place.longitude) if place else (None, None)


def live_load(user: User, scheme: Scheme) -> int:
    return Match.objects.filter(scheme=scheme, supporter=user, status__in=LIVE_MATCH_STATUSES).count()


def supporter_limit(profile: SupporterProfile, scheme: Scheme) -> int:
    """The most live matches a supporter holds in a scheme: their own capacity, and the scheme's caseload cap."""
    return min(profile.capacity, scheme.caseload_cap) if scheme.caseload_cap else profile.capacity


def supporter_room(profile: SupporterProfile, scheme: Scheme) -> int:
    """Places free for new proposals (proposals hold a place until decided)."""
    return max(0, supporter_limit(profile, scheme) - live_load(profile.user, scheme))


def can_support_in(user: User, scheme: Scheme) -> bool:
    roles = set(Membership.objects.filter(user=user, organisation=scheme.organisation).values_list("role", flat=True))
    if scheme.kind == SchemeKind.PSW:
        return Role.PSW in roles
    return bool(roles & SUPPORTER_ROLES)


def supporter_profile_save(*, actor: User, scheme: Scheme | None, **fields: Any) -> SupporterProfile:
    """Create or update the actor's supporter profile for a scheme (or their general one)."""
    if scheme is not None and not can_support_in(actor, scheme):
        raise OneToOneError(
            "To support people in this scheme you need to be one of its volunteers or workers. "
            "Please ask the organisation's coordinator.",
            code="forbidden",
        )
    profile = SupporterProfile.objects.filter(user=actor, scheme=scheme).first()
    load = live_load(actor, scheme) if scheme is not None and profile is not None else 0
    capacity = int(fields.get("capacity", profile.capacity if profile else (scheme.default_capacity if scheme else 2)))
    if capacity < 1 or capacity > 50:
        raise OneToOneError("Please choose a capacity between 1 and 50 people.")
    if capacity < load:
        raise OneToOneError(
            f"You're supporting {load} {'person' if load == 1 else 'people'} at the moment, so your capacity can't be "
            f"lower than {load}. If you'd like to take on fewer people, you can step back from new matches instead.",
            code="capacity_below_load",
        )
    for layer, _ in SupporterProfile.LAYERS:
        vis = fields.get(f"{layer}_visibility")
        if vis is not None and vis not in LayerVisibility.values:
            raise OneToOneError("Please choose who may see each part of what you share.")
        if len(fields.get(layer, "") or "") > 2000:
            raise OneToOneError("Please keep each part to 2,000 characters or fewer.")
    qs, qe = fields.get("quiet_hours_start"), fields.get("quiet_hours_end")
    if (qs is None) != (qe is None):
        raise OneToOneError("Please give both a start and an end for quiet hours, or neither.")
    if qs is not None and not isinstance(qs, time):
        raise OneToOneError("Please give quiet hours as times, like 21:00.")
    text_fields = ["experience_tags", "interest_tags", "value_tags", "languages", "postcode"]
    with transaction.atomic(durable=True):
        if profile is None:
            profile = SupporterProfile(user=actor, scheme=scheme, capacity=capacity)
        for layer, _ in SupporterProfile.LAYERS:
            if layer in fields:
                setattr(profile, layer, (fields[layer] or "").strip())
            if f"{layer}_visibility" in fields:
                setattr(profile, f"{layer}_visibility", fields[f"{layer}_visibility"])
        for name in text_fields:
            if name in fields:
                setattr(profile, name, (fields[name] or "").strip()[: 300 if name != "postcode" else 10])
        if "identity" in fields:
            profile.identity = _clean_identity(fields["identity"])
        if "channels" in fields:
            profile.channels = [c for c in fields["channels"] or [] if c in Channel.values]
        if "availability" in fields:
            profile.availability = _clean_slots(fields["availability"])
        if "max_distance_km" in fields:
            profile.max_distance_km = fields["max_distance_km"]
        if "postcode" in fields:
            profile.latitude, profile.longitude = _locate(profile.postcode)
        profile.capacity = capacity
        if "quiet_hours_start" in fields:
            # The person's quiet hours for all of Kindred: every email to them waits until they end.
            person, _ = Profile.objects.get_or_create(user=actor)
            person.quiet_hours_start, person.quiet_hours_end = qs, qe
            person.save(update_fields=["quiet_hours_start", "quiet_hours_end", "updated_at"])
        if not profile.languages.strip():
            profile.languages = "English"
        profile.save()
    return profile


def supporter_set_status(
    *, actor: User, profile: SupporterProfile, status: str, end_current: bool = False
) -> SupporterProfile:
    """Available, full, or stepping back. Stepping back stops new matches and tells the coordinators; current
    relationships carry on unless the supporter chooses to end them too."""
    if profile.user_id != actor.pk:
        raise OneToOneError("Only the supporter can change their own status.", code="forbidden")
    if status not in SupporterStatus.values:
        raise OneToOneError("Please choose available, full for now, or stepping back.")
    with transaction.atomic(durable=True):
        previous = profile.status
        profile.status = status
        profile.status_changed_at = timezone.now()
        profile.save(update_fields=["status", "status_changed_at", "updated_at"])
        scheme = profile.scheme
        if scheme is None:
            return profile
        # Proposals not yet agreed are released so people don't wait on someone who is stepping back.
        if status != SupporterStatus.AVAILABLE:
            pending = [MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.ACCEPTED_BY_SEEKER]
            for match in Match.objects.filter(scheme=scheme, supporter=actor, status__in=pending).select_related(
                "seeker"
            ):
                was_sent = match.status != MatchStatus.PROPOSED
                match.status = MatchStatus.WITHDRAWN
                match.save(update_fields=["status"])
                if was_sent:
                    reach.send(
                        to=match.seeker,
                        kind=messages.MATCH_REMATCHING,
                        title=f"We're still looking for the right match for you in {scheme.title}",
                        body="The coordinator will be in touch with another suggestion.",
                        url=_url("onetoone:requests"),
                    )
        ended = 0
        if status == SupporterStatus.STEPPING_BACK and end_current:
            for match in Match.objects.filter(
                scheme=scheme, supporter=actor, status__in=[MatchStatus.ACTIVE, MatchStatus.ACCEPTED_BY_SUPPORTER]
            ).select_related("seeker", "request"):
                _match_close(match, actor=actor, reason=MatchEndReason.STEPPING_BACK)
                ended += 1
        if status == SupporterStatus.STEPPING_BACK and previous != status:
            reach.send_to_team(
                people=coordinators_of(scheme.organisation),
                kind=messages.SUPPORTER_STEPPING_BACK,
                sender=actor,
                title=f"{actor.display_name} is stepping back from {scheme.title}",
                body=(
                    "They won't be offered new matches for now. "
                    + (
                        f"They have ended {ended} current match(es); those people may need a new match."
                        if ended
                        else "Their current relationships carry on."
                    )
                ),
                url=_url("onetoone:scheme_manage", public_id=scheme.public_id),
                email=True,
            )
        audit_record(
            actor=actor,
            action="onetoone.supporter_status",
            subject=profile,
            organisation=scheme.organisation,
            detail={"from": previous, "to": status, "ended": ended},
        )
    return profile


# --- requests -----------------------------------------------------------------------------------------------------


def _clean_preferences(preferences: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    out = {}
    for dim, pref in (preferences or {}).items():
        if dim not in IDENTITY_DIMENSIONS or not isinstance(pref, dict):
            continue
        value = str(pref.get("value", "")).strip()[:80]
        strength = pref.get("strength", "prefer")
        if not value:
            continue
        if strength not in ("must", "prefer"):
            raise OneToOneError("For each wish, please choose 'must' or 'would prefer'.")
        out[dim] = {"value": value, "strength": strength}
    return out


def match_request_create(
    *,
    actor: User,
    scheme: Scheme,
    about: str = "",
    experience_tags: str = "",
    interest_tags: str = "",
    value_tags: str = "",
    identity: dict[str, Any] | None = None,
    preferences: dict[str, Any] | None = None,
    languages: str = "English",
    channels: list[str] | None = None,
    availability: list[str] | None = None,
    postcode: str = "",
    max_distance_km: int | None = None,
) -> MatchRequest:
    """Ask a scheme for a match. Open to anyone by default (self-referral, no clinical gate)."""
    if not scheme.accepting_requests or scheme.offer.status != OfferStatus.PUBLISHED:
        raise OneToOneError("This scheme isn't taking new requests at the moment. Please try another offer.")
    if MatchRequest.objects.filter(seeker=actor, scheme=scheme, status=MatchRequestStatus.OPEN).exists():
        raise OneToOneError("You've already asked this scheme for a match. We'll be in touch.", code="duplicate")
    if len(about) > 2000:
        raise OneToOneError("Please keep 'about you' to 2,000 characters or fewer.")
    if max_distance_km is not None and not 1 <= max_distance_km <= 500:
        raise OneToOneError("Please give a distance between 1 and 500 km, or leave it empty.")
    chosen_channels = [c for c in channels or [] if c in Channel.values and c in scheme.channels]
    ratelimit.check("match_request", str(actor.pk))
    lat, lon = _locate(postcode.strip())
    try:
        with transaction.atomic(durable=True):
            request = MatchRequest.objects.create(
                seeker=actor,
                scheme=scheme,
                about=about.strip(),
                experience_tags=experience_tags.strip()[:300],
                interest_tags=interest_tags.strip()[:300],
                value_tags=value_tags.strip()[:300],
                identity=_clean_identity(identity),
                preferences=_clean_preferences(preferences),
                languages=languages.strip()[:200] or "English",
                channels=chosen_channels,
                availability=_clean_slots(availability or []),
                postcode=postcode.strip()[:10],
                latitude=lat,
                longitude=lon,
                max_distance_km=max_distance_km,
            )
            reach.send_to_team(
                people=coordinators_of(scheme.organisation),
                kind=messages.MATCH_REQUEST,
                sender=actor,
                title=f"A new request for {scheme.title}",
                url=_url("onetoone:scheme_manage", public_id=scheme.public_id),
            )
    except IntegrityError as exc:
        raise OneToOneError(
            "You've already asked this scheme for a match. We'll be in touch.", code="duplicate"
        ) from exc
    return request


def match_request_withdraw(*, actor: User, request: MatchRequest) -> MatchRequest:
    if request.seeker_id != actor.pk:
        raise OneToOneError("Only the person who asked can withdraw a request.", code="forbidden")
    if request.status != MatchRequestStatus.OPEN:
        raise OneToOneError("This request is no longer open.")
    with transaction.atomic(durable=True):
        request.status = MatchRequestStatus.WITHDRAWN
        request.save(update_fields=["status", "updated_at"])
        Match.objects.filter(
            request=request,
            status__in=[
                MatchStatus.PROPOSED,
                MatchStatus.APPROVED,
                MatchStatus.ACCEPTED_BY_SUPPORTER,
                MatchStatus.ACCEPTED_BY_SEEKER,
            ],
        ).update(status=MatchStatus.WITHDRAWN)
    return request


def match_request_again(*, actor: User, match: Match) -> MatchRequest:
    """After a match ends or doesn't go ahead, ask for a new one with the same wishes."""
    if match.seeker_id != actor.pk:
        raise OneToOneError("Only the person who asked can ask again.", code="forbidden")
    if match.status not in (MatchStatus.ENDED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN):
        raise OneToOneError("This match is still going.")
    old = match.request
    if MatchRequest.objects.filter(seeker=actor, scheme=match.scheme, status=MatchRequestStatus.OPEN).exists():
        raise OneToOneError("You already have an open request with this scheme.", code="duplicate")
    return match_request_create(
        actor=actor,
        scheme=match.scheme,
        about=old.about if old else "",
        experience_tags=old.experience_tags if old else "",
        interest_tags=old.interest_tags if old else "",
        value_tags=old.value_tags if old else "",
        identity=old.identity if old else None,
        preferences=old.preferences if old else None,
        languages=old.languages if old else "English",
        channels=old.channels if old else None,
        availability=old.availability if old else None,
        postcode=old.postcode if old else "",
        max_distance_km=old.max_distance_km if old else None,
    )


# --- matches --------------------------------------------------------------------------------------------------------


def _at_capacity_message(profile: SupporterProfile, load: int, *, proposal: bool = True) -> str:
    name = profile.user.display_name
    instead = (
        "You could set this proposal aside so the person can be matched with someone else, or wait until a place "
        "frees up."
        if proposal
        else "Please choose another supporter, or wait until a place frees up."
    )
    return (
        f"{name} has said they can support {profile.capacity} {'person' if profile.capacity == 1 else 'people'} "
        f"at a time, and already has {load}. We won't add more than they chose, to protect them from overload. "
        + instead
    )


def _check_pair(request: MatchRequest, profile: SupporterProfile, *, over_cap_reason: str = "") -> Any:
    """Hard constraints for one pair, with the explanation to store. Raises with a plain reason."""
    from .matching.adapter import declined_pairs, scheme_index, seeker_person

    scheme = request.scheme
    if profile.scheme_id != scheme.pk:
        raise OneToOneError("That supporter isn't part of this scheme.")
    if profile.user_id == request.seeker_id:
        raise OneToOneError("Someone can't be matched with themselves.")
    if (request.seeker_id, profile.user_id) in declined_pairs(scheme):
        raise OneToOneError(
            "These two have already been matched or said no to each other, so they won't be matched again."
        )
    if profile.status != SupporterStatus.AVAILABLE:
        raise OneToOneError("This supporter isn't taking new matches at the moment.")
    load = live_load(profile.user, scheme)
    if load >= profile.capacity:
        raise OneToOneError(_at_capacity_message(profile, load, proposal=False), code="capacity")
    if scheme.caseload_cap and load >= scheme.caseload_cap and not over_cap_reason:
        raise OneToOneError(
            f"This worker is at the caseload cap of {scheme.caseload_cap}. To go past it, please record why.",
            code="cap",
        )
    index = scheme_index(scheme, extra_corpus=[request.about])
    seeker = seeker_person(request)
    position = index.position.get(profile.user_id)
    if position is None:
        raise OneToOneError("This supporter isn't taking new matches at the moment.")
    _scores, feasible = index.score_block([seeker])
    if not feasible[0, position]:
        raise OneToOneError(
            "This pairing doesn't meet the person's essentials (language, a 'must' wish, how to meet, or distance)."
        )
    return index.explain(seeker, index.supporters[position])


def _caseload(user: User, scheme: Scheme) -> int:
    return Match.objects.filter(scheme=scheme, supporter=user, status__in=LIVE_MATCH_STATUSES).count()


def match_propose(
    *, actor: User, request: MatchRequest, profile: SupporterProfile, cap_override_reason: str = ""
) -> Match:
    """A coordinator proposes a pair (or the batch does). It is checked by a coordinator before anyone is told."""
    scheme = request.scheme
    require_coordinator(actor, scheme.organisation, error=OneToOneError)
    if request.status != MatchRequestStatus.OPEN:
        raise OneToOneError("This request is no longer open.")
    if Match.objects.filter(request=request, status__in=LIVE_MATCH_STATUSES).exists():
        raise OneToOneError("This person already has a match in progress.")
    reason = (cap_override_reason or "").strip()
    if scheme.caseload_cap and _caseload(profile.user, scheme) >= scheme.caseload_cap and not reason:
        raise OneToOneError(
            f"This worker is at the caseload cap of {scheme.caseload_cap}. To go past it, please record why.",
            code="cap",
        )
    explanation = _check_pair(request, profile, over_cap_reason=reason)
    with transaction.atomic(durable=True):
        match = Match.objects.create(
            scheme=scheme,
            request=request,
            seeker=request.seeker,
            supporter=profile.user,
            supporter_profile=profile,
            score=explanation.score,
            reasons=explanation.reasons,
            proposed_by=actor,
            cap_override_reason=reason[:500],
        )
        audit_record(
            actor=actor,
            action="onetoone.match_propose",
            subject=match,
            organisation=scheme.organisation,
            detail={"score": explanation.score, "cap_override": bool(reason)},
        )
    return match


def matching_run(*, actor: User, scheme: Scheme) -> list[Match]:
    """Batch matching for a scheme: proposals for every open request, for a coordinator to check."""
    from .matching.adapter import batch_assignment

    require_coordinator(actor, scheme.organisation, error=OneToOneError)
    pairs, _unmatched = batch_assignment(scheme)
    created = []
    with transaction.atomic(durable=True):
        # The assignment was computed outside the transaction: lock the supporters it uses and count again, so
        # proposals made meanwhile (by another coordinator or run) never take anyone past their capacity.
        profile_ids = sorted({pair.profile.pk for pair in pairs})
        locked = {p.pk: p for p in SupporterProfile.objects.select_for_update().filter(pk__in=profile_ids)}
        room = {pk: supporter_room(p, scheme) for pk, p in locked.items()}
        for pair in pairs:
            if room.get(pair.profile.pk, 0) <= 0 or locked[pair.profile.pk].status != SupporterStatus.AVAILABLE:
                _unmatched.append(pair.request)
                continue
            room[pair.profile.pk] -= 1
            created.append(
                Match.objects.create(
                    scheme=scheme,
                    request=pair.request,
                    seeker=pair.request.seeker,
                    supporter=pair.profile.user,
                    supporter_profile=pair.profile,
                    score=pair.explanation.score,
                    reasons=pair.explanation.reasons,
                    proposed_by=actor,
                )
            )
        audit_record(
            actor=actor,
            action="onetoone.matching_run",
            subject=scheme,
            organisation=scheme.organisation,
            detail={"proposed": len(created), "unmatched": len(_unmatched)},
        )
    return created


def match_choose(*, actor: User, request: MatchRequest, profile: SupporterProfile) -> Match:
    """In a scheme where people choose from suggestions: the person picks; the supporter is asked next."""
    scheme = request.scheme
    if request.seeker_id != actor.pk:
        raise OneToOneError("Only the person who asked can choose.", code="forbidden")
    if scheme.matching_mode != MatchingMode.CHOOSES:
        raise OneToOneError("In this scheme a coordinator suggests matches.")
    if request.status != MatchRequestStatus.OPEN:
        raise OneToOneError("This request is no longer open.")
    if Match.objects.filter(request=request, status__in=LIVE_MATCH_STATUSES).exists():
        raise OneToOneError("You've already chosen someone; they have been asked.")
    explanation = _check_pair(request, profile)
    now = timezone.now()
    with transaction.atomic(durable=True):
        match = Match.objects.create(
            scheme=scheme,
            request=request,
            seeker=actor,
            supporter=profile.user,
            supporter_profile=profile,
            score=explanation.score,
            reasons=explanation.reasons,
            proposed_by=actor,
            status=MatchStatus.ACCEPTED_BY_SEEKER,
            approved_at=now,
            seeker_accepted_at=now,
        )
        reach.send(
            to=profile.user,
            kind=messages.MATCH_OFFERED,
            sender=actor,
            title=f"Someone would like you as their {scheme.get_kind_display().lower()} supporter",
            body="Have a look and say whether you can. There's no pressure.",
            url=_url("onetoone:match", public_id=match.public_id),
            email=True,
        )
    return match


def _locked_match(match: Match) -> Match:
    # of=("self",): PostgreSQL can't lock the nullable side of the outer join to `request`.
    locked = Match.objects.select_for_update(of=("self",))
    return locked.select_related("scheme", "seeker", "supporter", "request").get(pk=match.pk)


def _check_room_to_approve(match: Match, reason: str) -> None:
    """Sending a proposal commits a place: never past the supporter's own capacity, and past a caseload cap only
    with a recorded reason. Locks the supporter's profile so two approvals can't both take the last place."""
    scheme = match.scheme
    profile = (
        SupporterProfile.objects.select_for_update()
        .select_related("user")
        .filter(user_id=match.supporter_id, scheme=scheme)
        .first()
    )
    if profile is None or profile.status != SupporterStatus.AVAILABLE:
        raise OneToOneError(
            f"{match.supporter.display_name} isn't taking new matches at the moment, so this proposal can't be sent. "
            "You could set it aside so the person can be matched with someone else.",
            code="capacity",
        )
    # Places already promised: everything sent, accepted or active (other proposals are only suggestions).
    committed = (
        Match.objects.filter(scheme=scheme, supporter_id=match.supporter_id, status__in=LIVE_MATCH_STATUSES)
        .exclude(status=MatchStatus.PROPOSED)
        .exclude(pk=match.pk)
        .count()
    )
    if committed >= profile.capacity:
        raise OneToOneError(_at_capacity_message(profile, committed), code="capacity")
    if scheme.caseload_cap and committed >= scheme.caseload_cap and not (reason or match.cap_override_reason):
        raise OneToOneError(
            f"{profile.user.display_name} is at the caseload cap of {scheme.caseload_cap}. To send this "
            "proposal anyway, please record why.",
            code="cap",
        )


def match_approve(*, actor: User, match: Match, cap_override_reason: str = "") -> Match:
    """A coordinator sends a proposal to both people. Nothing is shared until both accept."""
    require_coordinator(actor, match.scheme.organisation, error=OneToOneError)
    reason = (cap_override_reason or "").strip()[:500]
    with transaction.atomic(durable=True):
        match = _locked_match(match)
        if match.status != MatchStatus.PROPOSED:
            raise OneToOneError("This proposal has already been dealt with.")
        _check_room_to_approve(match, reason)
        match.status = MatchStatus.APPROVED
        match.approved_by = actor
        match.approved_at = timezone.now()
        fields = ["status", "approved_by", "approved_at"]
        if reason and not match.cap_override_reason:
            match.cap_override_reason = reason
            fields.append("cap_override_reason")
        match.save(update_fields=fields)
        url = _url("onetoone:match", public_id=match.public_id)
        reach.send(
            to=match.seeker,
            kind=messages.MATCH_OFFERED,
            about=[match.supporter],
            title=f"A possible match for you in {match.scheme.title}",
            body="Have a look at why we think you might get on, and say whether you'd like to go ahead.",
            url=url,
            email=True,
        )
        reach.send(
            to=match.supporter,
            kind=messages.MATCH_OFFERED,
            about=[match.seeker],
            title=f"A possible match for you to support in {match.scheme.title}",
            body="Have a look and say whether you can. There's no pressure.",
            url=url,
            email=True,
        )
        audit_record(
            actor=actor, action="onetoone.match_approve", subject=match, organisation=match.scheme.organisation
        )
    return match


def match_withdraw(*, actor: User, match: Match) -> Match:
    """A coordinator decides not to send a proposal; the pair won't be proposed again."""
    require_coordinator(actor, match.scheme.organisation, error=OneToOneError)
    with transaction.atomic(durable=True):
        match = _locked_match(match)
        if match.status != MatchStatus.PROPOSED:
            raise OneToOneError("Only a proposal that hasn't been sent can be set aside.")
        match.status = MatchStatus.WITHDRAWN
        match.save(update_fields=["status"])
        DeclinedPair.objects.get_or_create(scheme=match.scheme, seeker=match.seeker, supporter=match.supporter)
        audit_record(
            actor=actor, action="onetoone.match_withdraw", subject=match, organisation=match.scheme.organisation
        )
    return match


def _activate(match: Match) -> None:
    match.status = MatchStatus.ACTIVE
    match.activated_at = timezone.now()
    match.save(update_fields=["status", "activated_at"])
    if match.request_id:
        MatchRequest.objects.filter(pk=match.request_id).update(status=MatchRequestStatus.MATCHED)
    conversation, _ = Conversation.objects.get_or_create(match=match)
    _conversation_open(conversation, [match.seeker, match.supporter])
    organisation = match.scheme.organisation
    engagement_record(
        person=match.seeker,
        subject=match,
        form=Form.ONE_TO_ONE,
        role=EngagementRole.RECEIVING,
        organisation=organisation,
    )
    engagement_record(
        person=match.supporter,
        subject=match,
        form=Form.ONE_TO_ONE,
        role=EngagementRole.GIVING,
        organisation=organisation,
    )
    url = _url("onetoone:conversation", public_id=conversation.public_id)
    for person, other in ((match.seeker, match.supporter), (match.supporter, match.seeker)):
        reach.send(
            to=person,
            kind=messages.MATCH_ACTIVE,
            about=[other],
            title=f"You and {other.display_name} are matched",
            body="You can now send each other messages in Kindred.",
            url=url,
            email=True,
        )


def match_respond(*, actor: User, match: Match, accept: bool) -> Match:
    """The person or the supporter says yes or no. Contact opens only when both have said yes."""
    with transaction.atomic(durable=True):
        match = _locked_match(match)
        sides = {match.seeker_id: "seeker", match.supporter_id: "supporter"}
        side = sides.get(actor.pk)
        if side is None:
            raise OneToOneError("Only the two people in a match can answer it.", code="forbidden")
        answered = {
            "seeker": (MatchStatus.ACCEPTED_BY_SEEKER,),
            "supporter": (MatchStatus.ACCEPTED_BY_SUPPORTER,),
        }[side]
        if match.status not in (
            MatchStatus.APPROVED,
            MatchStatus.ACCEPTED_BY_SEEKER,
            MatchStatus.ACCEPTED_BY_SUPPORTER,
        ) or (match.status in answered):
            raise OneToOneError("This match isn't waiting for your answer.")
        now = timezone.now()
        if not accept:
            match.status = MatchStatus.DECLINED
            match.declined_by = actor
            match.save(update_fields=["status", "declined_by"])
            DeclinedPair.objects.get_or_create(scheme=match.scheme, seeker=match.seeker, supporter=match.supporter)
            # Gently: the seeker hears that the search goes on, never "they said no".
            if side == "supporter":
                reach.send(
                    to=match.seeker,
                    kind=messages.MATCH_REMATCHING,
                    title=f"We're still looking for the right match for you in {match.scheme.title}",
                    body="The coordinator will be in touch with another suggestion.",
                    url=_url("onetoone:requests"),
                )
            reach.send_to_team(
                people=coordinators_of(match.scheme.organisation),
                kind=messages.MATCH_DECLINED,
                title=f"A match in {match.scheme.title} won't go ahead; the person needs another suggestion",
                url=_url("onetoone:scheme_manage", public_id=match.scheme.public_id),
            )
            return match
        if side == "seeker":
            match.seeker_accepted_at = now
        else:
            match.supporter_accepted_at = now
        if match.seeker_accepted_at and match.supporter_accepted_at:
            match.save(update_fields=["seeker_accepted_at", "supporter_accepted_at"])
            _activate(match)
        else:
            match.status = MatchStatus.ACCEPTED_BY_SEEKER if side == "seeker" else MatchStatus.ACCEPTED_BY_SUPPORTER
            match.save(update_fields=["status", "seeker_accepted_at", "supporter_accepted_at"])
    return match


def _match_close(match: Match, *, actor: User, reason: str) -> None:
    match.status = MatchStatus.ENDED
    match.ended_at = timezone.now()
    match.ended_by = actor
    match.end_reason = reason
    match.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    # A new match after an ending means someone new: the pair isn't proposed again.
    DeclinedPair.objects.get_or_create(scheme=match.scheme, seeker=match.seeker, supporter=match.supporter)
    end_reason = EndReason.COMPLETED if reason == MatchEndReason.COMPLETED else EndReason.MOVED_ON
    if reason == MatchEndReason.OTHER or reason == MatchEndReason.NOT_RIGHT:
        end_reason = EndReason.OTHER
    for person in (match.seeker, match.supporter):
        engagement_end(person=person, subject=match, reason=end_reason, form=Form.ONE_TO_ONE)
    other = match.supporter if actor.pk == match.seeker_id else match.seeker
    reach.send(
        to=other,
        kind=messages.MATCH_ENDED,
        sender=actor,
        title=f"Your match in {match.scheme.title} has come to an end",
        body="Thank you for the time you spent together. Your messages stay with you to read.",
        url=_url("onetoone:match", public_id=match.public_id),
        email=True,
    )


def match_end(*, actor: User, match: Match, reason: str = MatchEndReason.COMPLETED) -> Match:
    if reason not in MatchEndReason.values:
        raise OneToOneError("Please choose a reason for ending.")
    allowed = actor.pk in (match.seeker_id, match.supporter_id) or is_coordinator(actor, match.scheme.organisation)
    if not allowed:
        raise OneToOneError("Only the people in a match, or its coordinator, can end it.", code="forbidden")
    with transaction.atomic(durable=True):
        match = _locked_match(match)
        if match.status != MatchStatus.ACTIVE:
            raise OneToOneError("Only an active match can be ended.")
        _match_close(match, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            action="onetoone.match_end",
            subject=match,
            organisation=match.scheme.organisation,
            detail={"reason": reason},
        )
    return match


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- when a person deletes their account ------------------------------------------------------------------------


def shared_records_end_for(person: User) -> None:
    """Account deletion (run by the person's eraser, inside the deletion's transaction): what they shared with
    someone else stays with that person, ended, and shown as with "a former member" — open connections end, live
    matches end (or are withdrawn if they never started) and their supervision stops. Their messages to others stay;
    their own notes, requests and supporter profiles go with their account.
    """
    now = timezone.now()
    Connection.objects.filter(Q(requester=person) | Q(recipient=person), status__in=OPEN_CONNECTION_STATUSES).update(
        status=ConnectionStatus.ENDED, ended_at=now, ended_by=None
    )
    live = Match.objects.filter(Q(seeker=person) | Q(supporter=person), status__in=LIVE_MATCH_STATUSES)
    live.filter(status=MatchStatus.ACTIVE).update(
        status=MatchStatus.ENDED, ended_at=now, ended_by=None, end_reason=MatchEndReason.OTHER
    )
    live.exclude(status=MatchStatus.ACTIVE).update(status=MatchStatus.WITHDRAWN)
    SupervisionAssignment.objects.filter(Q(supervisor=person) | Q(supervisee=person), ended_at__isnull=True).update(
        ended_at=now
    )


def _offer_slug_taken(slug: str) -> bool:
    return Offer.objects.filter(slug=slug).exists()
