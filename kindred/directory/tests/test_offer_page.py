"""The offer page: everything a worried newcomer needs in a minute, and the two ways to say "I'm interested"."""

from __future__ import annotations

import html
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kindred.directory.models import OfferStatus, PracticalResource
from kindred.testing.personas import Personas

from .search_data import make_offer

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def offer(personas: Personas):  # type: ignore[no-untyped-def]
    return make_offer(
        personas.organisation,
        "bolton-hearing-voices",
        title="Bolton Hearing Voices Group",
        summary="A friendly group for people who hear voices.",
        description="We share how we live with our voices.\n\nYou don't need a diagnosis.",
        experience_focus="hearing voices",
        age_min=18,
        eligibility="",
        cost="Free, with tea and biscuits",
        languages="English, Urdu",
        step_free=True,
        hearing_loop=True,
        access_notes="Lift to the first floor.",
        venue_name="Bolton Central Library",
        address="Le Mans Crescent",
        town="Bolton",
        postcode="BL1 1SE",
        region="North West",
        where=(53.5769, -2.4282),
        contact_name="Jo",
        contact_phone="0161 496 0412",
        contact_email="jo@example.org",
        format="sharing_circle",
        typical_size="6 to 12 people",
        typical_mix="Men and women, mostly over 30",
        finding_the_room="Take the lift to the first floor; we're in the Community Room on the left.",
        can_bring_someone=True,
        can_just_listen=True,
        first_visit="Someone will meet you at the door and show you where the tea is.",
        last_confirmed_at=datetime(2026, 10, 3, 12, 0, tzinfo=ZoneInfo("Europe/London")),
        times=((3, time(18, 30)),),
    )


@time_machine.travel(datetime(2027, 1, 11, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_offer_page_shows_what_to_expect_and_the_practical_details(client: Client, offer, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    PracticalResource.objects.create(
        organisation=personas.organisation, region="North West", category="benefits", name="Bolton Welfare Rights"
    )
    PracticalResource.objects.create(
        organisation=personas.organisation, region="UK", category="crisis", name="Samaritans", phone="116 123"
    )
    PracticalResource.objects.create(
        organisation=personas.organisation, region="North East", category="housing", name="Tyneside Housing Help"
    )
    response = client.get(reverse("directory:offer", args=[offer.slug]))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "<h1>Bolton Hearing Voices Group</h1>",
        "A friendly group for people who hear voices.",
        "You don't need a diagnosis.",
        "Ages 18 and over",
        "For people with experience of hearing voices",
        "Open to anyone: you don't need a referral.",
        "Thursdays, 6:30 p.m.",
        "next: Thursday 14 January",
        "Bolton Central Library",
        "BL1 1SE",
        "Sharing circle",
        "6 to 12 people",
        "Men and women, mostly over 30",
        "Community Room on the left",
        "Yes, you're welcome to bring a friend",
        "Yes. You never have to speak or share.",
        "show you where the tea is",
        "Step-free access",
        "Hearing loop",
        "Lift to the first floor.",
        "Free — Free, with tea and biscuits",
        "English, Urdu",
        "0161 496 0412",
        "Last confirmed as running on 3 October 2026.",
        "Bolton Welfare Rights",
        "Samaritans",
    ):
        assert expected in page, expected
    assert "Tyneside Housing Help" not in page  # another region's help


def test_offer_page_offers_both_self_referrals_and_the_professional_form(client: Client, offer) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get(reverse("directory:offer", args=[offer.slug])))
    request = reverse("directory:self_refer", args=[offer.slug])
    assert f'href="{request}?kind=join">I\'d like to join</a>' in page
    assert f'href="{request}?kind=talk_first">I\'d like to talk to someone first</a>' in page
    assert (
        f'href="{reverse("directory:professional_referral", args=[offer.slug])}">Referring someone? (for professionals)'
        in page
    )


def test_restrictions_are_stated_plainly(client: Client, personas: Personas) -> None:
    offer = make_offer(
        personas.organisation,
        "psw",
        kind="psw_service",
        title="Peer support workers",
        eligibility="For people under the community mental health team.",
    )
    page = text(client.get(reverse("directory:offer", args=[offer.slug])))
    assert "<strong>Please note:</strong> For people under the community mental health team." in page
    assert "Everyone is welcome." in page
    assert "Arranged with you, at times that suit you both" in page


@pytest.mark.parametrize("status", [OfferStatus.PENDING_REVIEW, OfferStatus.REJECTED, OfferStatus.ARCHIVED])
def test_unlisted_offers_are_hidden_from_everyone_but_their_managers(
    client: Client, personas: Personas, status: str
) -> None:
    offer = make_offer(personas.organisation, "hidden", title="Hidden group", status=status)
    url = reverse("directory:offer", args=[offer.slug])
    assert client.get(url).status_code == 404
    for person in (personas.member, personas.outsider, personas.outside_coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(personas.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "Only you and the people who run this listing can see this page" in text(response)


def test_unknown_offer_is_404_and_only_get_is_allowed(client: Client, offer) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("directory:offer", args=["no-such-offer"])).status_code == 404
    assert client.post(reverse("directory:offer", args=[offer.slug])).status_code == 405


def test_offer_page_links_from_search_and_nav(client: Client, offer) -> None:  # type: ignore[no-untyped-def]
    search = text(client.get(reverse("directory:search"), {"q": "hearing voices"}))
    assert f'href="{reverse("directory:offer", args=[offer.slug])}"' in search
    home = text(client.get(reverse("home")))
    assert f'href="{reverse("directory:search")}">Find support</a>' in home
