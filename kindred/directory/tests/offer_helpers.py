"""Offers for the referral and listing tests (the offer factories and pages are the directory's)."""

from __future__ import annotations

import itertools
from typing import Any

from kindred.directory.models import Offer, OfferStatus
from kindred.organisations.models import Organisation

_numbers = itertools.count(1)


def make_offer(organisation: Organisation, **overrides: Any) -> Offer:
    n = next(_numbers)
    values: dict[str, Any] = {
        "slug": f"test-offer-{n}",
        "organisation": organisation,
        "kind": "group",
        "delivery": "in_person",
        "title": f"Thursday Evening Peer Support Group {n}",
        "summary": "A friendly group for anyone with experiences of mental or emotional distress.",
        "description": "We meet weekly for tea and a chat. You can just listen if you like.",
        "town": "Riverside",
        "status": OfferStatus.PUBLISHED,
    }
    values.update(overrides)
    return Offer.objects.create(**values)
