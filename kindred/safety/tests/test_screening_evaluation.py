"""The labelled evaluation set: enough of each case, and urgent recall above the floor.

Why these floors: on the hold-out quarter, screened once before the rules were tuned on it, urgent recall
was 0.94 and every urgent message reached at least "concern" (so the author saw the crisis panel and
moderators were alerted). The rules are now tuned on the whole set, so the floors sit at that untuned
level, not at the tuned 1.0: a change may move a borderline message, but a change that loses more than
one urgent message in twenty fails here — and no urgent message may ever be screened as "none" more than
once in fifty.
"""

from __future__ import annotations

from collections import Counter

from bench.screening_eval import evaluate, load
from kindred.safety.screening import screen

URGENT_RECALL_FLOOR = 0.95
URGENT_REACHES_SUPPORT_FLOOR = 0.98
ORDINARY_FLAGGED_CEILING = 0.02


def test_the_set_is_big_enough_and_covers_every_case():
    rows = load()
    assert len(rows) >= 300
    counts = Counter(row["case"] for row in rows)
    for case in ("ordinary", "idiom", "negation", "past", "other_person", "method", "intent", "concern_self"):
        assert counts[case] >= 15, case
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["level"] for row in rows} == {"none", "concern", "urgent"}
    assert all(row["level"] == "urgent" for row in rows if row["hold"])


def test_urgent_recall_is_above_the_floor():
    figures = evaluate(load(), screen)["figures"]
    assert figures["urgent"]["recall"] >= URGENT_RECALL_FLOOR
    assert figures["urgent reached support"]["recall"] >= URGENT_REACHES_SUPPORT_FLOOR
    assert figures["hold"]["recall"] >= URGENT_RECALL_FLOOR


def test_ordinary_chat_is_almost_never_flagged():
    rows = [row for row in load() if row["case"] in {"ordinary", "distress", "idiom"}]
    flagged = [row["text"] for row in rows if screen(row["text"]).level != "none"]
    assert len(flagged) / len(rows) <= ORDINARY_FLAGGED_CEILING, flagged
