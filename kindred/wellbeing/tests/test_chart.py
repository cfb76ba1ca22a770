"""The chart page: SVG per score over time, form periods shaded behind with a non-colour legend, a table, and a
constant number of queries however many check-ins there are."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.commons.spine import engagement_end, engagement_record
from kindred.testing.clients import client_for
from kindred.wellbeing.measures import score
from kindred.wellbeing.models import CheckIn

pytestmark = pytest.mark.django_db


def _checkins(person, n, *, measure="ons4", start_days_ago=400):
    now = timezone.now()
    rows = []
    for i in range(n):
        answers = [i % 11] * 4 if measure == "ons4" else [1 + i % 3] * 3
        result = score(measure, answers)
        rows.append(
            CheckIn(
                person=person,
                measure=measure,
                answers=result.answers,
                scores=result.scores,
                total=result.total,
                taken_at=now - timedelta(days=start_days_ago) + timedelta(days=i * start_days_ago / max(n, 1)),
            )
        )
    CheckIn.objects.bulk_create(rows)


def _engagements(p, count):
    now = timezone.now()
    for i in range(count):
        at = now - timedelta(days=600 - i * 5)
        engagement_record(person=p.member, subject=p.organisation, form="group", role="receiving", at=at)
        engagement_end(person=p.member, subject=p.organisation, reason="paused", at=at + timedelta(days=2))
    engagement_record(
        person=p.member, subject=p.other_organisation, form="online", role="reading", at=now - timedelta(days=30)
    )


def test_chart_draws_each_score_with_periods_shaded_and_a_table(personas):
    _checkins(personas.member, 3)
    _checkins(personas.member, 2, measure="ucla3")
    _engagements(personas, 2)
    page = client_for(personas.member).get("/well-being/chart/").content.decode()
    for key in ("ons4-life_satisfaction", "ons4-worthwhile", "ons4-happiness", "ons4-anxiety", "ucla3-total"):
        assert f'data-testid="chart-wb-{key}"' in page
    assert 'data-testid="chart-wb-phq9-total"' not in page  # never used: no empty chart
    svg = re.search(r'<svg class="wb-chart".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="wb-point"') == 3
    # Two group periods (a break between them) and one ongoing online period, shaded with their own patterns.
    assert svg.count('fill="url(#wb-ons4-life_satisfaction-group)" class="wb-shade"') == 2
    assert svg.count('fill="url(#wb-ons4-life_satisfaction-online)" class="wb-shade"') == 1
    assert 'fill="url(#wb-ons4-life_satisfaction-one_to_one)" class="wb-shade"' not in svg
    for lane in (">One-to-one<", ">Groups<", ">Online<"):
        assert lane in svg
    # The key names each pattern in words, not colour alone.
    assert "One-to-one: diagonal stripes" in page and "Groups: dots" in page and "Online: horizontal lines" in page
    table = re.search(r"<table>.*?</table>", page, re.S).group(0)
    assert table.count("<tr>") == 1 + 5
    assert "Life satisfaction 2 (Low)" in table


def test_chart_with_nothing_yet(personas):
    page = client_for(personas.member).get("/well-being/chart/").content.decode()
    assert "No check-ins yet." in page and '<svg class="wb-chart"' not in page


def test_only_the_person_sees_their_chart(personas):
    _checkins(personas.member, 3)
    page = client_for(personas.peer).get("/well-being/chart/").content.decode()
    assert "No check-ins yet." in page


def test_the_number_of_queries_does_not_grow_with_check_ins_or_engagements(personas):
    client = client_for(personas.member)
    _checkins(personas.member, 5)
    _engagements(personas, 2)
    client.get("/well-being/chart/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/well-being/chart/").status_code == 200
    _checkins(personas.member, 300)
    _checkins(personas.member, 200, measure="ucla3")
    _engagements(personas, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/well-being/chart/")
    assert response.status_code == 200 and response.content.decode().count("<tr>") == 1 + 505
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 6
