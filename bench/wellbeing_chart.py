"""The well-being chart for a long history: ten years of engagements (hundreds) and 500 check-ins.

Builds a throwaway database (a temporary SQLite file, or a `kindred_bench_wellbeing` database on the local
PostgreSQL that is dropped afterwards), migrates it, and gives one person ten years of engagements across the
three forms (one-to-one, groups, online; in several roles, with breaks) written through the journey services,
plus 500 check-ins (ONS4 and UCLA3, some PHQ-9 and GAD-7). Then times, server-side in one process through
Django's test client (middleware, view, selectors, SVG, template), the chart page `/well-being/chart/` (SVG
small multiples with the form periods shaded, and a table of all 500 check-ins) and the well-being home page,
against the minimal view (`/bench/minimal/`, see bench/urls.py) timed the same way in the same run. It also
counts the queries each page makes.

    .venv/bin/python bench/wellbeing_chart.py --database sqlite
    .venv/bin/python bench/wellbeing_chart.py --database postgres      # 127.0.0.1:5432, user postgres
    .venv/bin/python bench/wellbeing_chart.py -n 20                    # a quick look

Target (issue 7): chart page p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import support
from bench.support import percentile


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--checkins", type=int, default=500)
    parser.add_argument("--engagements", type=int, default=300)
    parser.add_argument("-n", "--runs", type=int, default=50, help="timed runs per page (after a warm-up)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with support.throwaway_database(
        args.database, postgres_name="kindred_bench_wellbeing", temp_prefix="kindred-bench-wellbeing-"
    ):
        return run(args)


def run(args: argparse.Namespace) -> int:
    started, migrated = support.setup_and_migrate()
    person, counts = populate(args, random.Random(args.seed))
    populated = time.perf_counter()
    support.print_database_and_machine()
    print(
        f"Built in {populated - started:.1f}s (migrate {migrated - started:.1f}s): one person with "
        f"{counts['engagements']} engagements over ten years ({counts['periods']} merged form periods) and "
        f"{counts['checkins']} check-ins"
    )
    support.analyze()
    return measure(person, args.runs)


def populate(args: argparse.Namespace, rng: random.Random) -> tuple[Any, dict[str, int]]:
    from django.db import transaction
    from django.utils import timezone

    from kindred.commons.models import EndReason
    from kindred.commons.spine import engagement_end, engagement_record, form_periods
    from kindred.organisations.models import Membership, Organisation, Role
    from kindred.testing.factories import UserFactory
    from kindred.wellbeing.measures import score
    from kindred.wellbeing.models import CheckIn, WellbeingSettings

    now = timezone.now()
    ten_years = timedelta(days=3652)
    organisations = [
        Organisation.objects.create(name=f"Bench organisation {i}", slug=f"bench-org-{i}") for i in range(6)
    ]
    person = UserFactory(email="bench-person@example.org", display_name="Bench person")
    for organisation in organisations:
        Membership.objects.create(user=person, organisation=organisation, role=Role.MEMBER)
    WellbeingSettings.objects.create(organisation=organisations[0], phq9_enabled=True, gad7_enabled=True)
    forms_roles = [
        ("group", "receiving"),
        ("group", "facilitating"),
        ("one_to_one", "receiving"),
        ("one_to_one", "giving"),
        ("online", "reading"),
        ("online", "giving"),
    ]
    with transaction.atomic():
        for i in range(args.engagements):
            form, role = forms_roles[i % len(forms_roles)]
            start = now - ten_years + timedelta(days=rng.uniform(0, 3600))
            organisation = organisations[i % len(organisations)]
            engagement_record(
                person=person, subject=organisation, form=form, role=role, organisation=organisation, at=start
            )
            if i < args.engagements - 3:  # a few still going
                length = timedelta(days=rng.uniform(7, 120))
                end = min(start + length, now)
                engagement_end(
                    person=person, subject=organisation, reason=EndReason.PAUSED, form=form, role=role, at=end
                )
        rows = []
        for i in range(args.checkins):
            taken_at = now - ten_years + ten_years * (i + 0.5) / args.checkins
            level = 0.5 + 0.35 * math.sin(i / 25) + rng.uniform(-0.1, 0.1)
            level = min(max(level, 0.0), 1.0)
            if i % 10 < 6:
                measure, answers = "ons4", [round(10 * level)] * 3 + [round(10 * (1 - level))]
            elif i % 10 < 9:
                measure, answers = "ucla3", [1 + round(2 * (1 - level))] * 3
            else:
                measure = "phq9" if i % 20 == 9 else "gad7"
                answers = [round(3 * (1 - level))] * (9 if measure == "phq9" else 7)
                if measure == "phq9":
                    answers[8] = 0
            result = score(measure, answers)
            rows.append(
                CheckIn(
                    person=person,
                    measure=measure,
                    answers=result.answers,
                    scores=result.scores,
                    total=result.total,
                    taken_at=taken_at,
                )
            )
        CheckIn.objects.bulk_create(rows)
    periods = sum(len(items) for items in form_periods(person).values())
    return person, {
        "engagements": person.engagements.count(),
        "periods": periods,
        "checkins": CheckIn.objects.filter(person=person).count(),
    }


def measure(person: Any, runs: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = support.PageClient(person)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            pages.client.get(url)
        return len(captured.captured_queries)

    chart_response = pages.client.get("/well-being/chart/")
    size_kib = len(chart_response.content) / 1024
    minimal, minimal_cpu = support.timed_with_cpu(pages.minimal_view(), runs)
    chart, chart_cpu = support.timed_with_cpu(pages.page("/well-being/chart/"), runs)
    home, home_cpu = support.timed_with_cpu(pages.page("/well-being/"), runs)
    support.print_runs_note(runs)
    support.print_header(
        f"{'page':<20} {'queries':>7} {'p50':>7} {'p95':>7} {'p95/minimal':>11} {'CPU p50':>8} {'CPU p95':>8}"
    )
    floor = percentile(minimal, 95)
    for label, url, samples, cpu in (
        ("well-being chart", "/well-being/chart/", chart, chart_cpu),
        ("well-being home", "/well-being/", home, home_cpu),
    ):
        print(
            f"{label:<20} {queries(url):>7} {statistics.median(samples):>7.1f} {percentile(samples, 95):>7.1f} "
            f"{percentile(samples, 95) / floor:>10.1f}x {statistics.median(cpu):>8.1f} {percentile(cpu, 95):>8.1f}"
        )
    print(
        f"{'minimal view':<20} {'':>7} {statistics.median(minimal):>7.1f} {floor:>7.1f} {'1.0x':>11} "
        f"{statistics.median(minimal_cpu):>8.1f} {percentile(minimal_cpu, 95):>8.1f}"
    )
    print(f"\nChart page: {size_kib:.0f} KiB of HTML. p95 {percentile(chart, 95):.1f} ms (target: under 100 ms).")
    if pages.failures:
        print(f"{pages.failures} requests did not return 200.")
    return 1 if pages.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
