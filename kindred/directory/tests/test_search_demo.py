"""The demo directory: sixty-odd realistic offers that make the search meaningful to try."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from kindred.demo import world
from kindred.demo.offers import load_offers
from kindred.directory.models import Delivery, Offer, OfferKind, OfferStatus, Synonym

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> int:
    """The demo world (which loads the offers too); returns how many offers it listed."""
    world.load(io.StringIO())
    return Offer.objects.count()


def found(client: Client, **params: str) -> list[str]:
    return [r.offer.slug for r in client.get(reverse("directory:search"), params).context["page"].results]


def test_demo_offers_cover_every_kind_delivery_and_organisation(demo: int) -> None:
    assert demo >= 60
    assert load_offers(io.StringIO()) == 0  # idempotent
    listed = Offer.objects.filter(status=OfferStatus.PUBLISHED)
    assert listed.count() >= 60
    assert set(listed.values_list("kind", flat=True)) == set(OfferKind.values)
    assert set(listed.values_list("delivery", flat=True)) == set(Delivery.values)
    assert set(listed.values_list("organisation__slug", flat=True)) == set(world.DEMO_SLUGS)
    assert Offer.objects.filter(status=OfferStatus.PENDING_REVIEW, is_grassroots=True).exists()
    assert Synonym.objects.filter(terms__startswith="hearing voices").exists()
    for offer in listed.filter(delivery=Delivery.IN_PERSON).exclude(kind=OfferKind.SCHEME):
        assert offer.latitude is not None and offer.region in {"North West", "North East", "Yorkshire"}, offer.slug


def test_demo_searches_find_what_people_ask_for(client: Client, demo: int) -> None:
    assert found(client, q="group for black women")[0] == "sisters-of-the-north"
    assert found(client, q="befriending")[0] in {"befriending-by-phone", "evening-befriending-calls"}
    assert "email-pen-friends" in found(client, q="someone to talk to online")
    assert set(found(client, q="depression self help evening")) >= {
        "gateshead-depression-support",
        "wakefield-evening-depression",
    }
    hearing_voices = found(client, q="hearing voices group", place="Bolton", radius="10", delivery="in_person")
    assert hearing_voices[0] == "bolton-hearing-voices"
    assert {"oldham-awaazein", "bradford-urdu-womens-group"} <= set(found(client, language="Urdu"))
    men_walking = found(client, q="walking group", for_whom="men")
    assert set(men_walking[:2]) == {"bolton-mens-walking-group", "calderdale-mens-walking"}
