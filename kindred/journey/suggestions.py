"""Gentle, explainable suggestions of other forms of support, drawn from the directory.

Each rule looks at the person's own journey (engagements, status, housebound flag) and proposes a few listed
offers, saying why in plain words. Nothing here is shown to anyone but the person; a dismissed suggestion (keyed by
rule and offer) never comes back. Things the person is already in, closed or archived offers and offers they can't
see are never suggested. A fixed number of queries, whatever the length of the journey.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons.models import Engagement, EngagementRole, Form
from kindred.directory import form_facts
from kindred.directory.models import Delivery, Offer, OfferKind, OfferStatus

from .models import JourneyStatus
from .selectors import CurrentStatus, dismissed_keys

READING_FOR = timedelta(days=90)  # "reading online for months"
PER_RULE = 3
CACHE_SECONDS = 300


class Rule:
    READING_TO_GROUP = "reading-group"
    HOUSEBOUND = "from-home"
    GROUP_CLOSED = "group-closed"
    GIVE_BUDDY = "give-buddy"
    GIVE_REPLY = "give-reply"
    GIVE_VOLUNTEER = "give-volunteer"


@dataclass(frozen=True)
class Suggestion:
    key: str  # "<rule>:<public id>", stable, what a dismissal stores
    rule: str
    title: str
    reason: str  # why, in plain words
    url: str
    action: str  # the link's words
    organisation: str


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%B %Y")


def _listed() -> QuerySet[Offer]:
    """Offers anyone may see and join: published, and open to join as each form says (not a closing, closed or
    private group, not an archived space)."""
    return Offer.objects.filter(Q(status=OfferStatus.PUBLISHED), form_facts.open_to_join()).select_related(
        "organisation"
    )


def _offer_suggestion(rule: str, offer: Offer, reason: str, action: str = "Find out more") -> Suggestion:
    return Suggestion(
        key=f"{rule}:{offer.public_id}",
        rule=rule,
        title=offer.title,
        reason=reason,
        url=reverse("directory:offer", args=[offer.slug]),
        action=action,
        organisation=offer.organisation.name,
    )


def _offers_already_in(person: User, engagements: list[Engagement]) -> set[int]:
    """Offer ids behind the person's open engagements, as the listing itself or as each form says (one query)."""
    offer_type = ContentType.objects.get_for_model(Offer).pk
    offer_ids = {
        int(e.subject_id)
        for e in engagements
        if e.subject_type_id == offer_type and e.ended_at is None and e.subject_id.isdigit()
    }
    found = Offer.objects.filter(Q(pk__in=offer_ids) | form_facts.taken_by(person, engagements))
    return set(found.values_list("pk", flat=True))


def _fingerprint(person: User, engagements: list[Engagement], status: CurrentStatus) -> str:
    """Changes whenever anything the rules read about the person changes (not the directory: see CACHE_SECONDS)."""
    latest = max((max(e.last_active_at, e.ended_at or e.last_active_at) for e in engagements), default=None)
    parts = (
        person.pk,
        len(engagements),
        max((e.pk for e in engagements), default=0),
        latest.isoformat() if latest else "",
        sum(1 for e in engagements if e.ended_at is None),
        status.status,
        status.since.isoformat() if status.since else "",
        status.housebound,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def suggestions_for(
    person: User,
    *,
    engagements: list[Engagement],
    status: CurrentStatus,
    now: datetime | None = None,
    use_cache: bool = True,
) -> list[Suggestion]:
    """The person's suggestions, without the ones they dismissed.

    The rules' answer is cached for a few minutes per person, keyed on what the rules read about them, so a change
    of status or a new engagement shows at once; new or closed offers in the directory show within CACHE_SECONDS.
    Dismissals are applied after the cache, so "not for me" always takes effect immediately.
    """
    dismissed = dismissed_keys(person)
    key = f"journey:suggestions:{_fingerprint(person, engagements, status)}"
    found = cache.get(key) if use_cache else None
    if found is None:
        found = _suggest(person, engagements=engagements, status=status, now=now or timezone.now())
        if use_cache:
            cache.set(key, found, CACHE_SECONDS)
    return [s for s in found if s.key not in dismissed]


def _suggest(
    person: User,
    *,
    engagements: list[Engagement],
    status: CurrentStatus,
    now: datetime,
) -> list[Suggestion]:
    taken = _offers_already_in(person, engagements)
    visible = form_facts.visible_to(person)  # once, not per rule
    out: list[Suggestion] = []
    seen: set[str] = set()

    def add(suggestion: Suggestion) -> None:
        if suggestion.key in seen:
            return
        seen.add(suggestion.key)
        out.append(suggestion)

    def candidates(offers: QuerySet[Offer]) -> QuerySet[Offer]:
        return offers.filter(visible).exclude(pk__in=taken)

    my_orgs = {e.organisation_id for e in engagements if e.organisation_id}

    # (a) Only reading online, for months, and never a group: a group you can join from home, where you can just
    # listen. "Only reading": still reading somewhere, and never posted (posting is recorded as receiving or giving).
    online = [e for e in engagements if e.form == Form.ONLINE]
    reading = [e for e in online if e.role == EngagementRole.READING]
    only_reading = bool(reading) and all(e.role == EngagementRole.READING for e in online)
    still_reading = any(e.ended_at is None for e in reading)
    ever_group = any(e.form == Form.GROUP for e in engagements)
    if only_reading and still_reading and not ever_group:
        since = min(e.started_at for e in reading)
        if now - since >= READING_FOR:
            offers = candidates(_listed().filter(kind=OfferKind.GROUP, delivery__in=[Delivery.HYBRID, Delivery.VIDEO]))
            ranked = sorted(
                offers[:20],
                key=lambda o: (
                    o.organisation_id not in my_orgs,
                    o.delivery != Delivery.HYBRID,  # hybrid first: from home now, in the room later if they like
                    not o.can_just_listen,
                    o.title,
                ),
            )
            for offer in ranked[:PER_RULE]:
                listen = " You can just listen." if offer.can_just_listen else ""
                how = "by video" if offer.delivery == Delivery.VIDEO else "in person or by video"
                add(
                    _offer_suggestion(
                        Rule.READING_TO_GROUP,
                        offer,
                        f"Because you've been reading online since {_month(since)} and haven't tried a group yet, "
                        f"a group you can join {how} might be a gentle next step.{listen}",
                    )
                )

    # (b) Mostly at home: an online space, or befriending by phone.
    if status.housebound:
        offers = candidates(_listed().filter(form_facts.from_home()).select_related("scheme"))
        ranked = sorted(
            offers[:20], key=lambda o: (o.organisation_id not in my_orgs, o.kind != OfferKind.SCHEME, o.title)
        )
        for offer in ranked[:PER_RULE]:
            what = form_facts.describe_from_home(offer)
            add(
                _offer_suggestion(
                    Rule.HOUSEBOUND,
                    offer,
                    f"Because you said you're mostly at home at the moment, this is {what} — "
                    "something you can do without going out.",
                )
            )

    # (c) A group they went to closed: groups of a similar kind (same organisation, area or topic).
    closed_places = form_facts.closed_places(engagements)
    if closed_places:
        similar = Q()
        for place in closed_places:
            similar |= Q(organisation_id=place.offer.organisation_id)
            if place.offer.town:
                similar |= Q(town__iexact=place.offer.town)
            if place.offer.region:
                similar |= Q(region__iexact=place.offer.region)
            if place.offer.experience_focus:
                similar |= Q(experience_focus__iexact=place.offer.experience_focus)
        closed_offer_ids = set().union(*(place.offer_ids for place in closed_places))
        offers = list(
            candidates(_listed().filter(kind=OfferKind.GROUP).filter(similar).exclude(pk__in=closed_offer_ids))[:30]
        )
        for place in closed_places:
            closed = place.offer

            def score(offer: Offer, closed: Offer = closed) -> tuple[int, str]:
                points = 0
                points += (
                    3
                    if closed.experience_focus and offer.experience_focus.lower() == closed.experience_focus.lower()
                    else 0
                )
                points += 2 if offer.organisation_id == closed.organisation_id else 0
                points += 1 if closed.town and offer.town.lower() == closed.town.lower() else 0
                return (-points, offer.title)

            for offer in sorted(offers, key=score)[:PER_RULE]:
                why = []
                if closed.experience_focus and offer.experience_focus.lower() == closed.experience_focus.lower():
                    why.append(f"is also for people with experience of {offer.experience_focus}")
                if offer.organisation_id == closed.organisation_id:
                    why.append(f"is run by {offer.organisation.name} too")
                if closed.town and offer.town.lower() == closed.town.lower():
                    why.append(f"meets in {offer.town}")
                elif closed.region and offer.region.lower() == closed.region.lower():
                    why.append(f"is in the same area ({offer.region})")
                when = f" in {_month(place.closed_at)}" if place.closed_at else ""
                add(
                    _offer_suggestion(
                        Rule.GROUP_CLOSED,
                        offer,
                        f"Because {place.name} closed{when}, here is another group that {_and(why) or 'is similar'}.",
                    )
                )

    # (d) Able to give support: first small steps into giving, from each form, then volunteering.
    if status.status == JourneyStatus.ABLE_TO_GIVE:
        since = f" since {_month(status.since)}" if status.since else ""
        for way in form_facts.ways_to_give(person, now=now, limit=PER_RULE):
            add(
                Suggestion(
                    key=way.key,
                    rule=way.rule,
                    title=way.title,
                    reason=f"Because you've said you're able to give support{since}{way.reason}",
                    url=way.url,
                    action=way.action,
                    organisation=way.organisation,
                )
            )
        volunteering = candidates(_listed().filter(form_facts.volunteering()))
        ranked = sorted(volunteering[:20], key=lambda o: (o.organisation_id not in my_orgs, o.title))
        for offer in ranked[:2]:
            add(
                _offer_suggestion(
                    Rule.GIVE_VOLUNTEER,
                    offer,
                    f"Because you've said you're able to give support{since}: {offer.title} looks for volunteers "
                    "to befriend or mentor someone, with training and support from the organisation.",
                    action="Find out about volunteering",
                )
            )
    return out
