"""Shared set-up for the journey tests: real subjects (offers, groups, spaces) and historical engagements."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

from kindred.accounts.models import User
from kindred.commons.models import Engagement
from kindred.commons.spine import engagement_record_span
from kindred.directory.models import Offer
from kindred.organisations.models import Organisation

LONDON = ZoneInfo("Europe/London")
_serial = count(1)


def at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=LONDON)


def offer(
    organisation: Organisation,
    title: str,
    *,
    kind: str = "group",
    delivery: str = "in_person",
    **extra: object,
) -> Offer:
    return Offer.objects.create(
        slug=f"offer-{next(_serial)}",
        organisation=organisation,
        kind=kind,
        delivery=delivery,
        title=title,
        summary=f"{title}, a friendly place.",
        description="Peer support.",
        **extra,
    )


def span(
    person: User,
    subject: object,
    form: str,
    role: str,
    start: datetime,
    end: datetime | None = None,
    reason: str = "",
    organisation: Organisation | None = None,
) -> Engagement:
    return engagement_record_span(
        person=person,
        subject=subject,  # type: ignore[arg-type]
        form=form,
        role=role,
        started_at=start,
        ended_at=end,
        end_reason=reason or ("left" if end else ""),
        organisation=organisation,
    )
