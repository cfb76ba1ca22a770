from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kindred.accounts.models import User

from .models import Engagement, Form


def engagements_of(person: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(person=person).select_related("organisation").order_by("started_at", "id")


@dataclass(frozen=True)
class Period:
    """A stretch of time in which the person used a form, in any role. `ongoing` when it has not ended."""

    form: str
    start: datetime
    end: datetime
    ongoing: bool


def form_periods(person: User, *, now: datetime | None = None) -> dict[str, list[Period]]:
    """Per form, the merged periods of use: overlapping or touching engagements join, gaps stay gaps.

    One query. The journey timeline and the well-being chart both shade these behind what they draw.
    """
    now = now or timezone.now()
    spans: dict[str, list[tuple[datetime, datetime, bool]]] = {form: [] for form in Form.values}
    rows = Engagement.objects.filter(person=person).order_by("started_at").values_list("form", "started_at", "ended_at")
    for form, start, end in rows:
        spans[form].append((start, end or now, end is None))
    merged: dict[str, list[Period]] = {}
    for form, items in spans.items():
        out: list[Period] = []
        for start, end, ongoing in sorted(items, key=lambda item: item[0]):
            if out and start <= out[-1].end:
                last = out[-1]
                out[-1] = Period(form, last.start, max(last.end, end), last.ongoing or ongoing)
            else:
                out.append(Period(form, start, end, ongoing))
        merged[form] = out
    return merged
