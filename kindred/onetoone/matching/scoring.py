"""Compatibility scores with reasons, hard constraints, candidate lists and top-10 suggestions.

Everything is vectorised over supporters (numpy/scipy), so one person's suggestions among thousands of
supporters, or a whole scheme's candidate graph, take milliseconds to seconds. Reasons are built only for
the pairs someone will read, from the same data the score used.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from .text import Tfidf

# How much each part of shared experience counts (sums to 1). Experience and people's own words lead
# (L1494-1510); acceptance and practical fit (time, place) follow.
WEIGHTS = {
    "experience": 0.25,
    "description": 0.20,
    "interests": 0.12,
    "values": 0.08,
    "identity": 0.15,
    "availability": 0.15,
    "distance": 0.05,
}
NEAR_KM = 25.0  # distance score falls to 0 at this distance (in-person schemes only)
DEFAULT_LANGUAGE = "english"

SLOT_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
SLOT_PARTS = ("morning", "afternoon", "evening")
SLOT_BITS = {f"{d}-{p}": i * 3 + j for i, d in enumerate(SLOT_DAYS) for j, p in enumerate(SLOT_PARTS)}
CHANNEL_BITS = {"in_person": 0, "phone": 1, "video": 2, "messages": 3}


def normalise_tags(raw: str | Iterable[str]) -> dict[str, str]:
    """Self-described tags, compared case- and space-insensitively; keeps the first spelling for explanations."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    out: dict[str, str] = {}
    for item in items:
        label = " ".join(str(item).split())
        if label:
            out.setdefault(label.lower(), label)
    return out


def slot_label(slot: str) -> str:
    day, _, part = slot.partition("-")
    return f"{SLOT_DAYS.get(day, day)} {part}s"


@dataclass
class Person:
    """What matching knows about a seeker or a supporter. Only what they chose to tell the scheme."""

    key: Any
    experience: dict[str, str] = field(default_factory=dict)  # normalised -> as written
    interests: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    text: str = ""
    identity: dict[str, str] = field(default_factory=dict)  # dimension -> value (lower case)
    preferences: dict[str, tuple[str, str]] = field(default_factory=dict)  # dimension -> (value, must|prefer)
    languages: frozenset[str] = frozenset({DEFAULT_LANGUAGE})
    channels: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    latitude: float | None = None
    longitude: float | None = None
    max_distance_km: float | None = None
    capacity: int = 0  # supporters: places free now


def _mask(items: Iterable[str], bits: dict[str, int]) -> int:
    out = 0
    for item in items:
        bit = bits.get(item)
        if bit is not None:
            out |= 1 << bit
    return out


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(x) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@dataclass
class Explanation:
    score: float
    parts: dict[str, float]
    reasons: list[str]


class SupporterIndex:
    """Supporters of one scheme, encoded for fast scoring. Build once, score many seekers.

    Every soft part of the score is a dot product in one feature space (tags, words, time slots, identity values),
    so a block of seekers is scored against all supporters with one sparse x dense product; the hard constraints
    (language, "must" wishes, ways to be in touch) are small products too.
    """

    def __init__(
        self,
        supporters: Sequence[Person],
        *,
        in_person: bool = False,
        extra_corpus: Iterable[str] = (),
        tfidf: Tfidf | None = None,
    ) -> None:
        self.supporters = list(supporters)
        self.in_person = in_person
        self.tfidf = tfidf or Tfidf([p.text for p in self.supporters] + list(extra_corpus))
        m = len(self.supporters)
        # Column groups of the feature space.
        self.tags: dict[str, dict[str, int]] = {"experience": {}, "interests": {}, "values": {}}
        for kind, vocab in self.tags.items():
            for p in self.supporters:
                for tag in getattr(p, kind):
                    vocab.setdefault(tag, len(vocab))
        self.identity_values: dict[str, dict[str, int]] = {}
        for p in self.supporters:
            for dim, value in p.identity.items():
                codes = self.identity_values.setdefault(dim, {})
                codes.setdefault(value, len(codes))
        self.offset: dict[str, int] = {}
        width = 0
        for kind in ("experience", "interests", "values"):
            self.offset[kind] = width
            width += len(self.tags[kind])
        self.offset["text"] = width
        width += len(self.tfidf.vocab)
        self.offset["slots"] = width
        width += len(SLOT_BITS)
        self.identity_offset: dict[str, int] = {}
        for dim, codes in self.identity_values.items():
            self.identity_offset[dim] = width
            width += len(codes)
        self.width = width

        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, p in enumerate(self.supporters):
            for kind in ("experience", "interests", "values"):
                base, vocab = self.offset[kind], self.tags[kind]
                for tag in getattr(p, kind):
                    rows.append(r)
                    cols.append(base + vocab[tag])
                    vals.append(1.0)
            for slot in p.availability:
                if slot in SLOT_BITS:
                    rows.append(r)
                    cols.append(self.offset["slots"] + SLOT_BITS[slot])
                    vals.append(1.0)
            for dim, value in p.identity.items():
                rows.append(r)
                cols.append(self.identity_offset[dim] + self.identity_values[dim][value])
                vals.append(1.0)
        features = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(m, max(1, width)), dtype=np.float32
        )
        self.text_matrix = self.tfidf.transform([p.text for p in self.supporters])
        text_cols = sparse.csr_matrix(
            (self.text_matrix.data, self.text_matrix.indices + self.offset["text"], self.text_matrix.indptr),
            shape=(m, max(1, width)),
        )
        # Dense, transposed: sparse seekers x dense supporters is the fast product.
        # One extra all-zero row: the column for a "must" nobody meets.
        self._features_t = np.ascontiguousarray(
            np.vstack([(features + text_cols).T.toarray(), np.zeros((1, m))]), dtype=np.float32
        )

        self.languages: dict[str, int] = {}
        for p in self.supporters:
            for lang in p.languages:
                if len(self.languages) < 63:  # bitmask width; more languages than this in one scheme is unheard of
                    self.languages.setdefault(lang, len(self.languages))
        self._language_mask = np.array([_mask(p.languages, self.languages) for p in self.supporters], dtype=np.int64)
        self._channel_mask = np.array([_mask(p.channels, CHANNEL_BITS) for p in self.supporters], dtype=np.int64)
        self.lat = np.array([np.nan if p.latitude is None else p.latitude for p in self.supporters], dtype=np.float64)
        self.lon = np.array([np.nan if p.longitude is None else p.longitude for p in self.supporters], dtype=np.float64)
        self.max_km = np.array(
            [np.inf if p.max_distance_km is None else p.max_distance_km for p in self.supporters], dtype=np.float64
        )
        self.capacity = np.array([p.capacity for p in self.supporters], dtype=np.int32)
        self.position = {p.key: i for i, p in enumerate(self.supporters)}

    def __len__(self) -> int:
        return len(self.supporters)

    # -- encoding seekers the same way ------------------------------------------------------------------------------
    def _encode(self, seekers: Sequence[Person]) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
        """Seekers as (weighted soft features, "must" features, number of musts)."""
        n = len(seekers)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        m_rows: list[int] = []
        m_cols: list[int] = []
        musts = np.zeros(n, dtype=np.float32)
        unmatchable = self.width  # a column no supporter has: a "must" nobody meets
        for r, p in enumerate(seekers):
            for kind in ("experience", "interests", "values"):
                tags = getattr(p, kind)
                if not tags:
                    continue
                # Shared tags over the seeker's own tags: their experience, in their words, leads.
                weight = WEIGHTS[kind] / len(tags)
                base, vocab = self.offset[kind], self.tags[kind]
                for tag in tags:
                    if tag in vocab:
                        rows.append(r)
                        cols.append(base + vocab[tag])
                        vals.append(weight)
            if p.availability:
                weight = WEIGHTS["availability"] / len(p.availability)
                for slot in p.availability:
                    if slot in SLOT_BITS:
                        rows.append(r)
                        cols.append(self.offset["slots"] + SLOT_BITS[slot])
                        vals.append(weight)
            prefers = [(d, v) for d, (v, strength) in p.preferences.items() if strength == "prefer"]
            for dim, value in prefers:
                code = self.identity_values.get(dim, {}).get(value)
                if code is not None:
                    rows.append(r)
                    cols.append(self.identity_offset[dim] + code)
                    vals.append(WEIGHTS["identity"] / len(prefers))
            for dim, (value, strength) in p.preferences.items():
                if strength != "must":
                    continue
                musts[r] += 1
                code = self.identity_values.get(dim, {}).get(value)
                m_rows.append(r)
                m_cols.append(unmatchable if code is None else self.identity_offset[dim] + code)
        soft = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, self.width + 1), dtype=np.float32
        )
        texts = self.tfidf.transform([p.text for p in seekers]) * np.float32(WEIGHTS["description"])
        soft = soft + sparse.csr_matrix(
            (texts.data, texts.indices + self.offset["text"], texts.indptr), shape=soft.shape
        )
        must = sparse.csr_matrix(
            (np.ones(len(m_rows), dtype=np.float32), (m_rows, m_cols)), shape=(n, self.width + 1), dtype=np.float32
        )
        return soft.tocsr(), must, musts

    def score_block(
        self, seekers: Sequence[Person], excluded: set[tuple[Any, Any]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scores (seekers x supporters, float32 in [0, 1]) and feasibility (bool) for a block of seekers."""
        soft, must, musts = self._encode(seekers)
        total = np.asarray(soft @ self._features_t, dtype=np.float32)

        # Languages and ways to be in touch as bitmasks: one AND per pair.
        s_lang = np.array([_mask(p.languages, self.languages) for p in seekers], dtype=np.int64)
        feasible = (s_lang[:, None] & self._language_mask[None, :]) != 0
        s_chan = np.array([_mask(p.channels, CHANNEL_BITS) for p in seekers], dtype=np.int64)
        if s_chan.any():
            feasible &= (
                ((s_chan[:, None] & self._channel_mask[None, :]) != 0)
                | (s_chan == 0)[:, None]
                | (self._channel_mask == 0)[None, :]
            )
        if musts.any():
            met = np.asarray(must @ self._features_t)
            feasible &= met >= musts[:, None] - 0.5

        if self.in_person:
            s_lat = np.array([np.nan if p.latitude is None else p.latitude for p in seekers])
            s_lon = np.array([np.nan if p.longitude is None else p.longitude for p in seekers])
            s_max = np.array([np.inf if p.max_distance_km is None else p.max_distance_km for p in seekers])
            km = haversine_km(s_lat[:, None], s_lon[:, None], self.lat[None, :], self.lon[None, :])
            known = ~np.isnan(km)
            total += WEIGHTS["distance"] * np.where(known, np.clip(1.0 - km / NEAR_KM, 0.0, 1.0), 0.0).astype(
                np.float32
            )
            # Only people who can meet in person only are held to a distance.
            in_person_only = np.array([p.channels == frozenset({"in_person"}) for p in seekers])
            too_far = known & ((km > s_max[:, None]) | (km > self.max_km[None, :]))
            feasible &= ~(in_person_only[:, None] & too_far)

        if excluded:
            by_seeker: dict[Any, list[Any]] = {}
            for s_key, t_key in excluded:
                by_seeker.setdefault(s_key, []).append(t_key)
            for r, p in enumerate(seekers):
                for t_key in by_seeker.get(p.key, ()):
                    c = self.position.get(t_key)
                    if c is not None:
                        feasible[r, c] = False
        return total, feasible

    # -- uses ---------------------------------------------------------------------------------------------------------
    def suggest(
        self, seeker: Person, *, k: int = 10, excluded: set[tuple[Any, Any]] | None = None
    ) -> list[tuple[Person, Explanation]]:
        """Top-k supporters with room, best first, each with reasons in plain words."""
        if not self.supporters:
            return []
        scores, feasible = self.score_block([seeker], excluded)
        row = np.where(feasible[0] & (self.capacity > 0), np.round(scores[0], 3), -1.0)
        k = min(k, len(row))
        top = np.argpartition(-row, k - 1)[:k]
        top = top[np.argsort(-row[top], kind="stable")]
        return [(self.supporters[i], self.explain(seeker, self.supporters[i])) for i in top if row[i] >= 0]

    def candidates(
        self,
        seekers: Sequence[Person],
        *,
        per_seeker: int = 50,
        excluded: set[tuple[Any, Any]] | None = None,
        block: int = 1000,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidate graph: for each seeker up to `per_seeker` feasible supporters with room, best first.

        Returns parallel arrays (seeker index, supporter index, score).
        """
        has_room = self.capacity > 0
        keep = min(per_seeker, len(self.supporters))

        def one_block(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            chunk = seekers[start : start + block]
            scores, feasible = self.score_block(chunk, excluded)
            masked = np.where(feasible & has_room[None, :], scores, np.float32(-1.0))
            width = masked.shape[1]
            if keep < width:
                top = np.argpartition(masked, width - keep, axis=1)[:, width - keep :]
            else:
                top = np.tile(np.arange(masked.shape[1]), (masked.shape[0], 1))
            rows = np.repeat(np.arange(len(chunk)), top.shape[1])
            cols = top.ravel()
            vals = np.round(masked[rows, cols], 3)
            ok = vals >= 0
            return rows[ok] + start, cols[ok], vals[ok]

        heads, tails, weights = [], [], []
        if keep > 0:
            starts = range(0, len(seekers), block)
            # numpy and scipy release the GIL for the heavy parts, so two blocks at once use two cores.
            workers = max(1, min(2, os.cpu_count() or 1, len(starts)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for h, t, w in pool.map(one_block, starts):
                    heads.append(h)
                    tails.append(t)
                    weights.append(w)
        if not heads:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(heads), np.concatenate(tails), np.concatenate(weights)

    def _similarity(self, seeker: Person, supporter: Person) -> float:
        """Cosine similarity of two people's own words (the same TF-IDF vectors the score used)."""
        if not seeker.text or not supporter.text:
            return 0.0
        cache = self.__dict__.setdefault("_vectors", {})
        vector = cache.get(seeker.text)
        if vector is None:
            if len(cache) > 256:
                cache.clear()
            vector = cache[seeker.text] = self.tfidf.transform([seeker.text])
        position = self.position.get(supporter.key)
        if position is not None and self.supporters[position] is supporter:
            row = self.text_matrix[position]
        else:
            row = self.tfidf.transform([supporter.text])
        return float(vector.multiply(row).sum())

    def explain(self, seeker: Person, supporter: Person) -> Explanation:
        """The score for one pair, part by part, and the reasons a person will read. Same data as the score."""
        parts: dict[str, float] = {}
        reasons: list[str] = []
        shared_things: list[str] = []
        for kind in ("experience", "interests", "values"):
            shared = [
                seeker_label for tag, seeker_label in getattr(seeker, kind).items() if tag in getattr(supporter, kind)
            ]
            parts[kind] = WEIGHTS[kind] * min(1.0, len(shared) / max(1, len(getattr(seeker, kind))))
            shared_things.extend(shared)
        similarity = self._similarity(seeker, supporter)
        parts["description"] = WEIGHTS["description"] * similarity
        words = self.tfidf.shared_words(seeker.text, supporter.text) if similarity > 0 else []
        for w in words:
            if not any(w.lower() in thing.lower() for thing in shared_things):
                shared_things.append(w)
        if shared_things:
            reasons.append(f"you both mentioned {_and_list(shared_things[:5])}")
        slots = sorted(seeker.availability & supporter.availability, key=lambda s: SLOT_BITS.get(s, 99))
        parts["availability"] = WEIGHTS["availability"] * len(slots) / max(1, len(seeker.availability))
        if slots:
            reasons.append(f"both free on {_and_list([slot_label(s) for s in slots[:3]])}")
        prefers = {d: v for d, (v, strength) in seeker.preferences.items() if strength == "prefer"}
        met = [d for d, v in prefers.items() if supporter.identity.get(d) == v]
        parts["identity"] = WEIGHTS["identity"] * (len(met) / len(prefers) if prefers else 0.0)
        musts = [d for d, (v, strength) in seeker.preferences.items() if strength == "must"]
        wished = [f"{d.replace('_', ' ')}: {seeker.preferences[d][0]}" for d in musts + met]
        if wished:
            reasons.append(f"matches what you asked for ({'; '.join(wished)})")
        other_languages = sorted((seeker.languages & supporter.languages) - {DEFAULT_LANGUAGE})
        if other_languages:
            reasons.append(f"you both speak {_and_list([lang.title() for lang in other_languages])}")
        parts["distance"] = 0.0
        if self.in_person and None not in (seeker.latitude, seeker.longitude, supporter.latitude, supporter.longitude):
            km = float(
                haversine_km(
                    np.array(seeker.latitude),
                    np.array(seeker.longitude),
                    np.array(supporter.latitude),
                    np.array(supporter.longitude),
                )
            )
            parts["distance"] = WEIGHTS["distance"] * max(0.0, 1.0 - km / NEAR_KM)
            reasons.append(f"about {max(1, math.ceil(km))} km apart")
        score = round(sum(parts.values()), 3)
        return Explanation(score=score, parts=parts, reasons=reasons)


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
