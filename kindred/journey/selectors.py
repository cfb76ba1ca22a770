from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons.models import Engagement, EngagementRole, Form
from kindred.commons.spine import Period, merge_periods
from kindred.organisations.models import Organisation

from .models import JourneyStatus, Moment, Reflection, StatusChange, SuggestionDismissal

# --- The person's own record ---------------------------------------------------------------------------------------


def moments_of(person: User) -> QuerySet[Moment]:
    return Moment.objects.filter(person=person).order_by("happened_on", "id")


def reflections_of(person: User) -> QuerySet[Reflection]:
    return Reflection.objects.filter(person=person).order_by("-created_at", "-id")


def status_history_of(person: User) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(person=person).order_by("-changed_at", "-id")


def dismissed_keys(person: User) -> set[str]:
    return set(SuggestionDismissal.objects.filter(person=person).values_list("key", flat=True))


@dataclass(frozen=True)
class CurrentStatus:
    status: str  # a JourneyStatus value, or "" when the person hasn't said
    since: datetime | None  # when this status began (through any housebound-only changes)
    housebound: bool
    housebound_since: datetime | None

    @property
    def label(self) -> str:
        return str(JourneyStatus(self.status).label) if self.status else ""


NO_STATUS = CurrentStatus("", None, False, None)


def current_status(history: list[StatusChange]) -> CurrentStatus:
    """From the history (newest first), the current status and since when it (and housebound) has held."""
    if not history:
        return NO_STATUS
    latest = history[0]
    since = housebound_since = latest.changed_at
    for row in history[1:]:
        if row.status != latest.status:
            break
        since = row.changed_at
    for row in history[1:]:
        if row.housebound != latest.housebound:
            break
        housebound_since = row.changed_at
    return CurrentStatus(latest.status, since, latest.housebound, housebound_since if latest.housebound else None)


# --- The private summary: the person's own giving and receiving, never compared with anyone -------------------------

GIVING_ROLES = (EngagementRole.GIVING, EngagementRole.FACILITATING)


def _months(spans: list[tuple[datetime, datetime]]) -> int:
    """Months covered by the union of spans (overlaps counted once), rounded to whole months."""
    total = timedelta(0)
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return round(total.days / 30.44)


@dataclass(frozen=True)
class Summary:
    months_receiving: int
    months_giving: int
    months_reading: int
    groups: int
    connections: int
    spaces: int
    first_started: date | None

    @property
    def is_empty(self) -> bool:
        return self.first_started is None


def summarise(engagements: list[Engagement], *, now: datetime) -> Summary:
    def spans(roles: Iterable[str]) -> list[tuple[datetime, datetime]]:
        wanted = set(roles)
        return [(e.started_at, e.ended_at or now) for e in engagements if e.role in wanted]

    def distinct(form: str) -> int:
        return len({(e.subject_type_id, e.subject_id) for e in engagements if e.form == form})

    return Summary(
        months_receiving=_months(spans([EngagementRole.RECEIVING])),
        months_giving=_months(spans(GIVING_ROLES)),
        months_reading=_months(spans([EngagementRole.READING])),
        groups=distinct(Form.GROUP),
        connections=distinct(Form.ONE_TO_ONE),
        spaces=distinct(Form.ONLINE),
        first_started=timezone.localdate(min(e.started_at for e in engagements)) if engagements else None,
    )


# --- Everything the journey page shows, in a small constant number of queries ---------------------------------------


@dataclass
class JourneyData:
    engagements: list[Engagement]
    moments: list[Moment]
    history: list[StatusChange]
    status: CurrentStatus
    reflections: list[Reflection]
    summary: Summary
    periods: dict[str, list[Period]]
    now: datetime


def journey_data(person: User, *, now: datetime | None = None, with_reflections: bool = False) -> JourneyData:
    """Four queries whatever the length of the journey: engagements, their organisations (fetched once each rather
    than joined to every row), moments and status history; a fifth for the reflections if asked for."""
    now = now or timezone.now()
    engagements = list(Engagement.objects.filter(person=person).order_by("started_at", "id"))
    names = {e.organisation_id for e in engagements if e.organisation_id}
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=names).only("id", "name", "slug")}
    for engagement in engagements:
        if engagement.organisation_id:
            engagement.organisation = organisations.get(engagement.organisation_id)
    history = list(status_history_of(person))
    return JourneyData(
        engagements=engagements,
        moments=list(moments_of(person)),
        history=history,
        status=current_status(history),
        reflections=list(reflections_of(person)) if with_reflections else [],
        summary=summarise(engagements, now=now),
        periods=merge_periods(((e.form, e.started_at, e.ended_at) for e in engagements), now=now),
        now=now,
    )
