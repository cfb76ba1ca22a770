"""Crisis screening against the labelled evaluation set: precision and recall per level, and its cost.

Reads kindred/safety/evaluation/messages.jsonl (each line: id, text, level, hold, case, split), screens
every message with the configured detector, and prints:

- precision and recall for "concern" and "urgent" (each level on its own: predicted level == label),
  and for "needs support" (concern or urgent, either way) — the panel and the moderator alert;
- urgent recall on its own line: it is the figure that matters most;
- hold (method detail) precision and recall;
- the misses, so a person can read what the rules got wrong;
- the screening cost per message, p50 and p99 in microseconds (target p99 under 1 ms).

    .venv/bin/python bench/screening_eval.py                  # whole set
    .venv/bin/python bench/screening_eval.py --split holdout  # only messages not used to tune the rules
    .venv/bin/python bench/screening_eval.py --quiet          # figures only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")

EVALUATION_SET = ROOT / "kindred" / "safety" / "evaluation" / "messages.jsonl"


def load(split: str = "all") -> list[dict]:
    rows = [json.loads(line) for line in EVALUATION_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if split == "all" or row["split"] == split]


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def evaluate(rows: list[dict], screen) -> dict:
    results = [(row, screen(row["text"])) for row in rows]
    figures: dict[str, dict[str, float]] = {}
    for level in ("none", "concern", "urgent"):
        tp = sum(1 for row, r in results if r.level == level and row["level"] == level)
        predicted = sum(1 for _, r in results if r.level == level)
        actual = sum(1 for row, _ in results if row["level"] == level)
        figures[level] = {"precision": ratio(tp, predicted), "recall": ratio(tp, actual), "n": actual}
    tp = sum(1 for row, r in results if r.level != "none" and row["level"] != "none")
    figures["needs support"] = {
        "precision": ratio(tp, sum(1 for _, r in results if r.level != "none")),
        "recall": ratio(tp, sum(1 for row, _ in results if row["level"] != "none")),
        "n": sum(1 for row, _ in results if row["level"] != "none"),
    }
    tp = sum(1 for row, r in results if r.hold and row["hold"])
    figures["hold"] = {
        "precision": ratio(tp, sum(1 for _, r in results if r.hold)),
        "recall": ratio(tp, sum(1 for row, _ in results if row["hold"])),
        "n": sum(1 for row, _ in results if row["hold"]),
    }
    # Urgent messages screened at least as concern still reach the author's panel and the moderators.
    urgent = [(row, r) for row, r in results if row["level"] == "urgent"]
    figures["urgent reached support"] = {
        "precision": float("nan"),
        "recall": ratio(sum(1 for _, r in urgent if r.level != "none"), len(urgent)),
        "n": len(urgent),
    }
    misses = [(row, r) for row, r in results if r.level != row["level"] or r.hold != row["hold"]]
    return {"figures": figures, "misses": misses, "results": results}


def cost(rows: list[dict], screen, repeats: int) -> tuple[float, float, float]:
    texts = [row["text"] for row in rows]
    for text in texts:  # warm up
        screen(text)
    timings: list[float] = []
    for _ in range(repeats):
        for text in texts:
            start = time.perf_counter_ns()
            screen(text)
            timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99, timings[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=["all", "dev", "holdout"], default="all")
    parser.add_argument("--repeats", type=int, default=20, help="timing passes over the set (default 20)")
    parser.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from kindred.safety.screening import get_detector, screen

    rows = load(args.split)
    outcome = evaluate(rows, screen)
    counts = Counter(row["case"] for row in rows)
    print(f"Crisis screening — detector {type(get_detector()).__name__}, {len(rows)} messages ({args.split})")
    print("cases: " + ", ".join(f"{case} {n}" for case, n in sorted(counts.items())))
    print()
    print(f"{'level':<24}{'n':>5}{'precision':>11}{'recall':>9}")
    for name, figure in outcome["figures"].items():
        print(f"{name:<24}{figure['n']:>5}{figure['precision']:>11.3f}{figure['recall']:>9.3f}")
    urgent = outcome["figures"]["urgent"]
    reached = outcome["figures"]["urgent reached support"]["recall"]
    print(f"\nURGENT RECALL: {urgent['recall']:.3f}  (urgent screened as urgent or concern: {reached:.3f})")
    confusion = Counter((row["level"], r.level) for row, r in outcome["results"])
    print("\nconfusion (label -> screened):")
    for label in ("none", "concern", "urgent"):
        print(
            f"  {label:<8} " + "  ".join(f"{got}:{confusion[(label, got)]:>3}" for got in ("none", "concern", "urgent"))
        )
    p50, p99, worst = cost(rows, screen, args.repeats)
    print(f"\ncost per message: p50 {p50:.0f} µs, p99 {p99:.0f} µs, max {worst:.0f} µs (target p99 < 1000 µs)")
    if not args.quiet and outcome["misses"]:
        print(f"\n{len(outcome['misses'])} disagreements (id, case, label -> screened):")
        for row, r in outcome["misses"]:
            hold = " hold" if r.hold else ""
            want = " hold" if row["hold"] else ""
            print(f"  #{row['id']:<4}{row['case']:<13}{row['level']}{want} -> {r.level}{hold}: {row['text']}")
            if r.triggers:
                print(f"        triggers: {r.triggers}")
            if r.discounted:
                print(f"        discounted: {r.discounted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
