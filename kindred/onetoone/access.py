"""Fetch one-to-one things only through these. Outsiders get 404 (never learning a thing exists); people who may
see but not act get 403. Coordinators never read conversations: those belong to the two people in them."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from kindred.accounts.models import User
from kindred.directory.models import OfferStatus
from kindred.organisations.models import Membership
from kindred.organisations.selectors import is_coordinator

from .models import Connection, Conversation, Match, MatchRequest, Scheme, SupporterProfile


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404("Not found.") from None


def get_connection_for(user: User, public_id: object) -> Connection:
    connection = (
        Connection.objects.filter(public_id=_uuid(public_id))
        .filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .first()
    )
    if connection is None:
        raise Http404("No such connection.")
    return connection


def get_conversation_for(user: User, public_id: object) -> Conversation:
    conversation = (
        Conversation.objects.filter(public_id=_uuid(public_id), participants__user=user)
        .select_related("connection", "match", "match__scheme")
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def get_person_for(user: User, public_id: object) -> User:
    """Someone the viewer shares an organisation with (whom they could have met in a group or online)."""
    theirs = Membership.objects.filter(user=user).values("organisation")
    person = (
        User.objects.filter(public_id=_uuid(public_id), is_active=True, memberships__organisation__in=theirs)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def can_manage_scheme(user: User, scheme: Scheme) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or is_coordinator(user, scheme.organisation)))


def get_scheme_for(user: User, public_id: object, *, manage: bool = False) -> Scheme:
    scheme = Scheme.objects.filter(public_id=_uuid(public_id)).select_related("offer", "organisation").first()
    if scheme is None:
        raise Http404("No such scheme.")
    manager = can_manage_scheme(user, scheme)
    if manage:
        if manager:
            return scheme
        insider = Membership.objects.filter(user=user, organisation=scheme.organisation).exists()
        if insider:
            raise PermissionDenied("Only a coordinator of this organisation can do that.")
        raise Http404("No such scheme.")
    if scheme.offer.status != OfferStatus.PUBLISHED and not manager:
        raise Http404("No such scheme.")
    return scheme


def get_match_for(user: User, public_id: object, *, manage: bool = False) -> Match:
    match = (
        Match.objects.filter(public_id=_uuid(public_id))
        .select_related("scheme", "scheme__offer", "scheme__organisation", "seeker", "supporter", "supporter_profile")
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    party = user.pk in (match.seeker_id, match.supporter_id)
    manager = can_manage_scheme(user, match.scheme)
    if manage:
        if manager:
            return match
        if party:
            raise PermissionDenied("Only a coordinator can do that.")
        raise Http404("No such match.")
    if party or manager:
        # Proposals are the coordinator's until they are sent.
        if party and not manager and match.status in ("proposed",):
            raise Http404("No such match.")
        if party and not manager and match.status == "withdrawn" and match.approved_at is None:
            raise Http404("No such match.")
        return match
    raise Http404("No such match.")


def get_request_for(user: User, public_id: object, *, manage: bool = False) -> MatchRequest:
    request = (
        MatchRequest.objects.filter(public_id=_uuid(public_id))
        .select_related("scheme", "scheme__offer", "scheme__organisation", "seeker")
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    manager = can_manage_scheme(user, request.scheme)
    if manage:
        if manager:
            return request
        if request.seeker_id == user.pk:
            raise PermissionDenied("Only a coordinator can do that.")
        raise Http404("No such request.")
    if request.seeker_id == user.pk or manager:
        return request
    raise Http404("No such request.")


def get_supporter_profile_for(user: User, public_id: object) -> SupporterProfile:
    profile = SupporterProfile.objects.filter(public_id=_uuid(public_id), user=user).select_related("scheme").first()
    if profile is None:
        raise Http404("No such supporter profile.")
    return profile


def get_scheme_supporter_for(user: User, scheme: Scheme, public_id: object) -> SupporterProfile:
    """A supporter of a scheme, for its coordinator (e.g. to propose a match)."""
    if not can_manage_scheme(user, scheme):
        raise Http404("No such supporter.")
    profile = SupporterProfile.objects.filter(public_id=_uuid(public_id), scheme=scheme).select_related("user").first()
    if profile is None:
        raise Http404("No such supporter.")
    return profile
