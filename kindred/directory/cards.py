"""Result cards for the search page: each card's lines worked out once, in Python.

The page used to work these out in the template, per result, through an include per card and another for the
times, with a dozen filters and `get_*_display` calls each: about a third of the page's time with twenty
results. Here they are plain strings (the template still escapes them), built with the same filters the
template used, so the page reads exactly as before. `offer_times.html` remains for the offer page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import TypedDict

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils.timezone import template_localtime

from .models import Offer, OfferKind, OfferTime
from .search import SearchResult


class ResultCard(TypedDict):
    """A dict rather than an object: the template engine tries `card[name]` before `getattr(card, name)`."""

    slug: str
    url: str
    title: str
    summary: str
    run_by: str
    what: str
    when: str
    where: str
    cost: str
    reasons: str  # "" when there is nothing to say


class _Formats:
    """The template filters the card used, remembered per value for one page (times repeat across a page)."""

    def __init__(self) -> None:
        self._times: dict[time, str] = {}
        self._dates: dict[datetime, str] = {}
        self._labels: dict[tuple[str, object], str] = {}
        # One reverse() per page: an offer's URL is the same apart from its slug (slugs need no quoting).
        head, _, tail = reverse("directory:offer", args=["slug-placeholder"]).partition("slug-placeholder")
        self._url = (head, tail)

    def time(self, value: time) -> str:
        if value not in self._times:
            self._times[value] = time_filter(value, "P")
        return self._times[value]

    def date(self, value: datetime) -> str:
        if value not in self._dates:
            self._dates[value] = date_filter(template_localtime(value), "l j F")  # as {{ value|date:"l j F" }}
        return self._dates[value]

    def label(self, instance: Offer | OfferTime, field: str) -> str:
        key = (field, getattr(instance, field))
        if key not in self._labels:
            self._labels[key] = getattr(instance, f"get_{field}_display")()
        return self._labels[key]

    def url(self, slug: str) -> str:
        return f"{self._url[0]}{slug}{self._url[1]}"


def times_text(
    offer: Offer, times: Sequence[OfferTime], next_at: datetime | None, formats: _Formats | None = None
) -> str:
    """What `directory/offer_times.html` says, as text."""
    if not times:
        if offer.kind == OfferKind.ONLINE_SPACE:
            return "Open any time"
        return "Arranged with you, at times that suit you both"
    f = formats or _Formats()
    parts = []
    for t in times:
        text = f"{f.label(t, 'weekday')}s, {f.time(t.starts_at)}"
        if t.ends_at:
            text += f" to {f.time(t.ends_at)}"
        if t.note:
            text += f" ({t.note})"
        parts.append(text)
    text = "; ".join(parts)
    if next_at:
        text += f" — next: {f.date(next_at)}"
    return text


def _where(offer: Offer, distance_km: float | None) -> str:
    if offer.town:
        text = f"{offer.venue_name}, {offer.town}" if offer.venue_name else offer.town
        if distance_km is not None:
            text += f" — about {floatformat(distance_km, 1)} km away"
        return text
    return "From wherever you are" if offer.is_online else "Ask for details"


def _cost(offer: Offer) -> str:
    if offer.is_free:
        return f"Free ({offer.cost})" if offer.cost and offer.cost.lower() != "free" else "Free"
    return offer.cost or "Ask about cost"


def result_card(result: SearchResult, formats: _Formats | None = None) -> ResultCard:
    f = formats or _Formats()
    offer = result.offer
    what = f.label(offer, "kind")
    if offer.scheme_type:
        what += f": {f.label(offer, 'scheme_type').lower()}"
    return {
        "slug": offer.slug,
        "url": f.url(offer.slug),
        "title": offer.title,
        "summary": offer.summary,
        "run_by": offer.organisation.name + (" (listed by a grassroots group)" if offer.is_grassroots else ""),
        "what": f"{what} · {f.label(offer, 'delivery')}",
        "when": times_text(offer, result.times, result.next_at, f),
        "where": _where(offer, result.distance_km),
        "cost": _cost(offer),
        "reasons": "; ".join(result.reasons),
    }


def result_cards(results: Sequence[SearchResult]) -> list[ResultCard]:
    formats = _Formats()
    return [result_card(result, formats) for result in results]
