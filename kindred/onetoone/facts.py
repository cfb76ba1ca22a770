"""What one-to-one support tells the shared layer and the directory: who supports whom (a supporter in an active
match, someone connected), which listings are schemes someone at home can use or that look for volunteers, and
what such a scheme is in a few words.

Registered when the app loads (see apps.py); read through `kindred.commons.relations` and
`kindred.directory.form_facts`, never directly by another app.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kindred.accounts.models import User
from kindred.commons import relations
from kindred.commons.models import Engagement
from kindred.commons.relations import Supporter
from kindred.directory import form_facts
from kindred.directory.form_facts import OfferFacts
from kindred.directory.models import Delivery, Offer, OfferKind

from .models import Connection, ConnectionStatus, Match, MatchStatus, SchemeKind

# How the person would name their supporter, by the kind of one-to-one scheme.
SUPPORTER_WORDS: dict[str, str] = {
    SchemeKind.BEFRIENDING: "Your befriender",
    SchemeKind.MENTORING: "Your peer mentor",
    SchemeKind.PEN_FRIENDS: "Your pen-friend",
    SchemeKind.PSW: "Your peer support worker",
}


def supporters_of(person: User) -> list[Supporter]:
    """Their supporter in each active match, then the people they are connected with."""
    found: list[Supporter] = []
    for match in (
        Match.objects.filter(seeker=person, status=MatchStatus.ACTIVE)
        .select_related("supporter", "scheme__offer")
        .order_by("activated_at", "id")
    ):
        if match.supporter is None:  # they deleted their account
            continue
        role = SUPPORTER_WORDS.get(match.scheme.kind, "Your supporter")
        found.append(Supporter(match.supporter, f"{role} in {match.scheme.offer.title}"))
    for connection in (
        Connection.objects.filter(Q(requester=person) | Q(recipient=person), status=ConnectionStatus.ACCEPTED)
        .select_related("requester", "recipient")
        .order_by("created_at", "id")
    ):
        other = connection.recipient if connection.requester_id == person.pk else connection.requester
        if other is None:
            continue
        found.append(Supporter(other, "Someone you are connected with"))
    return found


def supported_by(supporter: User) -> set[int]:
    matched = set(
        Match.objects.filter(supporter=supporter, status=MatchStatus.ACTIVE, seeker__isnull=False).values_list(
            "seeker_id", flat=True
        )
    )
    connected = set()
    for requester_id, recipient_id in Connection.objects.filter(
        Q(requester=supporter) | Q(recipient=supporter), status=ConnectionStatus.ACCEPTED
    ).values_list("requester_id", "recipient_id"):
        connected.add(recipient_id if requester_id == supporter.pk else requester_id)
    return matched | connected


class SchemeOfferFacts(OfferFacts):
    def taken_by(self, person: User, engagements: Sequence[Engagement]) -> Q:
        content_type = ContentType.objects.get_for_model(Match).pk
        ids = [e.subject_id for e in engagements if e.subject_type_id == content_type and e.ended_at is None]
        return Q(scheme__matches__pk__in=ids)

    def from_home(self) -> Q:
        return Q(kind=OfferKind.SCHEME, delivery=Delivery.PHONE) | Q(
            kind=OfferKind.SCHEME,
            scheme__kind=SchemeKind.BEFRIENDING,
            delivery__in=[Delivery.PHONE, Delivery.VIDEO],
        )

    def describe_from_home(self, offer: Offer) -> str | None:
        if offer.kind != OfferKind.SCHEME:
            return None
        how = "by video" if offer.delivery == Delivery.VIDEO else "by phone"
        scheme = getattr(offer, "scheme", None)  # a listed scheme without a Kindred scheme behind it has none
        if scheme is None or scheme.kind == SchemeKind.BEFRIENDING:
            return f"befriending {how}"
        return f"{scheme.get_kind_display().lower()} {how}"

    def volunteering(self) -> Q:
        return Q(kind=OfferKind.SCHEME, scheme__accepting_requests=True) & ~Q(scheme__kind=SchemeKind.PSW)


def register() -> None:
    relations.register_supporters(supporters_of, supported_by)
    form_facts.register(SchemeOfferFacts())
