"""My journey: the page drawn from Engagements in every form, with overlaps and gaps."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindred.journey.models import Moment, Reflection, StatusChange
from kindred.journey.services import moment_create
from kindred.testing.factories import OrganisationFactory

from .helpers import at, offer, span

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 12:00Z"


@pytest.fixture
def journey(personas):
    """A member's six years: a group for years (with a break), a befriending match, online reading then posting."""
    org = personas.organisation
    person = personas.member
    group = offer(org, "Riverside Hearing Voices")
    other_group = offer(org, "Walk and Talk")
    befriending = offer(org, "Phone Befrienders", kind="scheme", delivery="phone")
    space = offer(org, "Night Owls", kind="online_space", delivery="online")
    span(person, group, "group", "receiving", at(2020, 3), at(2021, 2), reason="paused", organisation=org)
    span(person, group, "group", "receiving", at(2022, 1), at(2024, 6), reason="closed", organisation=org)
    span(person, group, "group", "facilitating", at(2023, 1), at(2024, 6), reason="closed", organisation=org)
    span(person, other_group, "group", "receiving", at(2024, 9), organisation=org)
    span(person, befriending, "one_to_one", "receiving", at(2021, 4), at(2022, 4), reason="completed")
    span(person, befriending, "one_to_one", "giving", at(2025, 1))
    span(person, space, "online", "reading", at(2021, 1), at(2023, 1))
    span(person, space, "online", "giving", at(2023, 1, 10))
    return person


def _bars(html: str) -> list[str]:
    return re.findall(r'<rect class="journey-bar"[^>]*>\s*<title>([^<]*)</title>', html)


@time_machine.travel(NOW, tick=False)
def test_the_page_draws_every_engagement_as_a_bar_and_a_table_row(client, journey):
    client.force_login(journey)
    response = client.get("/journey/")
    assert response.status_code == 200
    html = response.content.decode()

    assert 'role="img"' in html and 'aria-labelledby="journey-svg-title journey-svg-desc"' in html
    assert "2020 to 2026" in html
    bars = _bars(html)
    assert len(bars) == 8
    assert "Riverside Hearing Voices — Facilitating, Jan 2023 to Jun 2024" in bars
    assert "Night Owls — Giving support, Jan 2023 to now" in bars
    # Lanes: one-to-one, groups, online — each holds its own bars.
    lanes = re.findall(r'<g class="journey-lane" data-form="(\w+)">(.*?)</g>', html, flags=re.S)
    assert [form for form, _ in lanes] == ["one_to_one", "group", "online"]
    per_lane = {form: body.count('class="journey-bar"') for form, body in lanes}
    assert per_lane == {"one_to_one": 2, "group": 4, "online": 2}
    # Overlapping group engagements (receiving and facilitating at once) sit on different rows.
    group_rows = {float(y) for y in re.findall(r'class="journey-bar" x="[^"]+" y="([^"]+)"', lanes[1][1])}
    assert len(group_rows) == 2

    table_rows = re.findall(r'<tr data-form="(\w+)" data-role="(\w+)">', html)
    assert len(table_rows) == 8
    assert table_rows[0] == ("group", "receiving")  # oldest first
    assert "Still going" in html and "The group or space closed" in html

    # The legend never rests on colour alone.
    for words in (
        "Receiving support",
        "Giving support",
        "Facilitating",
        "Reading",
        "diagonal stripes",
        "dashed outline",
    ):
        assert words in html


@time_machine.travel(NOW, tick=False)
def test_breaks_show_as_breaks(client, journey):
    client.force_login(journey)
    html = client.get("/journey/").content.decode()
    # Groups: Feb 2021 to Jan 2022 is a break; the 2022-2024 overlap is not; Jun to Sep 2024 is another.
    assert "A break from groups: Feb 2021 to Jan 2022" in html
    assert "A break from groups: Jun 2024 to Sep 2024" in html
    assert html.count('class="journey-break"') == 3  # two in groups, one in one-to-one (Apr 2022 to Jan 2025)
    assert "A break from one-to-one: Apr 2022 to Jan 2025" in html
    assert "A break from online" not in html  # reading ended 1 Jan 2023, giving began 10 Jan: no break


@time_machine.travel(NOW, tick=False)
def test_private_summary_counts_only_the_persons_own_giving_and_receiving(client, journey, personas):
    span(personas.peer, offer(personas.organisation, "Elsewhere"), "group", "receiving", at(2010, 1))
    client.force_login(journey)
    html = client.get("/journey/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "Since March 2020" in text
    assert "3 groups" not in text and "2 groups" in text  # Riverside and Walk and Talk, not the peer's
    assert "1 one-to-one connection " in text and "1 online space" in text
    # receiving: 2020-03..2021-02 (11) + 2021-04..2024-06 overlapping counted once (38) + 2024-09..now (21)
    assert re.search(r"About (\d+) months receiving support", text).group(1) == "70"
    # giving or facilitating: 2023-01..now, overlaps counted once (41)
    assert re.search(r"About (\d+) months giving support", text).group(1) == "41"
    assert "average" not in text.lower() and "other people" not in text.lower()


@time_machine.travel(NOW, tick=False)
def test_moments_are_drawn_as_numbered_markers_and_listed(client, journey):
    moment_create(actor=journey, happened_on=date(2022, 5, 3), text="moved house")
    moment_create(actor=journey, happened_on=date(2021, 8, 1), text="went into hospital")
    client.force_login(journey)
    html = client.get("/journey/").content.decode()
    assert html.count('class="journey-moment"') == 2
    assert "1. 01 Aug 2021: went into hospital" in html
    assert "2. 03 May 2022: moved house" in html
    assert re.search(r"3 May 2022</span> — moved house", html)


@time_machine.travel(NOW, tick=False)
def test_empty_journey_is_kind(client, personas):
    client.force_login(personas.member)
    html = client.get("/journey/").content.decode()
    assert "There's nothing to draw yet" in html
    assert "<svg viewBox" not in html


def test_journey_needs_sign_in(client):
    response = client.get("/journey/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_post_is_not_allowed_on_the_page(client, personas):
    client.force_login(personas.member)
    assert client.post("/journey/").status_code == 405


@time_machine.travel(NOW, tick=False)
def test_nobody_else_sees_another_persons_journey(client, journey, personas):
    moment = moment_create(actor=journey, happened_on=date(2022, 5, 3), text="moved to Leeds")
    reflection = Reflection.objects.create(person=journey, text="The walk on Sundays helped")
    personas.coordinator.is_staff = True
    personas.coordinator.save()
    for other in (personas.coordinator, personas.supervisor, personas.outsider, personas.facilitator):
        client.force_login(other)
        html = client.get("/journey/").content.decode()
        assert "Riverside Hearing Voices" not in html, html[html.find("Riverside Hearing Voices") - 300 :][:400]
        assert "moved to Leeds" not in html
        assert client.get(f"/journey/moments/{moment.public_id}/").status_code == 404
        assert client.post(f"/journey/moments/{moment.public_id}/delete/").status_code == 404
        assert client.get(f"/journey/reflections/{reflection.public_id}/").status_code == 404
        assert client.post(f"/journey/reflections/{reflection.public_id}/delete/").status_code == 404
        assert "Sundays" not in client.get("/journey/reflections/").content.decode()
    assert Moment.objects.filter(pk=moment.pk).exists() and Reflection.objects.filter(pk=reflection.pk).exists()


def _count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_the_page_uses_a_constant_number_of_queries(client, django_assert_num_queries, personas):
    person = personas.member
    org = personas.organisation
    status_offer = offer(org, "Something")
    StatusChange.objects.create(person=person, status="able_to_give", housebound=True, changed_at=at(2025, 1))
    span(person, status_offer, "group", "receiving", at(2016, 1), at(2016, 3))
    client.force_login(person)
    small = _count_queries(client, "/journey/")

    other = OrganisationFactory()
    subjects = [offer(other, f"Subject {n}", kind=("group", "scheme", "online_space")[n % 3]) for n in range(30)]
    forms = ("group", "one_to_one", "online")
    roles = ("receiving", "giving", "facilitating", "reading")
    for n in range(300):
        year, month = 2016 + n // 30, 1 + n % 12
        span(person, subjects[n % 30], forms[n % 3], roles[n % 4], at(year, month, 1 + n % 27), at(year, month, 28))
        moment_create(actor=person, happened_on=date(year, month, 2), text=f"moment {n}") if n % 10 == 0 else None
    with django_assert_num_queries(small):
        html = client.get("/journey/").content.decode()
    assert html.count('class="journey-bar"') == 301
    assert small <= 20


@time_machine.travel(NOW, tick=False)
def test_peoples_words_are_escaped_in_the_drawing_and_the_table(client, personas):
    org = personas.organisation
    span(personas.member, offer(org, '<script>alert("x")</script> Group'), "group", "receiving", at(2024, 1))
    moment_create(actor=personas.member, happened_on=date(2024, 2, 1), text="<b>moved</b> & settled")
    client.force_login(personas.member)
    html = client.get("/journey/").content.decode()
    assert "<script>alert" not in html and "<b>moved</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Group" in html
    assert "&lt;b&gt;moved&lt;/b&gt; &amp; settled" in html
