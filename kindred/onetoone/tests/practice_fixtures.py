"""Shared set-up for the sessions, practice and supervision tests: a PSW scheme with an active match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from kindred.onetoone import services
from kindred.onetoone.models import Match, MatchStatus, Scheme, SchemeKind, SupervisionAssignment
from kindred.testing.personas import PASSWORD, Personas


@dataclass
class World:
    p: Personas
    scheme: Scheme
    match: Match  # personas.psw supports personas.member; personas.supervisor supervises the PSW


def make_scheme(personas: Personas, *, organisation: Any = None, **kwargs: Any) -> Scheme:
    organisation = organisation or personas.organisation
    coordinator = personas.coordinator if organisation == personas.organisation else personas.outside_coordinator
    fields = {
        "title": "Riverside Peer Support Workers",
        "summary": "One-to-one support from a peer support worker.",
        "kind": SchemeKind.PSW,
        "channels": ["in_person", "phone", "video", "messages"],
        **kwargs,
    }
    return services.scheme_create(actor=coordinator, organisation=organisation, **fields)


def make_active_match(scheme: Scheme, *, seeker: Any, supporter: Any) -> Match:
    now = timezone.now()
    return Match.objects.create(
        scheme=scheme,
        seeker=seeker,
        supporter=supporter,
        status=MatchStatus.ACTIVE,
        approved_at=now - timedelta(days=30),
        seeker_accepted_at=now - timedelta(days=30),
        supporter_accepted_at=now - timedelta(days=30),
        activated_at=now - timedelta(days=30),
    )


def make_world(personas: Personas, **scheme_kwargs: Any) -> World:
    scheme = make_scheme(personas, **scheme_kwargs)
    match = make_active_match(scheme, seeker=personas.member, supporter=personas.psw)
    SupervisionAssignment.objects.create(
        organisation=personas.organisation, supervisor=personas.supervisor, supervisee=personas.psw
    )
    return World(p=personas, scheme=scheme, match=match)


def login(client: Any, user: Any) -> Any:
    assert client.login(email=user.email, password=PASSWORD)
    return client


def local_input(dt: Any) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")
