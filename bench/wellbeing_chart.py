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
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_BENCH_DB = "kindred_bench_wellbeing"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


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
    temp = Path(tempfile.mkdtemp(prefix="kindred-bench-wellbeing-"))
    (temp / "static").mkdir()
    for name in ("DATABASE_URL", "REDIS_URL", "KINDRED_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["KINDRED_DATA_DIR"] = str(temp)
    if args.database == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}", f"CREATE DATABASE {PG_BENCH_DB}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{temp / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if args.database == "postgres":
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        shutil.rmtree(temp, ignore_errors=True)


def _pg_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    person, counts = populate(args, random.Random(args.seed))
    populated = time.perf_counter()
    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.pg_version}"
    )
    print(f"Database: {version}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(
        f"Built in {populated - started:.1f}s (migrate {migrated - started:.1f}s): one person with "
        f"{counts['engagements']} engagements over ten years ({counts['periods']} merged form periods) and "
        f"{counts['checkins']} check-ins"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return measure(person, args.runs)


def populate(args: argparse.Namespace, rng: random.Random) -> tuple[Any, dict[str, int]]:
    from django.db import transaction
    from django.utils import timezone

    from kindred.journey.models import EndReason
    from kindred.journey.selectors import form_periods
    from kindred.journey.services import engagement_end, engagement_record
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


def timed(fn: Callable[[], Any], runs: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU time per run, in ms. On a busy shared machine wall-clock time includes
    waiting for a CPU; CPU time doesn't (it excludes PostgreSQL's own work, which runs in another process)."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def measure(person: Any, runs: int) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person)
    failures = 0

    def page(url: str) -> Callable[[], None]:
        def get() -> None:
            nonlocal failures
            if client.get(url).status_code != 200:
                failures += 1

        return get

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    chart_response = client.get("/well-being/chart/")
    size_kib = len(chart_response.content) / 1024
    minimal, minimal_cpu = timed(lambda: client.get("/bench/minimal/"), runs)
    chart, chart_cpu = timed(page("/well-being/chart/"), runs)
    home, home_cpu = timed(page("/well-being/"), runs)
    print(f"\n{runs} timed runs each after 5 warm-up runs; milliseconds, server-side, one process.\n")
    header = f"{'page':<20} {'queries':>7} {'p50':>7} {'p95':>7} {'p95/minimal':>11} {'CPU p50':>8} {'CPU p95':>8}"
    print(header)
    print("-" * len(header))
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
    if failures:
        print(f"{failures} requests did not return 200.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
