"""Search offers in people's own words: the one selector behind the search page and the API.

How it works
------------
1. The query is read into *concepts*: a phrase a coordinator put in the synonyms list ("hearing
   voices", "someone to talk to"), a time word ("evening", "Saturday") or a single word. Small
   words ("for", "to", "near") are dropped. Each concept carries the person's own words (`direct`)
   and, from the synonyms list, other words for the same thing (`related`).
2. Every word is stemmed in Python (kindred.directory.text) and matched against stems stored on
   each offer, through each engine's full-text index: FTS5 on SQLite, tsvector on PostgreSQL.
   The engine query is built from sanitised [a-z0-9] tokens, always as a bound parameter, so no
   input can reach the engine's query syntax.
3. An offer must match every concept (all your words); if nothing does, the search relaxes to any
   of them and says so. Time words match the offer's regular times rather than its text.
4. Relevance is a whole number computed the same way on both engines: per concept 14 for your own
   words in the title, 10 in the text, 8 / 6 for another word from the synonyms list, 10 for a
   matching time. Ties go to the next meeting (or the nearest, when you give a place), then the
   title in byte order, then creation order — so both databases return the same page.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache, reduce
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate
from django.utils import timezone

from kindred.core.zones import zone_named

from .models import Delivery, Offer, OfferKind, OfferStatus, OfferTime, Synonym, Weekday
from .places import KM_PER_DEGREE, Place, find_place, haversine_km
from .text import FIELD_BREAK, stem, stems, words

PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_QUERY_LENGTH = 200
MAX_WORDS = 30
MAX_CONCEPTS = 8
MAX_ALTERNATIVES = 24
RADIUS_CHOICES_KM = (5, 10, 25, 50, 100)
DEFAULT_RADIUS_KM = 25
SITE_ZONE = zone_named(None)  # listings' regular times are in the site's time zone
MINUTES_PER_WEEK = 7 * 24 * 60
NO_REGULAR_TIME = 2 * MINUTES_PER_WEEK  # sorts offers without set times after those with them
# What a result shows (the card, the API's summary, "why it's here"): all a page of results reads from an offer.
CARD_FIELDS = (
    "slug",
    "organisation",
    "organisation__name",
    "organisation__slug",
    "kind",
    "scheme_type",
    "delivery",
    "title",
    "summary",
    "cost",
    "is_free",
    "languages",
    "venue_name",
    "town",
    "region",
    "latitude",
    "longitude",
    "is_grassroots",
    "search_title",
    "search_body",
)

# Delivered where the person is: no travel, so a place filter does not exclude them.
REMOTE_DELIVERIES = (Delivery.VIDEO, Delivery.ONLINE, Delivery.PHONE)

# Score for a concept, by where it matched (see module docstring).
SCORE_DIRECT_TITLE, SCORE_DIRECT_TEXT, SCORE_RELATED_TITLE, SCORE_RELATED_TEXT, SCORE_TIME = 14, 10, 8, 6, 10


class TimeOfDay(TextChoices):
    MORNING = "morning", "Morning (before 12)"
    AFTERNOON = "afternoon", "Afternoon (12 to 5pm)"
    EVENING = "evening", "Evening (from 5pm)"
    WEEKEND = "weekend", "Weekend (Saturday or Sunday)"


class Sort(TextChoices):
    RELEVANCE = "relevance", "Best match"
    SOONEST = "soonest", "Meeting soonest"
    NEAREST = "nearest", "Nearest first (when you give a place)"


class ForWhom(TextChoices):
    ANYONE = "", "Anyone"
    OPEN = "open", "Open to everyone (no particular focus)"
    WOMEN = "women", "Women"
    MEN = "men", "Men"
    LGBTQ = "lgbtq", "LGBTQ+ people"
    GLOBAL_MAJORITY = "global_majority", "Black, Asian and minoritised people"
    YOUNG = "young", "Young people (up to 25)"
    OLDER = "older", "Older people (50 and over)"
    CARERS = "carers", "Carers, family and friends"


MALE = ("men", "man", "male")
KIND_PLURALS = {
    OfferKind.GROUP: "Groups",
    OfferKind.SCHEME: "One-to-one schemes",
    OfferKind.ONLINE_SPACE: "Online spaces",
    OfferKind.PSW_SERVICE: "Peer support worker services",
}
ACCESS_FIELDS = ("step_free", "hearing_loop", "bsl", "quiet_room", "accessible_toilet")

BANDS: dict[str, tuple[time | None, time | None]] = {
    TimeOfDay.MORNING: (None, time(12, 0)),
    TimeOfDay.AFTERNOON: (time(12, 0), time(17, 0)),
    TimeOfDay.EVENING: (time(17, 0), None),
}

# Words that say *when*: matched against the offer's regular times, not its text.
# word → (weekdays or None, bands or None, how a result card says it matched)
_ALL_WEEKDAYS = tuple(Weekday)
TIME_WORDS: dict[str, tuple[frozenset[int] | None, frozenset[str] | None, str]] = {
    **{
        w: (None, frozenset({TimeOfDay.MORNING.value}), "meets in the morning")
        for w in ("morning", "mornings", "breakfast")
    },
    **{
        w: (None, frozenset({TimeOfDay.AFTERNOON.value}), "meets in the afternoon")
        for w in ("afternoon", "afternoons", "lunchtime", "lunch")
    },
    **{
        w: (None, frozenset({TimeOfDay.EVENING.value}), "meets in the evening")
        for w in ("evening", "evenings", "night", "nights", "tonight", "afterwork")
    },
    **{w: (frozenset({5, 6}), None, "meets at the weekend") for w in ("weekend", "weekends")},
    **{w: (frozenset({0, 1, 2, 3, 4}), None, "meets on a weekday") for w in ("weekday", "weekdays")},
    "daytime": (None, frozenset({TimeOfDay.MORNING.value, TimeOfDay.AFTERNOON.value}), "meets in the daytime"),
    **{
        form: (frozenset({day.value}), None, f"meets on {day.label}s")
        for day in _ALL_WEEKDAYS
        for form in (day.label.lower(), day.label.lower() + "s")
    },
}

_STOPWORD_TEXT = """
a an the and or not nor but to too for of in on at by with without from into onto about as is are am be
been being was were do does did have has had i im ive id me my mine myself we us our ours you your yours it
its this that these those there here who whom what where when which why how any some something somewhere
anything anywhere near nearby around close local please want wanted need needed needs looking look find
finding like would could should can cant get getting just really very so if then than also maybe kind sort
lot lots bit thing things
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Words too general to insist on ("support", "help"): they add to the score but are not required.
SOFT_STEMS = frozenset({"support", "help", "peer", "servic", "peopl", "person", "someon", "other"})


# --- The request and the answer -------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    deliveries: tuple[str, ...] = ()
    days: tuple[int, ...] = ()
    times: tuple[str, ...] = ()
    place: str = ""
    radius_km: int | None = None
    for_whom: str = ""
    age: int | None = None
    access: tuple[str, ...] = ()
    free_only: bool = False
    language: str = ""
    sort: str = Sort.RELEVANCE
    page: int = 1
    per_page: int = PER_PAGE
    now: datetime | None = None

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds
            or self.deliveries
            or self.days
            or self.times
            or self.place
            or self.for_whom
            or self.age is not None
            or self.access
            or self.free_only
            or self.language
        )


@dataclass(frozen=True)
class Concept:
    """One thing the person asked for, with the words that count as a match for it."""

    label: str  # the person's own words
    direct: tuple[tuple[str, ...], ...] = ()  # stem phrases
    related: tuple[tuple[str, ...], ...] = ()
    related_labels: tuple[str, ...] = ()  # the synonyms as written, parallel to `related`
    days: frozenset[int] | None = None
    bands: frozenset[str] | None = None
    time_reason: str = ""
    soft: bool = False

    @property
    def is_time(self) -> bool:
        return self.days is not None or self.bands is not None


@dataclass
class SearchResult:
    offer: Offer
    score: int
    reasons: list[str]
    distance_km: float | None
    next_at: datetime | None
    times: list[OfferTime]


@dataclass
class SearchPage:
    query: SearchQuery
    results: list[SearchResult]
    total: int
    page: int
    num_pages: int
    per_page: int
    concepts: list[Concept] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    place: Place | None = None
    unknown_place: str = ""
    relaxed: bool = False
    kind_counts: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def expansions(self) -> list[tuple[str, list[str]]]:
        """For "we also looked for…": each of the person's phrases with its synonyms."""
        return [(c.label, list(c.related_labels)) for c in self.concepts if c.related_labels]


# --- Reading the query ----------------------------------------------------------------------


def synonym_sets() -> list[list[str]]:
    # Synonym.term_list without a model instance per set (the list is read on every search).
    return [
        [t.strip().lower() for t in terms.split(",") if t.strip()]
        for terms in Synonym.objects.values_list("terms", flat=True)
    ]


# stem phrase → [(term as written, its stem phrase)] for every set the phrase is in
RelatedOf = dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]


@lru_cache(maxsize=8)
def _synonym_index(sets: tuple[tuple[str, ...], ...]) -> tuple[RelatedOf, int]:
    """The synonyms list, stemmed: worked out once per version of the list, not on every search."""
    related_of: RelatedOf = {}
    longest = 1
    for terms in sets:
        phrased = [(term, tuple(stems(term))) for term in terms]
        phrased = [(term, phrase) for term, phrase in phrased if phrase]
        for _, phrase in phrased:
            longest = max(longest, len(phrase))
            related_of.setdefault(phrase, []).extend(p for p in phrased if p[1] != phrase)
    return related_of, longest


def interpret(text: str, sets: Iterable[Sequence[str]]) -> tuple[list[Concept], list[str]]:
    """The person's words → concepts, plus anything worth telling them about how we read it."""
    notices: list[str] = []
    tokens = [t for t in words(text) if t != FIELD_BREAK]
    if len(tokens) > MAX_WORDS:
        tokens = tokens[:MAX_WORDS]
    related_of, longest = _synonym_index(tuple(tuple(terms) for terms in sets))

    concepts: list[Concept] = []
    seen: set[Any] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in TIME_WORDS:
            days, bands, reason = TIME_WORDS[token]
            key = ("time", days, bands)
            if key not in seen:
                seen.add(key)
                concepts.append(Concept(label=token, days=days, bands=bands, time_reason=reason))
            i += 1
            continue
        phrase: tuple[str, ...] = ()
        for length in range(min(longest, len(tokens) - i), 1, -1):
            candidate = tuple(stem(t) for t in tokens[i : i + length])
            if candidate in related_of:
                phrase, label = candidate, " ".join(tokens[i : i + length])
                i += length
                break
        if not phrase:
            i += 1
            if token in STOPWORDS:
                continue
            phrase, label = (stem(token),), token
        if phrase in seen:
            continue
        seen.add(phrase)
        related: dict[tuple[str, ...], str] = {}
        for term, other in related_of.get(phrase, []):
            if other != phrase:
                related.setdefault(other, term)
        pairs = list(related.items())[:MAX_ALTERNATIVES]
        concepts.append(
            Concept(
                label=label,
                direct=(phrase,),
                related=tuple(p for p, _ in pairs),
                related_labels=tuple(t for _, t in pairs),
                soft=len(phrase) == 1 and phrase[0] in SOFT_STEMS,
            )
        )
    if len(concepts) > MAX_CONCEPTS:
        concepts = concepts[:MAX_CONCEPTS]
        notices.append(
            f"That's a lot of words, so we searched for the first {MAX_CONCEPTS} ideas. "
            "A few words usually find more — like “walking group” or “someone to talk to”."
        )
    return concepts, notices


# --- Building the database query ------------------------------------------------------------


def _vendor(queryset: QuerySet[Any]) -> str:
    return connections[queryset.db].vendor


def _fts(vendor: str, column: str, phrases: Sequence[tuple[str, ...]]) -> RawSQL:
    """Offers whose `column` ("title" or "body") contains any of the phrases, as a boolean expression.

    Tokens are [a-z0-9]+ by construction (text.words), and the engine query is a bound parameter.
    """
    if vendor == "postgresql":
        engine_query = " | ".join("(" + " <-> ".join(f"'{t}'" for t in p) + ")" for p in phrases)
        sql = f'"directory_offer"."search_{column}_vector" @@ to_tsquery(\'simple\'::regconfig, %s)'
    else:
        alternatives = " OR ".join('"' + " ".join(p) + '"' for p in phrases)
        engine_query = f"{{search_{column}}} : ({alternatives})"
        sql = '"directory_offer"."id" IN (SELECT rowid FROM directory_offer_fts WHERE directory_offer_fts MATCH %s)'
    return RawSQL(sql, (engine_query,), output_field=BooleanField())  # noqa: S611 - fixed SQL, bound parameter


def _times_exist(days: Iterable[int] | None, bands: Iterable[str] | None, *, narrowed: bool = True) -> Q:
    """Offers with a regular time on one of `days` and in one of `bands`.

    Two equivalent forms: when words already narrow the offers, EXISTS (a few index lookups per candidate);
    when nothing else does (browsing by time), `id IN (offers with such a time)`, worked out once. SQLite
    plans each as written, and checking EXISTS for every published offer was most of a browse's time.
    """
    times = OfferTime.objects.all()
    if days:
        times = times.filter(weekday__in=sorted(days))
    if bands:
        band_q = Q()
        for band in sorted(bands):
            start, end = BANDS[band]
            q = Q()
            if start is not None:
                q &= Q(starts_at__gte=start)
            if end is not None:
                q &= Q(starts_at__lt=end)
            band_q |= q
        times = times.filter(band_q)
    if narrowed:
        return Q(Exists(times.filter(offer=OuterRef("pk"))))
    return Q(pk__in=times.order_by().values("offer_id"))


def _concept_match(vendor: str, concept: Concept, *, narrowed: bool) -> Q:
    if concept.is_time:
        return _times_exist(concept.days, concept.bands, narrowed=narrowed)
    return Q(_fts(vendor, "body", concept.direct + concept.related))


def _concept_score(vendor: str, concept: Concept, *, narrowed: bool) -> Case:
    if concept.is_time:
        whens = [When(_times_exist(concept.days, concept.bands, narrowed=narrowed), then=Value(SCORE_TIME))]
    else:
        whens = [
            When(_fts(vendor, "title", concept.direct), then=Value(SCORE_DIRECT_TITLE)),
            When(_fts(vendor, "body", concept.direct), then=Value(SCORE_DIRECT_TEXT)),
        ]
        if concept.related:
            whens += [
                When(_fts(vendor, "title", concept.related), then=Value(SCORE_RELATED_TITLE)),
                When(_fts(vendor, "body", concept.related), then=Value(SCORE_RELATED_TEXT)),
            ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _icontains_any(fields: Sequence[str], needles: Sequence[str]) -> Q:
    return reduce(operator.or_, (Q(**{f"{f}__icontains": n}) for f in fields for n in needles))


def _for_whom_q(for_whom: str) -> Q:
    focus = ("gender_focus", "identity_focus")
    if for_whom == ForWhom.OPEN:
        return Q(gender_focus="", identity_focus="", age_min__isnull=True, age_max__isnull=True)
    if for_whom == ForWhom.WOMEN:
        return _icontains_any(focus, ("women", "woman", "female"))
    if for_whom == ForWhom.MEN:
        # "men" inside "women" must not count: match it at the start of the text or after a space.
        starts = (Q(**{f"{f}__istartswith": n}) | Q(**{f"{f}__icontains": " " + n}) for f in focus for n in MALE)
        return reduce(operator.or_, starts)
    if for_whom == ForWhom.LGBTQ:
        # Not any mention of "trans": a women's group welcoming trans women is not an LGBTQ+ group.
        needles = ("lgbt", "gay", "lesbian", "bisexual", "queer", "non-binary", "transgender", "trans people")
        return _icontains_any(focus, needles) | Q(identity_focus__istartswith="trans")
    if for_whom == ForWhom.GLOBAL_MAJORITY:
        return _icontains_any(
            focus, ("black", "asian", "minorit", "ethnic", "african", "caribbean", "global majority", "bame")
        )
    if for_whom == ForWhom.YOUNG:
        return Q(age_max__isnull=False, age_max__lte=25)
    if for_whom == ForWhom.OLDER:
        return Q(age_min__isnull=False, age_min__gte=50)
    if for_whom == ForWhom.CARERS:
        return _icontains_any((*focus, "experience_focus"), ("carer", "caring"))
    return Q()


def _filters(query: SearchQuery, *, narrowed: bool) -> Q:
    q = Q(status=OfferStatus.PUBLISHED)
    if query.kinds:
        q &= Q(kind__in=sorted(set(query.kinds) & set(OfferKind.values)))
    if query.deliveries:
        wanted = set(query.deliveries) & set(Delivery.values)
        # A hybrid group is both in person and by video.
        if wanted & {Delivery.IN_PERSON, Delivery.VIDEO}:
            wanted.add(Delivery.HYBRID)
        q &= Q(delivery__in=sorted(wanted))
    days = {d for d in query.days if 0 <= d <= 6}
    if TimeOfDay.WEEKEND in query.times:
        days |= {5, 6}
    bands = {t for t in query.times if t in BANDS}
    if days or bands:
        q &= _times_exist(days, bands, narrowed=narrowed)
    if query.for_whom:
        q &= _for_whom_q(query.for_whom)
    if query.age is not None:
        q &= (Q(age_min__isnull=True) | Q(age_min__lte=query.age)) & (
            Q(age_max__isnull=True) | Q(age_max__gte=query.age)
        )
    for name in query.access:
        if name in ACCESS_FIELDS:
            q &= Q(**{name: True})
    if query.free_only:
        q &= Q(is_free=True)
    if query.language:
        q &= Q(languages__icontains=query.language.strip())
    return q


class _MinutesOfDay(Func):
    """Minutes since midnight of a TimeField, with each engine's own cheap functions."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(substr(%(expressions)s, 1, 2) AS INTEGER) * 60"
            " + CAST(substr(%(expressions)s, 4, 2) AS INTEGER))",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(HOUR FROM %(expressions)s)::integer * 60"
            " + EXTRACT(MINUTE FROM %(expressions)s)::integer)",
            **extra,
        )


def _minute_of_week(moment: datetime) -> int:
    local = moment.astimezone(SITE_ZONE)
    return local.weekday() * 24 * 60 + local.hour * 60 + local.minute


def _next_in_minutes(now_minute: int) -> Coalesce:
    """Minutes from now until the offer's next regular time (this week or next)."""
    delta = ExpressionWrapper(
        (F("weekday") * (24 * 60) + _MinutesOfDay(F("starts_at")) - now_minute + MINUTES_PER_WEEK) % MINUTES_PER_WEEK,
        output_field=IntegerField(),
    )
    soonest = (
        OfferTime.objects.filter(offer=OuterRef("pk"))
        .order_by()
        .values("offer")
        .annotate(soonest=Min(delta))
        .values("soonest")
    )
    return Coalesce(Subquery(soonest, output_field=IntegerField()), Value(NO_REGULAR_TIME))


def _binary_title(vendor: str) -> Collate:
    return Collate("title", "C" if vendor == "postgresql" else "BINARY")


# --- The search -----------------------------------------------------------------------------


def search_offers(query: SearchQuery) -> SearchPage:
    """One page of published offers for `query`. Never raises on odd input; says what it did instead."""
    notices: list[str] = []
    text = (query.text or "").replace("\x00", " ")
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notices.append(
            f"That was a long search, so we used the first {MAX_QUERY_LENGTH} characters. "
            "A few words usually work best."
        )
    concepts: list[Concept] = []
    if text.strip():
        concepts, more = interpret(text, synonym_sets())
        notices += more
        if not concepts:
            notices.append(
                "We couldn't find words to search for in what you typed, so here is everything that fits your "
                "choices. Try a few plain words, like “walking group” or “someone to talk to”."
            )

    place: Place | None = None
    unknown_place = ""
    if query.place.strip():
        place = find_place(query.place)
        if place is None:
            unknown_place = query.place.strip()[:60]
            notices.append(
                f"We don't know where “{unknown_place}” is yet, so we haven't sorted by distance. "
                "Try a nearby town or city, or the first part of a postcode, like LS6 or M14."
            )

    # Words too general to insist on only count when they are all there is.
    matching = [c for c in concepts if not c.soft] or concepts
    # Whether words (the full-text index) narrow the candidates: see _times_exist.
    narrowed = any(not c.is_time for c in matching)
    offers = Offer.objects.filter(_filters(query, narrowed=narrowed))
    vendor = _vendor(offers)

    if place is not None:
        radius_km = query.radius_km or DEFAULT_RADIUS_KM
        cos_lat = math.cos(math.radians(place.latitude))
        dlat = F("latitude") - place.latitude
        dlon = (F("longitude") - place.longitude) * cos_lat
        radius_deg = radius_km / KM_PER_DEGREE
        offers = offers.annotate(
            distance_sq=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
        ).filter(
            Q(
                latitude__gte=place.latitude - radius_deg,
                latitude__lte=place.latitude + radius_deg,
                longitude__gte=place.longitude - radius_deg / cos_lat,
                longitude__lte=place.longitude + radius_deg / cos_lat,
                distance_sq__lte=radius_deg * radius_deg,
            )
            | Q(latitude__isnull=True, delivery__in=REMOTE_DELIVERIES)
        )

    now = query.now or timezone.now()
    sort = query.sort if query.sort in Sort.values else Sort.RELEVANCE
    if sort == Sort.NEAREST and place is None:
        sort = Sort.RELEVANCE
    order = _ordering(sort, vendor, near=place is not None)
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    next_in = _next_in_minutes(_minute_of_week(now))

    def ranked(candidates: QuerySet[Offer]) -> QuerySet[Offer]:
        score = (
            reduce(operator.add, (_concept_score(vendor, c, narrowed=narrowed) for c in concepts))
            if concepts
            else Value(0, output_field=IntegerField())
        )
        return candidates.annotate(score=score, next_in=next_in).order_by(*order)

    relaxed = False
    matches = [_concept_match(vendor, c, narrowed=narrowed) for c in matching]
    candidates = offers.filter(reduce(operator.and_, matches)) if matches else offers
    rows, total, page = _fetch_page(ranked(candidates), max(1, query.page), per_page)
    if total == 0 and len(matches) > 1:
        rows, total, page = _fetch_page(
            ranked(offers.filter(reduce(operator.or_, matches))), max(1, query.page), per_page
        )
        relaxed = total > 0
    num_pages = max(1, math.ceil(total / per_page))

    results = [_result(offer, concepts, place, now) for offer in rows]
    kind_counts = _kind_counts() if total == 0 else []
    if relaxed:
        notices.insert(0, "Nothing matched all of your words, so these match some of them. The best matches are first.")
    return SearchPage(
        query=query,
        results=results,
        total=total,
        page=page,
        num_pages=num_pages,
        per_page=per_page,
        concepts=concepts,
        notices=notices,
        place=place,
        unknown_place=unknown_place,
        relaxed=relaxed,
        kind_counts=kind_counts,
    )


def _ordering(sort: str, vendor: str, *, near: bool) -> list[Any]:
    title, pk = _binary_title(vendor), F("pk")
    if sort == Sort.SOONEST:
        return [F("next_in").asc(), F("score").desc(), title, pk]
    if sort == Sort.NEAREST:
        return [F("distance_sq").asc(nulls_last=True), F("score").desc(), F("next_in").asc(), title, pk]
    if near:
        return [F("score").desc(), F("distance_sq").asc(nulls_last=True), F("next_in").asc(), title, pk]
    return [F("score").desc(), F("next_in").asc(), title, pk]


def _fetch_page(ranked: QuerySet[Offer], page: int, per_page: int) -> tuple[list[Offer], int, int]:
    """One page and the total; a page past the end becomes the last page.

    Two small queries rather than one wide one: the ranking query carries only ids, scores and the total
    (COUNT(*) OVER ()) through its sort, then the page's offers are read by id with just what a result
    shows (CARD_FIELDS), their organisation and (one more query) their regular times.
    """
    counted = ranked.annotate(full_count=Window(Count("pk"))).values_list("pk", "score", "full_count")
    offset = (page - 1) * per_page
    ranks = list(counted[offset : offset + per_page])
    if not ranks:
        if page == 1:
            return [], 0, 1
        total = ranked.count()
        if total == 0:
            return [], 0, 1
        page = math.ceil(total / per_page)
        ranks = list(counted[(page - 1) * per_page : page * per_page])
        if not ranks:
            return [], 0, 1
    return _page_offers(ranks), ranks[0][2], page


def _page_offers(ranks: Sequence[tuple[int, int, int]]) -> list[Offer]:
    """The offers for (id, score, total) rows, in that order, with `score` set as the ranking query had it."""
    offers = (
        Offer.objects.filter(pk__in=[pk for pk, _, _ in ranks])
        .select_related("organisation")
        .only(*CARD_FIELDS)
        .prefetch_related("times")
        .order_by()
    )
    by_pk = {offer.pk: offer for offer in offers}
    page: list[Offer] = []
    for pk, score, _ in ranks:
        offer = by_pk.get(pk)
        if offer is not None:  # None only if it was deleted between the two queries
            offer.score = score
            page.append(offer)
    return page


def _kind_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        Offer.objects.filter(status=OfferStatus.PUBLISHED).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return [(kind.value, KIND_PLURALS[kind], counts.get(kind.value, 0)) for kind in OfferKind]


# --- Explaining each result -----------------------------------------------------------------


def _contains(haystack: Sequence[str], phrase: tuple[str, ...], vocabulary: frozenset[str] | None = None) -> bool:
    """Whether the words `haystack` hold `phrase`, in order; `vocabulary` (the set of its words) is a shortcut."""
    if vocabulary is not None and not vocabulary.issuperset(phrase):
        return False
    n = len(phrase)
    if n == 1 and vocabulary is not None:
        return True
    return any(tuple(haystack[i : i + n]) == phrase for i in range(len(haystack) - n + 1))


def _time_matches(times: Iterable[OfferTime], days: Iterable[int] | None, bands: Iterable[str] | None) -> bool:
    for t in times:
        if days and t.weekday not in days:
            continue
        if bands and not any(
            (start is None or t.starts_at >= start) and (end is None or t.starts_at < end)
            for start, end in (BANDS[b] for b in bands)
        ):
            continue
        return True
    return False


def explain(offer: Offer, concepts: Sequence[Concept], times: Sequence[OfferTime]) -> list[str]:
    """Why an offer matched, in plain words, for its result card."""
    title = offer.search_title.split()
    body = offer.search_body.split()
    in_title, in_body = frozenset(title), frozenset(body)
    reasons: list[str] = []
    for concept in concepts:
        if concept.is_time:
            if _time_matches(times, concept.days, concept.bands):
                reasons.append(concept.time_reason.capitalize())
            continue
        if any(_contains(title, p, in_title) for p in concept.direct):
            reasons.append(f"“{concept.label}” is in the title")
        elif any(_contains(body, p, in_body) for p in concept.direct):
            reasons.append(f"Mentions “{concept.label}”")
        else:
            for phrase, label in zip(concept.related, concept.related_labels, strict=True):
                if _contains(title, phrase, in_title) or _contains(body, phrase, in_body):
                    reasons.append(f"Mentions “{label}”, another way of saying “{concept.label}”")
                    break
    return reasons


def next_occurrence(times: Iterable[OfferTime], now: datetime) -> datetime | None:
    """The next start of any of the offer's regular times, in Europe/London.

    None when a time has a note ("first Tuesday of the month"): we can't be sure which week it is.
    """
    times = list(times)
    if any(t.note for t in times):
        return None
    local_now = now.astimezone(SITE_ZONE)
    best: datetime | None = None
    for t in times:
        days_ahead = (t.weekday - local_now.weekday()) % 7
        day = local_now.date() + timedelta(days=days_ahead)
        start = datetime.combine(day, t.starts_at, tzinfo=SITE_ZONE)
        if start < local_now:
            start = datetime.combine(day + timedelta(days=7), t.starts_at, tzinfo=SITE_ZONE)
        if best is None or start < best:
            best = start
    return best


def _result(offer: Offer, concepts: Sequence[Concept], place: Place | None, now: datetime) -> SearchResult:
    times = list(offer.times.all())
    distance = None
    if place is not None and offer.latitude is not None and offer.longitude is not None:
        distance = haversine_km(place.latitude, place.longitude, offer.latitude, offer.longitude)
    return SearchResult(
        offer=offer,
        score=int(getattr(offer, "score", 0) or 0),
        reasons=explain(offer, concepts, times),
        distance_km=distance,
        next_at=next_occurrence(times, now),
        times=times,
    )


__all__ = [
    "ForWhom",
    "SearchPage",
    "SearchQuery",
    "SearchResult",
    "Sort",
    "TimeOfDay",
    "explain",
    "interpret",
    "search_offers",
]
