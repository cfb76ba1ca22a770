"""Recurrence rules → concrete meeting times, in local time (Europe/London by default).

Rules are kept in local wall-clock time so a 7pm group stays at 7pm across the clock changes. A
local time that doesn't exist (the spring-forward hour) moves forward by the gap; one that happens
twice (the autumn fall-back hour) means the first of the two.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_LAST = "monthly_last"
FREQUENCIES = (WEEKLY, FORTNIGHTLY, MONTHLY_NTH, MONTHLY_LAST)


@dataclass(frozen=True)
class Rule:
    frequency: str
    weekday: int  # 0 = Monday
    starts_on: date
    start_time: time
    nth: int | None = None
    ends_on: date | None = None
    timezone: str = "Europe/London"

    @classmethod
    def of(cls, series: object) -> Rule:
        return cls(
            frequency=series.frequency,  # type: ignore[attr-defined]
            weekday=series.weekday,  # type: ignore[attr-defined]
            starts_on=series.starts_on,  # type: ignore[attr-defined]
            start_time=series.start_time,  # type: ignore[attr-defined]
            nth=series.nth,  # type: ignore[attr-defined]
            ends_on=series.ends_on,  # type: ignore[attr-defined]
            timezone=series.timezone,  # type: ignore[attr-defined]
        )


def local_datetime(day: date, at: time, zone: ZoneInfo) -> datetime:
    """An aware datetime for a local wall-clock time, resolving the DST gap and overlap as described above."""
    naive = datetime.combine(day, at)
    candidate = naive.replace(tzinfo=zone, fold=0)
    # Round-trip through UTC: a non-existent time comes back shifted forward by the gap.
    return candidate.astimezone(UTC).astimezone(zone)


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    first = _first_on_or_after(date(year, month, 1), weekday)
    result = first + timedelta(weeks=nth - 1)
    return result if result.month == month else None


def last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _months(start: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while True:
        yield year, month
        month += 1
        if month > 12:
            year, month = year + 1, 1


def dates(rule: Rule, start: date, end: date) -> list[date]:
    """The rule's local dates d with start <= d <= end (and within the rule's own starts_on/ends_on)."""
    if rule.frequency not in FREQUENCIES:
        raise ValueError(f"Unknown frequency {rule.frequency!r}")
    if not 0 <= rule.weekday <= 6:
        raise ValueError("Weekday must be 0 (Monday) to 6 (Sunday).")
    low = max(start, rule.starts_on)
    high = min(end, rule.ends_on) if rule.ends_on else end
    if high < low:
        return []
    out: list[date] = []
    if rule.frequency in (WEEKLY, FORTNIGHTLY):
        step = 7 if rule.frequency == WEEKLY else 14
        anchor = _first_on_or_after(rule.starts_on, rule.weekday)
        if anchor < low:  # jump to the first step on or after `low`, keeping the fortnightly phase
            steps = -(-(low - anchor).days // step)
            anchor += timedelta(days=steps * step)
        day = anchor
        while day <= high:
            out.append(day)
            day += timedelta(days=step)
        return out
    if rule.frequency == MONTHLY_NTH and not (rule.nth and 1 <= rule.nth <= 4):
        raise ValueError("Monthly on the nth weekday needs nth between 1 and 4.")
    for year, month in _months(low.replace(day=1)):
        if date(year, month, 1) > high:
            break
        if rule.frequency == MONTHLY_NTH:
            day = nth_weekday(year, month, rule.weekday, rule.nth or 1)
        else:
            day = last_weekday(year, month, rule.weekday)
        if day is not None and low <= day <= high:
            out.append(day)
    return out


def occurrences(rule: Rule, start: date, end: date) -> list[datetime]:
    """Aware start times (in the rule's zone) for every date of the rule between start and end inclusive."""
    zone = ZoneInfo(rule.timezone)
    return [local_datetime(day, rule.start_time, zone) for day in dates(rule, start, end)]


def describe(rule: Rule) -> str:
    """Plain words: "Every Tuesday at 7pm", "On the last Friday of each month at 10:30am"."""
    day = calendar.day_name[rule.weekday]
    at = rule.start_time.strftime("%-I:%M%p").replace(":00", "").lower()
    if rule.frequency == WEEKLY:
        return f"Every {day} at {at}"
    if rule.frequency == FORTNIGHTLY:
        return f"Every other {day} at {at}"
    if rule.frequency == MONTHLY_NTH:
        ordinal = {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(rule.nth or 1, "first")
        return f"On the {ordinal} {day} of each month at {at}"
    return f"On the last {day} of each month at {at}"
