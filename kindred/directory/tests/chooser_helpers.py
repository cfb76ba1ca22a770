"""A small, known set of offers for the chooser, resources and API tests, made directly with the ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from kindred.accounts.models import User
from kindred.accounts.services import api_token_create
from kindred.directory.models import (
    Delivery,
    Offer,
    OfferKind,
    OfferStatus,
    OfferTime,
    PracticalResource,
    ResourceCategory,
    SchemeType,
)
from kindred.organisations.models import Organisation

LEEDS = (53.7997, -1.5492)
BRADFORD = (53.7950, -1.7594)
HUDDERSFIELD = (53.6458, -1.7850)
HEADINGLEY = (53.8196, -1.5760)
NEWCASTLE = (54.9783, -1.6178)


def make_offer(
    organisation: Organisation, slug: str, *, times: tuple[tuple[int, time], ...] = (), **fields: Any
) -> Offer:
    defaults: dict[str, Any] = {
        "kind": OfferKind.GROUP,
        "delivery": Delivery.IN_PERSON,
        "title": slug.replace("-", " ").title(),
        "summary": "A friendly peer support offer.",
        "description": "People with experiences of mental or emotional distress supporting each other.",
        "status": OfferStatus.PUBLISHED,
    }
    offer = Offer.objects.create(organisation=organisation, slug=slug, **{**defaults, **fields})
    for weekday, starts_at in times:
        OfferTime.objects.create(offer=offer, weekday=weekday, starts_at=starts_at)
    return offer


@dataclass
class Directory:
    voices: Offer
    women: Offer
    walk: Offer
    newcastle: Offer
    sisters: Offer
    befriending: Offer
    mentoring: Offer
    night_owls: Offer
    young: Offer
    rainbow: Offer
    pending: Offer


def make_directory(organisation: Organisation, other: Organisation) -> Directory:
    """Eleven offers in and around Leeds (Yorkshire), one far away in Newcastle, one not yet published."""
    return Directory(
        voices=make_offer(
            organisation,
            "leeds-hearing-voices-evening",
            title="Leeds Hearing Voices Group",
            region="Yorkshire",
            town="Leeds",
            latitude=LEEDS[0],
            longitude=LEEDS[1],
            experience_focus="hearing voices",
            can_just_listen=True,
            can_bring_someone=True,
            step_free=True,
            times=((1, time(18, 30)),),
        ),
        women=make_offer(
            organisation,
            "leeds-womens-circle",
            title="Leeds Women's Wellbeing Circle",
            region="Yorkshire",
            town="Leeds",
            latitude=HEADINGLEY[0],
            longitude=HEADINGLEY[1],
            gender_focus="Women (including trans women)",
            can_just_listen=True,
            times=((3, time(10, 30)),),
        ),
        walk=make_offer(
            organisation,
            "bradford-walk-and-talk",
            title="Bradford Saturday Walk and Talk",
            region="Yorkshire",
            town="Bradford",
            latitude=BRADFORD[0],
            longitude=BRADFORD[1],
            can_just_listen=False,
            times=((5, time(11, 0)),),
        ),
        newcastle=make_offer(
            other,
            "newcastle-evening-peer-group",
            title="Newcastle Evening Peer Group",
            region="North East",
            town="Newcastle",
            latitude=NEWCASTLE[0],
            longitude=NEWCASTLE[1],
            can_just_listen=True,
            times=((1, time(19, 0)),),
        ),
        sisters=make_offer(
            other,
            "sisters-of-colour-video-circle",
            title="Sisters of Colour Video Circle",
            delivery=Delivery.VIDEO,
            gender_focus="Women",
            identity_focus="Black and Asian women",
            times=((2, time(19, 0)),),
        ),
        befriending=make_offer(
            organisation,
            "calder-phone-befriending",
            title="Phone Befriending",
            kind=OfferKind.SCHEME,
            scheme_type=SchemeType.BEFRIENDING,
            delivery=Delivery.PHONE,
            languages="English, Urdu",
        ),
        mentoring=make_offer(
            organisation,
            "leeds-peer-mentoring",
            title="Leeds Peer Mentoring",
            kind=OfferKind.SCHEME,
            scheme_type=SchemeType.MENTORING,
            region="Yorkshire",
            town="Leeds",
            latitude=LEEDS[0],
            longitude=LEEDS[1],
        ),
        night_owls=make_offer(
            organisation,
            "night-owls-online",
            title="Night Owls Online Space",
            kind=OfferKind.ONLINE_SPACE,
            delivery=Delivery.ONLINE,
        ),
        young=make_offer(
            other,
            "young-adults-peer-chat",
            title="Young Adults Peer Chat",
            kind=OfferKind.ONLINE_SPACE,
            delivery=Delivery.ONLINE,
            age_min=18,
            age_max=25,
        ),
        rainbow=make_offer(
            other,
            "huddersfield-rainbow-group",
            title="Huddersfield Rainbow Group",
            delivery=Delivery.HYBRID,
            region="Yorkshire",
            town="Huddersfield",
            latitude=HUDDERSFIELD[0],
            longitude=HUDDERSFIELD[1],
            identity_focus="LGBTQ+ people",
            times=((0, time(19, 0)),),
        ),
        pending=make_offer(
            organisation,
            "leeds-unchecked-group",
            title="Leeds Unchecked Group",
            status=OfferStatus.PENDING_REVIEW,
            region="Yorkshire",
            town="Leeds",
            latitude=LEEDS[0],
            longitude=LEEDS[1],
            can_just_listen=True,
            times=((1, time(18, 0)),),
        ),
    )


def make_resource(organisation: Organisation, name: str, **fields: Any) -> PracticalResource:
    defaults: dict[str, Any] = {
        "region": "Yorkshire",
        "category": ResourceCategory.BENEFITS,
        "phone": "0113 496 0000",
        "hours": "Mon–Fri 9am–5pm",
    }
    return PracticalResource.objects.create(organisation=organisation, name=name, **{**defaults, **fields})


def bearer(user: User) -> dict[str, str]:
    _row, raw = api_token_create(actor=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}
