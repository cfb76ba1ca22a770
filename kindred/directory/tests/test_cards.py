"""Result cards are worked out in Python (kindred.directory.cards) for speed; they must say what the template said.

REFERENCE is the card as the search page used to render it, per result, with template tags and filters (and
`directory/offer_times.html`, which the offer page still uses). Every card on several result pages, over offers
with every kind of time, place and cost, must read exactly the same.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import engines
from django.test import Client
from django.urls import reverse

from kindred.directory.models import OfferTime

from .search_data import BOLTON, LEEDS, build_directory, make_offer

pytestmark = pytest.mark.django_db

REFERENCE = """{% with offer=result.offer %}
<article aria-labelledby="result-{{ offer.slug }}">
  <h3 id="result-{{ offer.slug }}"><a href="{% url 'directory:offer' offer.slug %}">{{ offer.title }}</a></h3>
  <p>{{ offer.summary }}</p>
  <dl class="profile">
    <dt>Run by</dt>
    <dd>{{ offer.organisation.name }}{% if offer.is_grassroots %} (listed by a grassroots group){% endif %}</dd>
    <dt>What it is</dt>
    <dd>{{ offer.get_kind_display }}{% if offer.scheme_type %}: {{ offer.get_scheme_type_display|lower }}{% endif %} · {{ offer.get_delivery_display }}</dd>
    <dt>When</dt>
    <dd>{% include "directory/offer_times.html" with times=result.times next_at=result.next_at %}</dd>
    <dt>Where</dt>
    <dd>{% if offer.town %}{% if offer.venue_name %}{{ offer.venue_name }}, {% endif %}{{ offer.town }}{% if result.distance_km is not None %} — about {{ result.distance_km|floatformat:1 }} km away{% endif %}{% elif offer.is_online %}From wherever you are{% else %}Ask for details{% endif %}</dd>
    <dt>Cost</dt>
    <dd>{% if offer.is_free %}Free{% if offer.cost and offer.cost|lower != "free" %} ({{ offer.cost }}){% endif %}{% else %}{{ offer.cost|default:"Ask about cost" }}{% endif %}</dd>
  </dl>
  {% if result.reasons %}<p class="help">Why it's here: {{ result.reasons|join:"; " }}.</p>{% endif %}
</article>
{% endwith %}"""  # noqa: E501

MONDAY_9AM = datetime(2027, 1, 11, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def squeeze(html: str) -> str:
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html)).strip()


@pytest.fixture
def odd_offers(db: None) -> None:
    directory = build_directory()
    org = directory.organisation
    make_offer(
        org,
        "tea-and-talk",
        title="Tea & Talk <Leeds>",
        summary="Cake, \"chat\" & company — all 'welcome'.",
        venue_name="St Mary's Hall",
        town="Leeds",
        where=LEEDS,
        is_free=False,
        cost="£2 <towards tea>",
        times=((1, time(18, 30)),),
    )
    make_offer(org, "tea-free-donation", title="Tea and talk by donation", cost="Donations welcome", town="Bolton")
    make_offer(org, "tea-free-word", title="Tea and talk, free", cost="FREE", town="Bolton", where=BOLTON)
    make_offer(org, "tea-no-cost-said", title="Tea and talk somewhere", is_free=False, cost="", is_grassroots=True)
    noted = make_offer(org, "tea-monthly", title="Monthly tea and talk", delivery="video")
    OfferTime.objects.create(offer=noted, weekday=2, starts_at=time(12), ends_at=time(13, 30), note="first Wednesday")
    ranged = make_offer(org, "tea-ranged", title="Tea and talk at noon", delivery="hybrid", town="Leeds")
    OfferTime.objects.create(offer=ranged, weekday=4, starts_at=time(12), ends_at=time(14))
    make_offer(org, "tea-online", title="Tea and talk online space", kind="online_space", delivery="online")
    scheme = {"kind": "scheme", "scheme_type": "befriending", "delivery": "phone"}
    make_offer(org, "tea-befriending", title="Tea and talk befriending", **scheme)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "tea talk"},
        {"q": "tea", "place": "Leeds", "radius": "50"},
        {"q": "hearing voices group", "place": "Bolton"},
        {"q": "someone to talk to online"},
        {"q": "evening", "page": "1"},
        {"q": "group", "page": "2"},
        {"day": ["1", "3"], "time": "evening"},
    ],
)
def test_cards_read_exactly_as_the_template_did(client: Client, odd_offers: None, params: dict[str, object]) -> None:
    reference = engines["django"].from_string(REFERENCE)
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200
    results = response.context["page"].results
    cards = re.findall(r'<li class="card">(.*?)</li>', response.content.decode(), re.S)
    assert len(cards) == len(results)
    for card, result in zip(cards, results, strict=True):
        assert squeeze(card) == squeeze(reference.render({"result": result}))


def test_the_odd_offers_are_on_the_pages_compared(client: Client, odd_offers: None) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False):
        html = client.get(reverse("directory:search"), {"q": "tea talk"}).content.decode()
    for text in (
        "Tea &amp; Talk &lt;Leeds&gt;",
        "St Mary&#x27;s Hall, Leeds",
        "£2 &lt;towards tea&gt;",
        "Free (Donations welcome)",
        "Ask about cost",
        "(listed by a grassroots group)",
        "Wednesdays, noon to 1:30 p.m. (first Wednesday)",
        "Fridays, noon to 2 p.m. — next: Friday 15 January",
        "Open any time",
        "Arranged with you, at times that suit you both",
        "One-to-one scheme: befriending · By phone",
    ):
        assert text in html, text
