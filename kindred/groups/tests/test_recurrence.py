"""Recurrence: rules expand to the right local times across the clock changes and month ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.management import call_command

from kindred.groups.models import Meeting
from kindred.groups.recurrence import Rule, dates, describe, occurrences

from .core_helpers import LONDON, make_group

# 2026: clocks go forward on Sunday 29 March, back on Sunday 25 October.


def test_weekly_evening_meeting_keeps_its_local_time_across_both_clock_changes():
    rule = Rule("weekly", weekday=1, starts_on=date(2026, 3, 1), start_time=time(19, 0))  # Tuesdays 7pm
    times = occurrences(rule, date(2026, 3, 20), date(2026, 11, 5))
    assert all(t.astimezone(LONDON).time() == time(19, 0) for t in times)
    utc = {t.date(): t.astimezone(UTC).hour for t in times}
    assert utc[date(2026, 3, 24)] == 19  # GMT
    assert utc[date(2026, 3, 31)] == 18  # BST, first Tuesday after the change
    assert utc[date(2026, 10, 20)] == 18
    assert utc[date(2026, 10, 27)] == 19  # GMT again


def test_a_time_in_the_missing_spring_hour_moves_forward():
    rule = Rule("weekly", weekday=6, starts_on=date(2026, 3, 1), start_time=time(1, 30))
    by_day = {t.date(): t for t in occurrences(rule, date(2026, 3, 22), date(2026, 4, 5))}
    assert by_day[date(2026, 3, 29)].astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST
    assert by_day[date(2026, 3, 22)].astimezone(UTC) == datetime(2026, 3, 22, 1, 30, tzinfo=UTC)
    assert by_day[date(2026, 4, 5)].astimezone(UTC) == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)


def test_a_time_in_the_repeated_autumn_hour_means_the_first_one():
    rule = Rule("weekly", weekday=6, starts_on=date(2026, 10, 1), start_time=time(1, 30))
    (sunday,) = [t for t in occurrences(rule, date(2026, 10, 25), date(2026, 10, 25))]
    assert sunday.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, not GMT


def test_fortnightly_keeps_its_rhythm_whatever_the_window():
    rule = Rule("fortnightly", weekday=2, starts_on=date(2026, 1, 7), start_time=time(10, 0))  # Wed 7 Jan
    got = dates(rule, date(2026, 1, 15), date(2026, 2, 20))
    assert got == [date(2026, 1, 21), date(2026, 2, 4), date(2026, 2, 18)]
    assert dates(rule, date(2026, 1, 22), date(2026, 2, 3)) == []


def test_monthly_on_the_nth_weekday():
    rule = Rule("monthly_nth", weekday=0, nth=1, starts_on=date(2026, 1, 1), start_time=time(18, 0))
    assert dates(rule, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 1, 5),
        date(2026, 2, 2),
        date(2026, 3, 2),
        date(2026, 4, 6),
    ]
    fourth_thursday = Rule("monthly_nth", weekday=3, nth=4, starts_on=date(2026, 1, 1), start_time=time(18, 0))
    assert dates(fourth_thursday, date(2026, 11, 1), date(2026, 12, 31)) == [date(2026, 11, 26), date(2026, 12, 24)]


def test_last_weekday_of_the_month_over_month_ends_leap_years_and_new_year():
    rule = Rule("monthly_last", weekday=1, starts_on=date(2027, 11, 1), start_time=time(19, 0))  # last Tuesday
    assert dates(rule, date(2027, 11, 1), date(2028, 3, 31)) == [
        date(2027, 11, 30),
        date(2027, 12, 28),
        date(2028, 1, 25),
        date(2028, 2, 29),  # leap day
        date(2028, 3, 28),
    ]
    friday = Rule("monthly_last", weekday=4, starts_on=date(2026, 1, 1), start_time=time(19, 0))
    assert dates(friday, date(2026, 10, 1), date(2026, 10, 31)) == [date(2026, 10, 30)]


def test_last_weekday_across_the_autumn_change_keeps_local_time():
    rule = Rule("monthly_last", weekday=6, starts_on=date(2026, 9, 1), start_time=time(14, 0))  # last Sunday
    (october,) = occurrences(rule, date(2026, 10, 1), date(2026, 10, 31))
    assert october.date() == date(2026, 10, 25)  # the very day the clocks change
    assert october.astimezone(UTC) == datetime(2026, 10, 25, 14, 0, tzinfo=UTC)
    (march,) = occurrences(rule, date(2027, 3, 1), date(2027, 3, 31))
    assert march.date() == date(2027, 3, 28) and march.astimezone(UTC).hour == 13


def test_rules_respect_their_start_and_end_dates():
    rule = Rule("weekly", weekday=0, starts_on=date(2026, 5, 6), ends_on=date(2026, 5, 25), start_time=time(9, 0))
    assert dates(rule, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 5, 11),
        date(2026, 5, 18),
        date(2026, 5, 25),
    ]


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        dates(
            Rule("monthly_nth", weekday=0, nth=5, starts_on=date(2026, 1, 1), start_time=time(9, 0)),
            date(2026, 1, 1),
            date(2026, 2, 1),
        )
    with pytest.raises(ValueError):
        dates(
            Rule("daily", weekday=0, starts_on=date(2026, 1, 1), start_time=time(9, 0)),
            date(2026, 1, 1),
            date(2026, 2, 1),
        )


def test_plain_words_for_people():
    assert describe(Rule("weekly", 1, date(2026, 1, 1), time(19, 0))) == "Every Tuesday at 7pm"
    assert describe(Rule("monthly_nth", 4, date(2026, 1, 1), time(10, 30), nth=2)) == (
        "On the second Friday of each month at 10:30am"
    )


@pytest.mark.django_db
def test_series_are_stored_as_rules_and_expanded_a_year_ahead_idempotently(client, personas):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=False):
        group = make_group(personas)
        from kindred.groups import services

        services.series_create(
            actor=personas.facilitator,
            group=group,
            frequency="monthly_last",
            weekday=4,
            start_time=time(19, 0),
            starts_on=date(2026, 3, 1),
        )
        meetings = list(Meeting.objects.filter(group=group).order_by("starts_at"))
        assert 12 <= len(meetings) <= 13
        assert all(m.starts_at.astimezone(LONDON).time() == time(19, 0) for m in meetings)
        assert meetings[0].starts_at == datetime(2026, 3, 27, 19, 0, tzinfo=LONDON)
        assert meetings[1].starts_at.astimezone(UTC) == datetime(2026, 4, 24, 18, 0, tzinfo=UTC)
        assert group.offer.times.filter(weekday=4).exists()  # the directory can filter on it
        before = Meeting.objects.count()
        call_command("groups_daily")
        assert Meeting.objects.count() == before

    with time_machine.travel(datetime(2026, 5, 2, 9, 0, tzinfo=LONDON), tick=False):
        call_command("groups_daily")  # two months later the horizon moves on
        assert Meeting.objects.count() == before + 2
        assert Meeting.objects.filter(group=group).values("slot").distinct().count() == Meeting.objects.count()


@pytest.mark.django_db
def test_schedule_page_refuses_monthly_without_a_week_and_saves_nothing(client, personas):
    group = make_group(personas)
    client.force_login(personas.facilitator)
    response = client.post(
        f"/groups/{group.slug}/schedule/",
        {
            "form": "series",
            "series-frequency": "monthly_nth",
            "series-weekday": "2",
            "series-start_time": "19:00",
            "series-duration_minutes": "90",
            "series-starts_on": "2030-01-01",
            "series-delivery": "in_person",
        },
    )
    assert response.status_code == 400
    assert "which week of the month" in response.content.decode()
    assert not group.series.exists() and not Meeting.objects.exists()
