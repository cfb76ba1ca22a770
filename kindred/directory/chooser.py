"""The "not sure where to start?" chooser: a few gentle answers in, a ranked and explained list of offers out.

Scoring is deterministic and explainable: every point an offer earns comes with a sentence saying why, and
every point it loses with a plain note ("it meets on Saturday mornings"). The functions that score are pure —
they read only the offers and answers they are given — so they are easy to test and to reason about.
`chooser_suggestions` is the one selector that fetches offers from the database.

People combine forms of peer support (thesis: 14 of 18 did), so alongside the ranked list of the form a
person chose first, `also_try` suggests one or two offers of each other form, with a line on why they go
well together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time

from django.db.models import Prefetch, Q

from kindred.commons.models import Form

from . import places
from .models import FORM_OF_KIND, Delivery, Offer, OfferKind, OfferStatus, OfferTime

# --- The questions and their answers -------------------------------------------------------------------

CONNECT_CHOICES: tuple[tuple[str, str], ...] = (
    ("one_to_one", "Talk with one person"),
    ("group", "Be in a group"),
    ("online", "Read and write online"),
    ("unsure", "I'm not sure yet"),
)
CONNECT_FORMS: dict[str, Form] = {"one_to_one": Form.ONE_TO_ONE, "group": Form.GROUP, "online": Form.ONLINE}

WHERE_CHOICES: tuple[tuple[str, str], ...] = (
    ("in_person", "In person"),
    ("online", "Online or by phone, from home"),
    ("either", "Either is fine"),
)

WHEN_CHOICES: tuple[tuple[str, str], ...] = (
    ("weekday_daytime", "Weekday daytimes"),
    ("evenings", "Evenings"),
    ("weekends", "Weekends"),
    ("any", "Any time"),
)

WHO_CHOICES: tuple[tuple[str, str], ...] = (
    ("women", "Women only"),
    ("men", "Men only"),
    ("lgbtq", "LGBTQ+ people"),
    ("black_asian", "Black and Asian people"),
    ("young", "People aged 18–25"),
    ("just_listen", "I can just listen at first"),
    ("bring_someone", "I can bring someone with me"),
    ("step_free", "Step-free access"),
    ("hearing_loop", "A hearing loop"),
    ("bsl", "British Sign Language"),
    ("quiet_room", "A quiet room"),
    ("free", "It's free"),
)

MAX_PLACE_CHARS = 80
MAX_LANGUAGE_CHARS = 40
# In-person offers further than this from the person's place are left out of the suggestions.
MAX_DISTANCE_KM = 60.0
DEFAULT_LIMIT = 10
ALSO_TRY_PER_FORM = 2

EVENING_STARTS = time(17, 0)
AFTERNOON_STARTS = time(12, 0)


@dataclass(frozen=True)
class Answers:
    """What the person told the chooser. Every answer is optional; empty means "anything is fine"."""

    connect: str = "unsure"
    where: str = "either"
    when: frozenset[str] = frozenset()
    who: frozenset[str] = frozenset()
    place: str = ""
    region: str = ""
    language: str = ""

    @property
    def forms(self) -> tuple[Form, ...]:
        """The forms the person would like first: one, or all three if they aren't sure."""
        chosen = CONNECT_FORMS.get(self.connect)
        return (chosen,) if chosen else tuple(CONNECT_FORMS.values())

    @property
    def times_matter(self) -> bool:
        return bool(self.when) and "any" not in self.when


@dataclass(frozen=True)
class Origin:
    """Where the person is, as far as we know: a named place with coordinates, or only a region."""

    name: str
    latitude: float | None = None
    longitude: float | None = None
    region: str = ""

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class Suggestion:
    offer: Offer
    score: int
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    distance_km: float | None = None


@dataclass(frozen=True)
class AlsoTry:
    form: Form
    heading: str
    why: str
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class ChooserResult:
    answers: Answers
    origin: Origin | None
    suggestions: tuple[Suggestion, ...]
    also_try: tuple[AlsoTry, ...]


def _clean_text(value: object, limit: int) -> str:
    text = " ".join(str(value or "").split())
    return "".join(ch for ch in text if ch.isprintable())[:limit]


def _known(values: Iterable[object], choices: Sequence[tuple[str, str]]) -> frozenset[str]:
    allowed = {key for key, _ in choices}
    return frozenset(v for v in (str(v) for v in values) if v in allowed)


def answers_from(data: Mapping[str, object]) -> Answers:
    """Build Answers from already-validated data (a form's cleaned_data or an API payload).

    Unknown values are dropped rather than trusted, text is trimmed and shortened, so whatever arrives
    the chooser still has something sensible to work with.
    """

    def many(key: str) -> list[object]:
        value = data.get(key) or []
        return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]

    connect = str(data.get("connect") or "unsure")
    where = str(data.get("where") or "either")
    return Answers(
        connect=connect if connect in dict(CONNECT_CHOICES) else "unsure",
        where=where if where in dict(WHERE_CHOICES) else "either",
        when=_known(many("when"), WHEN_CHOICES),
        who=_known(many("who"), WHO_CHOICES),
        place=_clean_text(data.get("place"), MAX_PLACE_CHARS),
        region=_clean_text(data.get("region"), MAX_PLACE_CHARS),
        language=_clean_text(data.get("language"), MAX_LANGUAGE_CHARS),
    )


# --- Small pure helpers ------------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return places.haversine_km(lat1, lon1, lat2, lon2)


def format_distance(km: float) -> str:
    if km < 1:
        return "less than 1 km"
    if km < 10:
        return f"{km:.1f} km".replace(".0 km", " km")
    return f"{round(km)} km"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def part_of_day(starts_at: time) -> str:
    if starts_at >= EVENING_STARTS:
        return "evenings"
    if starts_at >= AFTERNOON_STARTS:
        return "afternoons"
    return "mornings"


def describe_time(slot: OfferTime) -> str:
    """'Tuesday evenings' — how a person would say it."""
    return f"{WEEKDAYS[slot.weekday]} {part_of_day(slot.starts_at)}"


def slot_fits(slot: OfferTime, when: frozenset[str]) -> bool:
    if not when or "any" in when:
        return True
    weekend = slot.weekday >= 5
    evening = slot.starts_at >= EVENING_STARTS
    return (
        ("weekends" in when and weekend)
        or ("evenings" in when and evening)
        or ("weekday_daytime" in when and not weekend and not evening)
    )


def _join(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _offers_in_person(offer: Offer) -> bool:
    return offer.delivery in {Delivery.IN_PERSON, Delivery.HYBRID}


def _offers_from_home(offer: Offer) -> bool:
    return offer.delivery in {Delivery.ONLINE, Delivery.VIDEO, Delivery.PHONE, Delivery.HYBRID}


def delivery_fits(offer: Offer, where: str) -> bool:
    if where == "in_person":
        return _offers_in_person(offer)
    if where == "online":
        return _offers_from_home(offer)
    return True


_FOCUS_PATTERNS: dict[str, re.Pattern[str]] = {
    "women": re.compile(r"\b(women|woman|female|mothers|mums)\b"),
    "men": re.compile(r"\b(men|man|male|fathers|dads)\b"),
    "lgbtq": re.compile(r"\b(lgbt\w*\+?|queer|trans|gay|lesbian|bisexual|bi|non-binary|nonbinary)\b"),
    "black_asian": re.compile(r"\b(black|asian|african|caribbean|global majority|people of colour|racialised|bame)\b"),
}
_FOCUS_REASONS = {
    "women": "it's for women",
    "men": "it's for men",
    "lgbtq": "it's for LGBTQ+ people",
    "black_asian": "it's for Black and Asian people",
}


def has_focus(offer: Offer, focus: str) -> bool:
    """Whether the offer is set up for a group of people. Gender is read from both focus fields (a group
    for Black women is a women's group); identities only from the identity focus."""
    text = f"{offer.gender_focus} {offer.identity_focus}" if focus in {"women", "men"} else offer.identity_focus
    return bool(_FOCUS_PATTERNS[focus].search(text.lower()))


def is_young_adults(offer: Offer) -> bool:
    """An offer for young adults: its age range sits within 14-30 and overlaps 18-25."""
    if offer.age_max is None:
        return False
    low = offer.age_min if offer.age_min is not None else 0
    return offer.age_max <= 30 and low <= 25 and offer.age_max >= 18 and low >= 14


def _age_note(offer: Offer) -> str:
    if offer.age_min is not None and offer.age_max is not None:
        return f"it's for people aged {offer.age_min}–{offer.age_max}"
    if offer.age_min is not None:
        return f"it's for people aged {offer.age_min} and over"
    if offer.age_max is not None:
        return f"it's for people aged up to {offer.age_max}"
    return ""


def _languages(offer: Offer) -> list[str]:
    return [lang.strip().lower() for lang in offer.languages.split(",") if lang.strip()]


# --- Scoring -----------------------------------------------------------------------------------------------

# Points, kept together so the balance between answers is visible in one place.
FORM_MATCH = 40
DELIVERY_MATCH = 10
NEAR = ((2.0, 25), (5.0, 20), (10.0, 15), (25.0, 8), (MAX_DISTANCE_KM, 3))
SAME_REGION = 12
OTHER_REGION = -15
TIME_MATCH = 15
TIME_FLEXIBLE = 8
TIME_MISMATCH = -12
FOCUS_MATCH = 20
FOCUS_MISSING = -8
FOCUS_UNASKED = -10
PREFERENCE_MET = 10
PREFERENCE_UNMET = -12
LANGUAGE_MATCH = 15
LANGUAGE_MISSING = -10


def score_offer(offer: Offer, answers: Answers, *, origin: Origin | None = None) -> Suggestion:
    """Score one offer against the answers, with a reason for every point it gains and a note for each it loses.

    Reads `offer.times.all()`: prefetch the times when scoring many offers.
    """
    score = 0
    reasons: list[str] = []
    notes: list[str] = []
    form = FORM_OF_KIND[OfferKind(offer.kind)]

    # How they'd like to connect.
    if answers.connect in CONNECT_FORMS and form == CONNECT_FORMS[answers.connect]:
        score += FORM_MATCH
        reasons.append(
            {
                Form.ONE_TO_ONE: "you'd like to talk with one person — this is one to one",
                Form.GROUP: "you'd like to be in a group — this is a group",
                Form.ONLINE: "you'd like to read and write online — you can here",
            }[form]
        )

    # In person or from home.
    if answers.where == "in_person" and _offers_in_person(offer):
        score += DELIVERY_MATCH
        reasons.append("it meets in person")
    elif answers.where == "online" and _offers_from_home(offer):
        score += DELIVERY_MATCH
        reasons.append(
            {
                Delivery.VIDEO: "you can join by video from home",
                Delivery.HYBRID: "you can join by video from home",
                Delivery.PHONE: "it's by phone, from home",
                Delivery.ONLINE: "it's online, so you can join from anywhere",
            }[Delivery(offer.delivery)]
        )

    # Place: distance if we know where they are, else their region. Only for things that meet in person.
    distance = _distance_to(offer, origin)
    if origin is not None and _offers_in_person(offer) and answers.where != "online":
        local = _is_local(offer, origin)
        if distance is not None and local:
            score += next(points for limit, points in NEAR if distance <= limit)
            reasons.append(f"it's {format_distance(distance)} from {origin.name}")
        elif local and origin.region and offer.region:
            score += SAME_REGION
            reasons.append(f"it's in {offer.town}, {offer.region}" if offer.town else f"it's in {offer.region}")
        elif local is False:
            # Only hybrid offers get here (others far away aren't candidates): they can be joined by video.
            score += OTHER_REGION
            notes.append(f"it meets in {offer.town or offer.region or 'another area'}; you could join by video")

    # When.
    slots = list(offer.times.all())
    if answers.times_matter:
        fitting = [slot for slot in slots if slot_fits(slot, answers.when)]
        if fitting:
            score += TIME_MATCH
            reasons.append(f"it meets on {_join([describe_time(s) for s in fitting])}")
        elif not slots and form == Form.ONLINE:
            score += TIME_FLEXIBLE
            reasons.append("it's open any time, so you can drop in when it suits you")
        elif not slots and form == Form.ONE_TO_ONE:
            score += TIME_FLEXIBLE
            reasons.append("times are arranged with you")
        elif slots:
            score += TIME_MISMATCH
            notes.append(f"it meets on {_join([describe_time(s) for s in slots])}")

    # Who is there.
    for focus in ("women", "men", "lgbtq", "black_asian"):
        focused = has_focus(offer, focus)
        if focus in answers.who:
            if focused:
                score += FOCUS_MATCH
                reasons.append(_FOCUS_REASONS[focus])
            else:
                score += FOCUS_MISSING
        elif focused:
            score += FOCUS_UNASKED
            notes.append(_FOCUS_REASONS[focus])
    young = is_young_adults(offer)
    if "young" in answers.who:
        if young:
            score += FOCUS_MATCH
            reasons.append(_age_note(offer))
        else:
            score += FOCUS_MISSING
    elif young:
        score += FOCUS_UNASKED
        notes.append(_age_note(offer))
    elif offer.age_min is not None and offer.age_min > 25:
        notes.append(_age_note(offer))
    if offer.eligibility:
        notes.append(offer.eligibility.rstrip("."))

    # Things that would make it easier.
    if "just_listen" in answers.who:
        can_listen = offer.can_just_listen
        if can_listen is None and form == Form.ONLINE:
            can_listen = True  # Reading without posting is always welcome in online spaces.
        if can_listen:
            score += PREFERENCE_MET
            reasons.append("you said you'd like to just listen — you can")
        elif can_listen is False:
            score += PREFERENCE_UNMET
            notes.append("people are usually asked to join in here")
    if "bring_someone" in answers.who:
        if offer.can_bring_someone:
            score += PREFERENCE_MET
            reasons.append("you can bring someone with you")
        elif offer.can_bring_someone is False:
            score += PREFERENCE_UNMET
            notes.append("it's not set up for bringing someone along")
    in_person = _offers_in_person(offer) and answers.where != "online"
    for need, attribute, met in (
        ("step_free", "step_free", "it has step-free access"),
        ("hearing_loop", "hearing_loop", "it has a hearing loop"),
        ("quiet_room", "quiet_room", "there's a quiet room"),
    ):
        if need not in answers.who or not in_person:
            continue
        if getattr(offer, attribute):
            score += PREFERENCE_MET
            reasons.append(met)
        else:
            score += PREFERENCE_UNMET
            notes.append(met.replace("it has", "it doesn't list").replace("there's", "it doesn't list"))
    if "bsl" in answers.who:
        if offer.bsl:
            score += PREFERENCE_MET
            reasons.append("British Sign Language is available")
        else:
            score += PREFERENCE_UNMET
    if "free" in answers.who:
        if offer.is_free:
            score += PREFERENCE_MET
            reasons.append("it's free")
        else:
            score += PREFERENCE_UNMET
            notes.append(f"it costs something: {offer.cost}" if offer.cost else "it isn't free")

    # Language.
    language = answers.language.strip().lower()
    if language and language != "english":
        spoken = _languages(offer)
        if any(language == lang or language in lang for lang in spoken):
            score += LANGUAGE_MATCH
            reasons.append(f"it's in {answers.language.strip().title()}")
        else:
            score += LANGUAGE_MISSING
            notes.append(f"it's in {_join([lang.title() for lang in spoken]) or 'English'}")

    return Suggestion(offer=offer, score=score, reasons=reasons, notes=notes, distance_km=distance)


def _distance_to(offer: Offer, origin: Origin | None) -> float | None:
    if origin is None or not origin.has_coordinates or offer.latitude is None or offer.longitude is None:
        return None
    return distance_km(origin.latitude, origin.longitude, offer.latitude, offer.longitude)  # type: ignore[arg-type]


def _is_local(offer: Offer, origin: Origin | None) -> bool | None:
    """Whether an offer's meeting place is within reach of the person; None when we can't tell."""
    if origin is None:
        return None
    distance = _distance_to(offer, origin)
    if distance is not None:
        return distance <= MAX_DISTANCE_KM
    if origin.region and offer.region:
        return offer.region.strip().lower() == origin.region.strip().lower()
    return None


def _is_candidate(offer: Offer, answers: Answers, origin: Origin | None) -> bool:
    if offer.status != OfferStatus.PUBLISHED or not delivery_fits(offer, answers.where):
        return False
    # Somewhere out of reach is no use to someone who wants to be there in person; a hybrid offer far away
    # still is to someone happy to join by video.
    meets_only_in_person = offer.delivery == Delivery.IN_PERSON or answers.where == "in_person"
    return not (meets_only_in_person and _is_local(offer, origin) is False)


def _rank_key(suggestion: Suggestion) -> tuple[int, float, str, str]:
    distance = suggestion.distance_km if suggestion.distance_km is not None else math.inf
    return (-suggestion.score, distance, suggestion.offer.title.lower(), suggestion.offer.slug)


def rank(offers: Iterable[Offer], answers: Answers, *, origin: Origin | None = None) -> list[Suggestion]:
    """Every candidate offer, best first. Ties go to the nearer one, then alphabetically: always the same order."""
    scored = [score_offer(offer, answers, origin=origin) for offer in offers if _is_candidate(offer, answers, origin)]
    return sorted(scored, key=_rank_key)


ALSO_TRY_COPY: dict[tuple[Form, Form], str] = {
    (Form.GROUP, Form.ONLINE): "An online space can keep you company between meetings, and you can just read.",
    (Form.GROUP, Form.ONE_TO_ONE): "Some people like to talk with one person as well, alongside a group.",
    (Form.ONE_TO_ONE, Form.GROUP): "Many friendships start in groups. You could try one alongside talking one to one.",
    (Form.ONE_TO_ONE, Form.ONLINE): "Reading and writing online can help on the days in between.",
    (Form.ONLINE, Form.GROUP): "When you feel ready, a group can be a gentle next step. Many let you just listen.",
    (Form.ONLINE, Form.ONE_TO_ONE): "If you'd like someone to talk to, a befriender or peer mentor can be alongside.",
}
ALSO_TRY_HEADINGS: dict[Form, str] = {
    Form.GROUP: "A group",
    Form.ONE_TO_ONE: "Someone to talk with one to one",
    Form.ONLINE: "An online space",
}
UNSURE_COPY: dict[Form, str] = {
    Form.GROUP: "Meeting others who understand, in a room or on a video call.",
    Form.ONE_TO_ONE: "Time with one person: a befriender, a peer mentor or a peer support worker.",
    Form.ONLINE: "Reading and writing with others online, whenever suits you.",
}


def suggest(
    offers: Iterable[Offer], answers: Answers, *, origin: Origin | None = None, limit: int = DEFAULT_LIMIT
) -> ChooserResult:
    """The ranked suggestions for the forms the person chose, and other forms to try alongside."""
    offers = list(offers)
    first_forms = answers.forms
    ranked = rank([o for o in offers if FORM_OF_KIND[OfferKind(o.kind)] in first_forms], answers, origin=origin)
    suggestions = tuple(ranked[:limit])

    shown = {s.offer.pk for s in suggestions}
    also: list[AlsoTry] = []
    if answers.connect in CONNECT_FORMS:
        primary = CONNECT_FORMS[answers.connect]
        others = [form for form in CONNECT_FORMS.values() if form != primary]
    else:
        # Not sure yet: offer each form that the top of the list doesn't already show.
        primary = None
        top_forms = {FORM_OF_KIND[OfferKind(s.offer.kind)] for s in suggestions[:3]}
        others = [form for form in CONNECT_FORMS.values() if form not in top_forms]
    for form in others:
        # An online space is online by nature: suggest one even to someone who said "in person".
        relaxed = replace(answers, where="either") if form == Form.ONLINE else answers
        of_form = [o for o in offers if FORM_OF_KIND[OfferKind(o.kind)] == form and o.pk not in shown]
        picks = tuple(rank(of_form, relaxed, origin=origin)[:ALSO_TRY_PER_FORM])
        if not picks:
            continue
        why = ALSO_TRY_COPY[(primary, form)] if primary is not None else UNSURE_COPY[form]
        also.append(AlsoTry(form=form, heading=ALSO_TRY_HEADINGS[form], why=why, suggestions=picks))
    return ChooserResult(answers=answers, origin=origin, suggestions=suggestions, also_try=tuple(also))


# --- The one selector that reads the database ----------------------------------------------------------------


def candidate_offers(answers: Answers, origin: Origin | None = None) -> list[Offer]:
    """Published offers the chooser may suggest, with their times. In-person offers are narrowed to a box
    around the person's place (or their region) in the database, so a large directory stays quick."""
    offers = Offer.objects.filter(status=OfferStatus.PUBLISHED).select_related("organisation")
    if origin is not None:
        if origin.has_coordinates:
            lat, lon = origin.latitude, origin.longitude
            dlat = MAX_DISTANCE_KM / 111.0
            dlon = MAX_DISTANCE_KM / (111.0 * max(0.1, math.cos(math.radians(lat))))  # type: ignore[arg-type]
            local = Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))  # type: ignore[operator]
            local |= Q(latitude__isnull=True)
        elif origin.region:
            local = Q(region__iexact=origin.region) | Q(region="")
        else:
            local = Q()
        from_home = [Delivery.ONLINE, Delivery.VIDEO, Delivery.PHONE]
        if answers.where != "in_person":
            from_home.append(Delivery.HYBRID)
        if local:
            offers = offers.filter(local | Q(delivery__in=from_home))
    return list(offers.prefetch_related(Prefetch("times", queryset=OfferTime.objects.order_by("weekday", "starts_at"))))


def chooser_suggestions(answers: Answers, *, origin: Origin | None = None, limit: int = DEFAULT_LIMIT) -> ChooserResult:
    return suggest(candidate_offers(answers, origin), answers, origin=origin, limit=limit)


def known_regions() -> list[str]:
    """Regions that published offers are in, for the chooser's place question."""
    regions = (
        Offer.objects.filter(status=OfferStatus.PUBLISHED)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    return list(regions)


def origin_for(answers: Answers) -> tuple[Origin | None, str]:
    """Where the person said they are, and a kind note if we couldn't find the town or postcode they gave."""
    if answers.place:
        found = places.find_place(answers.place)
        if found is not None:
            return Origin(name=found.name, latitude=found.latitude, longitude=found.longitude, region=found.region), ""
        note = f"We couldn't find “{answers.place}” on our map, so these aren't sorted by distance."
        if answers.region:
            return Origin(name=answers.region, region=answers.region), note
        return None, note + " You could try a nearby town, or the first part of a postcode (like LS6)."
    if answers.region:
        return Origin(name=answers.region, region=answers.region), ""
    return None, ""
