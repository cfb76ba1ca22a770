"""The directory over the API: search, offers, requests (self-referrals), the coordinators' inbox, the chooser and
practical resources. Same access helpers, selectors and services as the pages.

Reading the directory needs no account (`auth=None` on those operations), exactly like the pages; a token or
session, if sent, still counts (a listing's managers can read it before it is published). Everything that
writes, or reads a person's requests, needs a signed-in person.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from kindred.accounts.api_auth import BearerTokenAuth
from kindred.accounts.http import current_user
from kindred.commons.models import Form
from kindred.core import ratelimit
from kindred.core.api import ErrorOut, InputSchema, responses
from kindred.organisations.selectors import coordinated_organisations

from . import chooser as chooser_logic
from . import referrals as referral_services
from . import search as search_logic
from .access import get_offer_for, get_referral_for
from .models import (
    Delivery,
    MeetingFormat,
    Offer,
    OfferKind,
    OfferStatus,
    PracticalResource,
    Referral,
    ReferralKind,
    ReferralStatus,
    ResourceCategory,
)
from .resources import MAX_REGION_CHARS, resources_for_region

router = Router(tags=["directory"])

PAGE_SIZE_MAX = 50


def _with(ok: dict[int, Any], *codes: int, conflict: bool = False) -> dict[int, Any]:
    out = responses(ok, *codes)
    if conflict:
        out[409] = ErrorOut
    return out


def _viewer(request: HttpRequest) -> Any:
    """Who is reading a public endpoint: a token's owner, the session's person, or an anonymous visitor.

    A token that is sent but doesn't work is refused (401) rather than quietly ignored, so a script
    isn't left wondering why it can't see its own unpublished listing.
    """
    if request.headers.get("Authorization"):
        user = BearerTokenAuth()(request)
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


# --- Schemas --------------------------------------------------------------------------------------------------


class OrganisationRefOut(Schema):
    slug: str
    name: str


class OfferTimeOut(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday, 6 is Sunday.")
    weekday_name: str
    starts_at: time
    ends_at: time | None
    note: str


class OfferSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    kind: OfferKind
    form: Form
    delivery: Delivery
    organisation: OrganisationRefOut
    town: str
    region: str
    is_free: bool
    cost: str
    languages: list[str]
    times: list[OfferTimeOut]
    url: str = Field(..., description="The offer's page on this site.")


class WhoItIsForOut(Schema):
    age_min: int | None
    age_max: int | None
    gender_focus: str
    identity_focus: str
    experience_focus: str
    eligibility: str = Field(..., description="Blank means it is open to all.")


class AccessibilityOut(Schema):
    step_free: bool
    hearing_loop: bool
    bsl: bool
    quiet_room: bool
    accessible_toilet: bool
    access_notes: str


class WhatToExpectOut(Schema):
    format: MeetingFormat | Literal[""]
    typical_size: str
    typical_mix: str
    finding_the_room: str
    can_bring_someone: bool | None
    can_just_listen: bool | None
    first_visit: str


class PlaceOut(Schema):
    venue_name: str
    address: str
    town: str
    postcode: str
    region: str
    latitude: float | None
    longitude: float | None


class ContactOut(Schema):
    name: str
    email: str
    phone: str
    website: str


class ResourceOut(Schema):
    name: str
    category: ResourceCategory
    category_label: str
    region: str
    description: str
    phone: str
    url: str
    hours: str


class OfferDetailOut(OfferSummaryOut):
    description: str
    who_it_is_for: WhoItIsForOut
    accessibility: AccessibilityOut
    place: PlaceOut
    contact: ContactOut
    what_to_expect: WhatToExpectOut
    status: OfferStatus
    is_grassroots: bool
    last_confirmed_at: datetime | None
    practical_resources: list[ResourceOut]


class OriginOut(Schema):
    name: str
    region: str


class OfferFilters(Schema):
    """The search page's filters, as query parameters. Repeat a parameter to choose several (kind=group&kind=scheme)."""

    q: str = Field("", max_length=500, description="What you're looking for, in your own words.")
    kind: list[OfferKind] = Field(default_factory=list, max_length=4)
    delivery: list[Delivery] = Field(default_factory=list, max_length=5)
    day: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=list, max_length=7, description="0 is Monday, 6 is Sunday."
    )
    time: list[search_logic.TimeOfDay] = Field(default_factory=list, max_length=4)
    place: str = Field("", max_length=60, description="A town, city or postcode.")
    radius_km: int | None = Field(None, ge=1, le=200)
    for_whom: search_logic.ForWhom = search_logic.ForWhom.ANYONE
    age: int | None = Field(None, ge=0, le=120)
    access: list[Literal["step_free", "hearing_loop", "bsl", "quiet_room", "accessible_toilet"]] = Field(
        default_factory=list, max_length=5
    )
    free: bool = False
    language: str = Field("", max_length=40)
    sort: search_logic.Sort = search_logic.Sort.RELEVANCE
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(search_logic.PER_PAGE, ge=1, le=search_logic.MAX_PER_PAGE)


class SearchResultOut(OfferSummaryOut):
    reasons: list[str] = Field(..., description="Why it matched, in plain words.")
    distance_km: float | None
    next_at: datetime | None = Field(..., description="When it next meets, if it has regular times.")


class OfferPageOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    results: list[SearchResultOut]
    notices: list[str] = Field(..., description="Anything the search did with your words that you should know.")
    place: OriginOut | None
    relaxed: bool = Field(..., description="True when nothing matched all your words, so these match some.")


class OfferRefOut(Schema):
    slug: str
    title: str


class ReferralOut(Schema):
    public_id: UUID
    offer: OfferRefOut
    organisation: OrganisationRefOut
    kind: ReferralKind
    status: ReferralStatus
    message: str
    preferred_contact: str
    closed_reason: str
    created_at: datetime
    updated_at: datetime


class PersonRefOut(Schema):
    public_id: UUID
    display_name: str


class ReferrerOut(Schema):
    name: str
    role: str
    organisation: str
    email: str
    phone: str


class ProfessionalPersonOut(Schema):
    name: str
    email: str
    phone: str


class InboxItemOut(ReferralOut):
    person: PersonRefOut | None = Field(None, description="For requests people made themselves.")
    referred_person: ProfessionalPersonOut | None = Field(None, description="For professional referrals.")
    referrer: ReferrerOut | None = Field(None, description="For professional referrals.")


class InboxPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[InboxItemOut]


class SelfReferralIn(InputSchema):
    kind: Literal["join", "talk_first"] = Field(
        ..., description="'join' to ask to join, 'talk_first' to talk to someone before deciding."
    )
    message: str = Field("", max_length=3000, description="Anything you'd like them to know, in your own words.")
    preferred_contact: str = Field("", max_length=120, description="How you'd like them to get in touch.")


class StatusIn(InputSchema):
    status: Literal["contacted", "joined", "closed"]
    reason: str = Field("", max_length=300, description="Needed when closing: the person will see it.")
    note: str = Field("", max_length=3000, description="A note for your organisation's records.")


ConnectChoice = Literal["one_to_one", "group", "online", "unsure"]
WhereChoice = Literal["in_person", "online", "either"]
WhenChoice = Literal["weekday_daytime", "evenings", "weekends", "any"]
WhoChoice = Literal[
    "women",
    "men",
    "lgbtq",
    "black_asian",
    "young",
    "just_listen",
    "bring_someone",
    "step_free",
    "hearing_loop",
    "bsl",
    "quiet_room",
    "free",
]


class ChooserIn(InputSchema):
    connect: ConnectChoice = Field("unsure", description="How you'd like to connect first.")
    where: WhereChoice = "either"
    when: list[WhenChoice] = Field(default_factory=list, max_length=4)
    who: list[WhoChoice] = Field(default_factory=list, max_length=12, description="What matters to you.")
    place: str = Field("", max_length=chooser_logic.MAX_PLACE_CHARS, description="A town or postcode.")
    region: str = Field("", max_length=chooser_logic.MAX_PLACE_CHARS, description="A region, e.g. Yorkshire.")
    language: str = Field("", max_length=chooser_logic.MAX_LANGUAGE_CHARS)
    limit: int = Field(chooser_logic.DEFAULT_LIMIT, ge=1, le=30)


class SuggestionOut(Schema):
    offer: OfferSummaryOut
    score: int
    reasons: list[str] = Field(..., description="Why it was suggested, in plain words.")
    notes: list[str] = Field(..., description="Worth knowing before you go.")
    distance_km: float | None


class AlsoTryOut(Schema):
    form: Form
    heading: str
    why: str
    suggestions: list[SuggestionOut]


class ChooserOut(Schema):
    place: OriginOut | None
    place_note: str
    suggestions: list[SuggestionOut]
    also_try: list[AlsoTryOut]


# --- Shaping rows into schemas ----------------------------------------------------------------------------------


def _offer_summary(offer: Offer) -> dict[str, Any]:
    return {
        "slug": offer.slug,
        "title": offer.title,
        "summary": offer.summary,
        "kind": offer.kind,
        "form": offer.form,
        "delivery": offer.delivery,
        "organisation": {"slug": offer.organisation.slug, "name": offer.organisation.name},
        "town": offer.town,
        "region": offer.region,
        "is_free": offer.is_free,
        "cost": offer.cost,
        "languages": [lang.strip() for lang in offer.languages.split(",") if lang.strip()],
        "times": [
            {
                "weekday": t.weekday,
                "weekday_name": t.get_weekday_display(),
                "starts_at": t.starts_at,
                "ends_at": t.ends_at,
                "note": t.note,
            }
            for t in offer.times.all()
        ],
        "url": reverse("directory:offer", kwargs={"slug": offer.slug}),
    }


def _resource(resource: PracticalResource) -> dict[str, Any]:
    return {
        "name": resource.name,
        "category": resource.category,
        "category_label": resource.get_category_display(),
        "region": resource.region,
        "description": resource.description,
        "phone": resource.phone,
        "url": resource.url,
        "hours": resource.hours,
    }


def _offer_detail(offer: Offer) -> dict[str, Any]:
    return {
        **_offer_summary(offer),
        "description": offer.description,
        "who_it_is_for": {
            "age_min": offer.age_min,
            "age_max": offer.age_max,
            "gender_focus": offer.gender_focus,
            "identity_focus": offer.identity_focus,
            "experience_focus": offer.experience_focus,
            "eligibility": offer.eligibility,
        },
        "accessibility": {
            "step_free": offer.step_free,
            "hearing_loop": offer.hearing_loop,
            "bsl": offer.bsl,
            "quiet_room": offer.quiet_room,
            "accessible_toilet": offer.accessible_toilet,
            "access_notes": offer.access_notes,
        },
        "place": {
            "venue_name": offer.venue_name,
            "address": offer.address,
            "town": offer.town,
            "postcode": offer.postcode,
            "region": offer.region,
            "latitude": offer.latitude,
            "longitude": offer.longitude,
        },
        "contact": {
            "name": offer.contact_name,
            "email": offer.contact_email,
            "phone": offer.contact_phone,
            "website": offer.website,
        },
        "what_to_expect": {
            "format": offer.format,
            "typical_size": offer.typical_size,
            "typical_mix": offer.typical_mix,
            "finding_the_room": offer.finding_the_room,
            "can_bring_someone": offer.can_bring_someone,
            "can_just_listen": offer.can_just_listen,
            "first_visit": offer.first_visit,
        },
        "status": offer.status,
        "is_grassroots": offer.is_grassroots,
        "last_confirmed_at": offer.last_confirmed_at,
        "practical_resources": [_resource(r) for r in resources_for_region(offer.region)],
    }


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "public_id": referral.public_id,
        "offer": {"slug": referral.offer.slug, "title": referral.offer.title},
        "organisation": {"slug": referral.organisation.slug, "name": referral.organisation.name},
        "kind": referral.kind,
        "status": referral.status,
        "message": referral.message,
        "preferred_contact": referral.preferred_contact,
        "closed_reason": referral.closed_reason,
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
    }


def _inbox_item(referral: Referral) -> dict[str, Any]:
    item = _referral(referral)
    if referral.kind == ReferralKind.PROFESSIONAL:
        item["referred_person"] = {
            "name": referral.person_name,
            "email": referral.person_email,
            "phone": referral.person_phone,
        }
        item["referrer"] = {
            "name": referral.referrer_name,
            "role": referral.referrer_role,
            "organisation": referral.referrer_organisation,
            "email": referral.referrer_email,
            "phone": referral.referrer_phone,
        }
    elif referral.person is not None:
        item["person"] = {"public_id": referral.person.public_id, "display_name": referral.person.display_name}
    return item


def _suggestion(suggestion: chooser_logic.Suggestion) -> dict[str, Any]:
    return {
        "offer": _offer_summary(suggestion.offer),
        "score": suggestion.score,
        "reasons": suggestion.reasons,
        "notes": suggestion.notes,
        "distance_km": round(suggestion.distance_km, 1) if suggestion.distance_km is not None else None,
    }


# --- Offers ------------------------------------------------------------------------------------------------


@router.get(
    "/offers",
    auth=None,
    response=_with({200: OfferPageOut}),
    summary="Search offers in your own words, with the search page's filters. No account needed.",
)
def offers(request: HttpRequest, payload: Query[OfferFilters]) -> dict[str, Any]:
    filters = payload
    page = search_logic.search_offers(
        search_logic.SearchQuery(
            text=filters.q,
            kinds=tuple(filters.kind),
            deliveries=tuple(filters.delivery),
            days=tuple(filters.day),
            times=tuple(filters.time),
            place=filters.place,
            radius_km=filters.radius_km,
            for_whom=filters.for_whom,
            age=filters.age,
            access=tuple(filters.access),
            free_only=filters.free,
            language=filters.language,
            sort=filters.sort,
            page=filters.page,
            per_page=filters.per_page,
        )
    )
    return {
        "count": page.total,
        "page": page.page,
        "pages": page.num_pages,
        "per_page": page.per_page,
        "results": [
            {
                **_offer_summary(result.offer),
                "reasons": result.reasons,
                "distance_km": round(result.distance_km, 1) if result.distance_km is not None else None,
                "next_at": result.next_at,
            }
            for result in page.results
        ],
        "notices": page.notices,
        "place": {"name": page.place.name, "region": page.place.region} if page.place else None,
        "relaxed": page.relaxed,
    }


@router.get(
    "/offers/{slug}",
    auth=None,
    response=_with({200: OfferDetailOut}, 404),
    summary="One offer: what it is, who it's for, what to expect. No account needed.",
)
def offer_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    offer = get_offer_for(_viewer(request), slug[:120])
    return _offer_detail(offer)


@router.post(
    "/offers/{slug}/requests",
    response=_with({201: ReferralOut}, 400, 404, 429, conflict=True),
    summary="Ask to join an offer, or to talk to someone first (a self-referral)",
)
def offer_request(request: HttpRequest, slug: str, payload: SelfReferralIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    offer = get_offer_for(user, slug[:120])
    ratelimit.check("referral", str(user.public_id))
    referral = referral_services.referral_create_self(
        actor=user,
        offer=offer,
        kind=payload.kind,
        message=payload.message,
        preferred_contact=payload.preferred_contact,
    )
    return Status(201, _referral(referral))


# --- Requests ----------------------------------------------------------------------------------------------


@router.get("/requests", response=_with({200: list[ReferralOut]}), summary="Your requests and how they're going")
def my_requests(request: HttpRequest) -> list[dict[str, Any]]:
    return [_referral(r) for r in referral_services.referrals_of_person(current_user(request))]


@router.get(
    "/requests/{public_id}",
    response=_with({200: InboxItemOut}, 404),
    summary="One request: yours, or one to your organisation (coordinators)",
)
def request_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    referral = get_referral_for(user, str(public_id))
    return _inbox_item(referral) if referral.person_id != user.pk else _referral(referral)


@router.post(
    "/requests/{public_id}/status",
    response=_with({200: InboxItemOut}, 400, 403, 404, conflict=True),
    summary="Mark a request contacted, joined or closed (coordinators of its organisation)",
)
def request_status(request: HttpRequest, public_id: UUID, payload: StatusIn) -> dict[str, Any]:
    user = current_user(request)
    referral = get_referral_for(user, str(public_id), manage=True)
    referral = referral_services.referral_set_status(
        actor=user, referral=referral, status=payload.status, reason=payload.reason, note=payload.note
    )
    return _inbox_item(referral)


@router.get(
    "/inbox",
    response=_with({200: InboxPageOut}, 403),
    summary="Requests to the organisations you coordinate, newest first (coordinators only)",
)
def inbox(
    request: HttpRequest,
    status: ReferralStatus | None = None,
    page: int = Query(1, ge=1, le=10_000),
    page_size: int = Query(20, ge=1, le=PAGE_SIZE_MAX),
) -> dict[str, Any]:
    user = current_user(request)
    if not (user.is_superuser or coordinated_organisations(user).exists()):
        raise PermissionDenied("The requests inbox is for coordinators.")
    referrals = referral_services.inbox_for(user, status=status or "")
    count = referrals.count()
    pages = max(1, -(-count // page_size))
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "results": [_inbox_item(r) for r in referrals[start : start + page_size]],
    }


# --- The chooser and practical resources ----------------------------------------------------------------


@router.post(
    "/chooser",
    auth=None,
    response=_with({200: ChooserOut}),
    summary="“Not sure where to start?”: your answers in, suggestions with reasons out. Nothing is stored.",
)
def chooser(request: HttpRequest, payload: ChooserIn) -> dict[str, Any]:
    answers = chooser_logic.answers_from(payload.dict())
    origin, place_note = chooser_logic.origin_for(answers)
    result = chooser_logic.chooser_suggestions(answers, origin=origin, limit=payload.limit)
    return {
        "place": {"name": origin.name, "region": origin.region} if origin else None,
        "place_note": place_note,
        "suggestions": [_suggestion(s) for s in result.suggestions],
        "also_try": [
            {
                "form": also.form,
                "heading": also.heading,
                "why": also.why,
                "suggestions": [_suggestion(s) for s in also.suggestions],
            }
            for also in result.also_try
        ],
    }


@router.get(
    "/resources",
    auth=None,
    response=_with({200: list[ResourceOut]}),
    summary="Practical help for a region (and UK-wide), crisis lines first. No account needed.",
)
def resources(request: HttpRequest, region: str = Query(..., min_length=1, max_length=MAX_REGION_CHARS)) -> list[Any]:
    return [_resource(r) for r in resources_for_region(region)]
