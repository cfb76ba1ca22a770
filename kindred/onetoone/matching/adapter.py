"""From requests and supporter profiles to matching features, and the scheme-level uses of matching."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q

from kindred.commons.blocks import apart_pairs

from ..models import (
    LIVE_MATCH_STATUSES,
    DeclinedPair,
    Match,
    MatchRequest,
    MatchRequestStatus,
    Scheme,
    SupporterProfile,
    SupporterStatus,
)
from . import solver
from .scoring import DEFAULT_LANGUAGE, Explanation, Person, SupporterIndex, normalise_tags


def _languages(raw: str) -> frozenset[str]:
    langs = frozenset(normalise_tags(raw))
    return langs or frozenset({DEFAULT_LANGUAGE})


def _identity(raw: dict[str, Any]) -> dict[str, str]:
    return {str(k): " ".join(str(v).lower().split()) for k, v in (raw or {}).items() if str(v).strip()}


def seeker_person(request: MatchRequest) -> Person:
    prefs: dict[str, tuple[str, str]] = {}
    for dim, pref in (request.preferences or {}).items():
        if isinstance(pref, dict) and str(pref.get("value", "")).strip():
            strength = "must" if pref.get("strength") == "must" else "prefer"
            prefs[str(dim)] = (" ".join(str(pref["value"]).lower().split()), strength)
    return Person(
        key=request.seeker_id,
        experience=normalise_tags(request.experience_tags),
        interests=normalise_tags(request.interest_tags),
        values=normalise_tags(request.value_tags),
        text=request.about,
        identity=_identity(request.identity),
        preferences=prefs,
        languages=_languages(request.languages),
        channels=frozenset(request.channels or ()),
        availability=frozenset(request.availability or ()),
        latitude=request.latitude,
        longitude=request.longitude,
        max_distance_km=request.max_distance_km,
    )


def supporter_person(profile: SupporterProfile, load: int = 0, cap: int | None = None) -> Person:
    """`cap`: the scheme's caseload cap, if it sets one; a supporter never gets more than the lower limit."""
    limit = min(profile.capacity, cap) if cap else profile.capacity
    return Person(
        key=profile.user_id,
        experience=normalise_tags(profile.experience_tags),
        interests=normalise_tags(profile.interest_tags),
        values=normalise_tags(profile.value_tags),
        # Only layers the supporter lets seekers see are used to match on their words.
        text=" ".join(
            getattr(profile, layer)
            for layer, _ in SupporterProfile.LAYERS
            if getattr(profile, f"{layer}_visibility") == "seekers"
        ),
        identity=_identity(profile.identity),
        languages=_languages(profile.languages),
        channels=frozenset(profile.channels or ()),
        availability=frozenset(profile.availability or ()),
        latitude=profile.latitude,
        longitude=profile.longitude,
        max_distance_km=profile.max_distance_km,
        capacity=max(0, limit - load),
    )


def supporter_loads(scheme: Scheme) -> dict[int, int]:
    """Live matches per supporter in a scheme (proposals count: they hold a place until decided)."""
    rows = (
        Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES)
        .values("supporter_id")
        .annotate(n=Count("id"))
    )
    return {r["supporter_id"]: r["n"] for r in rows}


def declined_pairs(scheme: Scheme) -> set[tuple[int, int]]:
    pairs = set(DeclinedPair.objects.filter(scheme=scheme).values_list("seeker_id", "supporter_id"))
    # Never suggest someone to themselves, nor a pair already live.
    pairs |= set(
        Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES).values_list("seeker_id", "supporter_id")
    )
    # Nor two people when one has blocked the other, anywhere in Kindred.
    people = set(SupporterProfile.objects.filter(scheme=scheme).values_list("user_id", flat=True))
    people |= set(MatchRequest.objects.filter(scheme=scheme).values_list("seeker_id", flat=True))
    return pairs | apart_pairs(people)


def scheme_index(scheme: Scheme, *, extra_corpus: list[str] | None = None) -> SupporterIndex:
    loads = supporter_loads(scheme)
    profiles = SupporterProfile.objects.filter(
        scheme=scheme, status=SupporterStatus.AVAILABLE, user__is_active=True
    ).order_by("id")
    people = [supporter_person(p, loads.get(p.user_id, 0), scheme.caseload_cap) for p in profiles]
    corpus = (
        extra_corpus
        if extra_corpus is not None
        else list(
            MatchRequest.objects.filter(scheme=scheme, status=MatchRequestStatus.OPEN).values_list("about", flat=True)
        )
    )
    in_person = "in_person" in (scheme.channels or [])
    index = SupporterIndex(people, in_person=in_person, extra_corpus=corpus)
    index.profiles = list(profiles)  # type: ignore[attr-defined]
    return index


@dataclass
class Suggestion:
    profile: SupporterProfile
    explanation: Explanation


def suggestions_for(request: MatchRequest, *, k: int = 10) -> list[Suggestion]:
    index = scheme_index(request.scheme)
    seeker = seeker_person(request)
    excluded = declined_pairs(request.scheme)
    excluded |= {(seeker.key, seeker.key)}
    by_key = {p.user_id: p for p in index.profiles}  # type: ignore[attr-defined]
    return [
        Suggestion(profile=by_key[person.key], explanation=explanation)
        for person, explanation in index.suggest(seeker, k=k, excluded=excluded)
    ]


@dataclass
class BatchPair:
    request: MatchRequest
    profile: SupporterProfile
    explanation: Explanation


def batch_assignment(scheme: Scheme, *, per_seeker: int = 50) -> tuple[list[BatchPair], list[MatchRequest]]:
    """The best assignment for every open request without a live match; also who could not be matched."""
    live = Match.objects.filter(scheme=scheme, status__in=LIVE_MATCH_STATUSES).values("request_id")
    requests = list(
        MatchRequest.objects.filter(scheme=scheme, status=MatchRequestStatus.OPEN)
        .exclude(Q(pk__in=live))
        .select_related("seeker")
        .order_by("created_at", "id")
    )
    index = scheme_index(scheme, extra_corpus=[r.about for r in requests])
    seekers = [seeker_person(r) for r in requests]
    excluded = declined_pairs(scheme) | {(s.key, s.key) for s in seekers}
    heads, tails, scores = index.candidates(seekers, per_seeker=per_seeker, excluded=excluded)
    chosen = solver.solve(len(seekers), index.capacity, heads, tails, scores)
    matched: set[int] = set()
    pairs = []
    profiles = index.profiles  # type: ignore[attr-defined]
    for e in np.asarray(chosen):
        i, j = int(heads[e]), int(tails[e])
        matched.add(i)
        pairs.append(BatchPair(requests[i], profiles[j], index.explain(seekers[i], index.supporters[j])))
    unmatched = [r for i, r in enumerate(requests) if i not in matched]
    return pairs, unmatched
