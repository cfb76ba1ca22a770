"""Offers for the search tests: a small, realistic directory where the right answer to each phrase is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from kindred.directory.models import Offer, OfferStatus, OfferTime, Synonym
from kindred.directory.text import DEFAULT_SYNONYMS
from kindred.organisations.models import Organisation
from kindred.testing.factories import OrganisationFactory

# Real town centres (the same coordinates as the gazetteer).
BOLTON = (53.5769, -2.4282)
LEEDS = (53.8008, -1.5491)
MANCHESTER = (53.4808, -2.2426)
HALIFAX = (53.7248, -1.8658)
BRADFORD = (53.7960, -1.7594)
NEWCASTLE = (54.9783, -1.6178)


def ensure_default_synonyms() -> None:
    # The data migration seeds these, but a transactional test elsewhere may have flushed them.
    for terms in DEFAULT_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def make_offer(
    organisation: Organisation,
    slug: str,
    *,
    times: tuple[tuple[int, time], ...] = (),
    where: tuple[float, float] | None = None,
    **fields: Any,
) -> Offer:
    defaults: dict[str, Any] = {
        "kind": "group",
        "delivery": "in_person",
        "summary": "",
        "description": "",
        "status": OfferStatus.PUBLISHED,
    }
    defaults.update(fields)
    if where is not None:
        defaults["latitude"], defaults["longitude"] = where
    offer = Offer.objects.create(organisation=organisation, slug=slug, **defaults)
    for weekday, starts_at in times:
        OfferTime.objects.create(offer=offer, weekday=weekday, starts_at=starts_at)
    return offer


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@dataclass
class Directory:
    organisation: Organisation
    offers: dict[str, Offer]

    def __getitem__(self, slug: str) -> Offer:
        return self.offers[slug]


def build_directory(organisation: Organisation | None = None) -> Directory:
    ensure_default_synonyms()
    org = organisation or OrganisationFactory(name="Northern Peer Network", slug="northern-peer-network")
    o: dict[str, Offer] = {}

    def add(slug: str, **fields: Any) -> None:
        o[slug] = make_offer(org, slug, **fields)

    add(
        "bolton-hearing-voices",
        title="Bolton Hearing Voices Group",
        summary="A friendly group for people who hear voices, see visions or have other unusual experiences.",
        description="We share how we live with our voices. You don't need a diagnosis. Tea and biscuits provided.",
        experience_focus="hearing voices",
        town="Bolton",
        where=BOLTON,
        region="North West",
        times=((THU, time(18, 30)),),
        step_free=True,
    )
    add(
        "voices-online",
        kind="online_space",
        delivery="online",
        title="Voices Online",
        summary="A moderated forum for voice hearers to share what helps, any time of day.",
        description="Read and post under a name you choose.",
        experience_focus="hearing voices",
    )
    add(
        "leeds-evening-depression",
        delivery="hybrid",
        title="Leeds Evening Depression Support",
        summary="A self-help group for people living with low mood and depression.",
        description="We meet after work in a quiet room, and on video for people who can't travel.",
        experience_focus="depression",
        town="Leeds",
        where=LEEDS,
        region="Yorkshire",
        times=((TUE, time(19, 0)),),
    )
    add(
        "morning-mood-cafe",
        title="Morning Mood Café",
        summary="A drop-in café for anyone feeling low. Peer support over coffee.",
        description="Come for ten minutes or two hours.",
        town="Leeds",
        where=(53.7997, -1.5400),
        region="Yorkshire",
        times=((WED, time(10, 0)),),
    )
    add(
        "sisters-together",
        title="Sisters Together",
        summary="A group for Black women to talk about stress, racism and mental health, in a space that's ours.",
        description="Run by and for Black women of African and Caribbean heritage.",
        gender_focus="Women",
        identity_focus="Black women",
        town="Manchester",
        where=MANCHESTER,
        region="North West",
        times=((SAT, time(14, 0)),),
    )
    add(
        "womens-wellbeing-circle",
        title="Women's Wellbeing Circle",
        summary="A relaxed circle for women to share and listen.",
        description="All women welcome, including trans women.",
        gender_focus="Women (including trans women)",
        town="Halifax",
        where=HALIFAX,
        region="Yorkshire",
        times=((MON, time(13, 0)),),
    )
    add(
        "befriending-by-phone",
        kind="scheme",
        scheme_type="befriending",
        delivery="phone",
        title="Befriending by Phone",
        summary="A volunteer rings you for a chat once a week.",
        description="Our volunteers have been through hard times themselves.",
    )
    add(
        "email-pen-friends",
        kind="scheme",
        scheme_type="pen_friends",
        delivery="online",
        title="Email Pen-Friends",
        summary="Write to a pen-friend who understands, at your own pace.",
        description="We match you with a volunteer by email.",
    )
    add(
        "peer-mentoring-after-hospital",
        kind="scheme",
        scheme_type="mentoring",
        delivery="video",
        title="Peer Mentoring After Hospital",
        summary="A peer mentor for the first three months after a stay on a ward.",
        description="Weekly video calls with a mentor who has been in hospital too.",
    )
    add(
        "video-befriending",
        kind="scheme",
        scheme_type="befriending",
        delivery="video",
        title="Video Befriending",
        summary="Someone to talk to online every week, over a video call.",
        description="Friendly volunteers with their own experience.",
    )
    add(
        "mens-walking-group",
        title="Men's Walking Group",
        summary="A walk and a natter for men. Side by side is easier than face to face.",
        description="Gentle walks of about an hour, finishing at a café.",
        gender_focus="Men",
        town="Halifax",
        where=HALIFAX,
        region="Yorkshire",
        times=((SUN, time(10, 0)),),
    )
    add(
        "gateshead-carers",
        title="Carers' Evening Group",
        summary="For family and friends caring for someone with mental health problems.",
        description="Time for you, with people who get it.",
        identity_focus="Carers",
        town="Gateshead",
        where=(54.9527, -1.6034),
        region="North East",
        times=((MON, time(18, 0)),),
    )
    add(
        "young-peoples-space",
        kind="online_space",
        delivery="online",
        title="Young People's Space",
        summary="An online space for 18 to 25 year olds.",
        description="Moderated by young peer volunteers.",
        age_min=18,
        age_max=25,
    )
    add(
        "polish-group-bradford",
        title="Grupa wsparcia po polsku",
        summary="A Polish-speaking support group in Bradford.",
        description="Spotkania w języku polskim. Meetings in Polish.",
        languages="Polish, English",
        town="Bradford",
        where=BRADFORD,
        region="Yorkshire",
        times=((FRI, time(18, 0)),),
    )
    add(
        "urdu-womens-group",
        title="Urdu-speaking women's group",
        summary="A women's group in Urdu and Punjabi, with tea and a chat.",
        description="A warm welcome for South Asian women.",
        languages="Urdu, Punjabi, English",
        gender_focus="Women",
        identity_focus="South Asian women",
        town="Bradford",
        where=BRADFORD,
        region="Yorkshire",
        times=((WED, time(13, 0)),),
        step_free=True,
        quiet_room=True,
    )
    add(
        "lgbtq-peer-support",
        title="LGBTQ+ Peer Support Newcastle",
        summary="A peer support group for LGBTQ+ adults.",
        description="Meet others who understand.",
        identity_focus="LGBTQ+ people",
        town="Newcastle upon Tyne",
        where=NEWCASTLE,
        region="North East",
        times=((THU, time(19, 0)),),
        bsl=True,
        hearing_loop=True,
    )
    add(
        "leeds-psw-service",
        kind="psw_service",
        title="Leeds Peer Support Workers",
        summary="One-to-one support from a peer support worker alongside your care team.",
        description="Our PSWs have lived experience.",
        eligibility="For people under the Leeds community mental health teams. Ask your care coordinator.",
        town="Leeds",
        where=LEEDS,
        region="Yorkshire",
    )
    add(
        "pending-voices-group",
        title="Pending Hearing Voices Group",
        summary="Waiting for a check.",
        experience_focus="hearing voices",
        status=OfferStatus.PENDING_REVIEW,
        town="Bolton",
        where=BOLTON,
        times=((THU, time(19, 0)),),
    )
    add(
        "buddy-scheme",
        kind="scheme",
        title="Buddy Scheme",
        summary="A buddy to go along with you to a group the first few times.",
        description="Our buddies are volunteers.",
        town="Manchester",
        where=MANCHESTER,
    )
    add(
        "art-group",
        title="Creative Art Group",
        summary="Painting and drawing together. No talent needed.",
        description="Materials provided.",
        is_free=False,
        cost="£3 a session towards materials",
        town="Leeds",
        where=LEEDS,
        times=((THU, time(10, 30)),),
    )
    return Directory(organisation=org, offers=o)
