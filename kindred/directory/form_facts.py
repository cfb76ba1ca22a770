"""What each form tells the directory about its listings, so that journey suggestions read no form's tables.

A form (groups, one-to-one, online) subclasses `OfferFacts`, overriding only what it knows, and registers an
instance when its app loads (`register(GroupOfferFacts())`). Every `Q` here filters `directory.Offer`.

- `open_to_join()`: which of this form's listings can be joined now (a group still meeting and public, a space
  still open). Listings of other forms pass: the conditions of every form are combined with AND.
- `visible_to(person)`: which of this form's listings the person may see (an invite-only space they can't read is
  never suggested). Combined with AND too.
- `taken_by(person, engagements)`: the listings behind places the person is already in. Combined with OR.
- `from_home()` / `describe_from_home(offer)`: listings someone mostly at home can use, and what one is in a few
  words.
- `volunteering()`: listings looking for volunteers.
- `closed_places(engagements)`: places the person went to that have closed, with their listing, newest first.
- `ways_to_give(person, now=, limit=)`: small first steps into giving support that this form can offer the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from kindred.accounts.models import User
from kindred.commons.models import Engagement

from .models import Offer

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ClosedPlace:
    name: str
    closed_at: datetime | None
    offer: Offer  # its listing, for finding similar ones
    offer_ids: frozenset[int]  # listings never to suggest instead of it (itself)


@dataclass(frozen=True)
class WayToGive:
    key: str  # "<rule>:<public id>", stable: what a dismissal stores
    rule: str
    title: str
    reason: str  # follows "Because you've said you're able to give support (since …)", with its own joining words
    url: str
    action: str
    organisation: str


class OfferFacts:
    """The defaults: a form that knows nothing about a question leaves the answer to the others."""

    def open_to_join(self) -> Q:
        return Q()

    def visible_to(self, person: User) -> Q:
        return Q()

    def taken_by(self, person: User, engagements: Sequence[Engagement]) -> Q:
        return NOTHING

    def from_home(self) -> Q:
        return NOTHING

    def describe_from_home(self, offer: Offer) -> str | None:
        return None

    def volunteering(self) -> Q:
        return NOTHING

    def closed_places(self, engagements: Sequence[Engagement]) -> list[ClosedPlace]:
        return []

    def ways_to_give(self, person: User, *, now: datetime, limit: int) -> list[WayToGive]:
        return []


_registered: list[OfferFacts] = []


def register(facts: OfferFacts) -> None:
    if not any(type(known) is type(facts) for known in _registered):
        _registered.append(facts)


def registered() -> list[OfferFacts]:
    return list(_registered)


def open_to_join() -> Q:
    found = Q()
    for facts in _registered:
        found &= facts.open_to_join()
    return found


def visible_to(person: User) -> Q:
    found = Q()
    for facts in _registered:
        found &= facts.visible_to(person)
    return found


def taken_by(person: User, engagements: Sequence[Engagement]) -> Q:
    found = NOTHING
    for facts in _registered:
        found |= facts.taken_by(person, engagements)
    return found


def from_home() -> Q:
    found = NOTHING
    for facts in _registered:
        found |= facts.from_home()
    return found


def describe_from_home(offer: Offer) -> str:
    for facts in _registered:
        words = facts.describe_from_home(offer)
        if words:
            return words
    return "something you can do from home"


def volunteering() -> Q:
    found = NOTHING
    for facts in _registered:
        found |= facts.volunteering()
    return found


def closed_places(engagements: Sequence[Engagement]) -> list[ClosedPlace]:
    found = [place for facts in _registered for place in facts.closed_places(engagements)]
    return sorted(found, key=lambda p: (p.closed_at is None, -(p.closed_at.timestamp() if p.closed_at else 0)))


def ways_to_give(person: User, *, now: datetime, limit: int) -> list[WayToGive]:
    return [way for facts in _registered for way in facts.ways_to_give(person, now=now, limit=limit)]
