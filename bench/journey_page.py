"""My journey at scale: the /journey/ page for a person with ten years of engagements (issue 7, part 9).

Builds a throwaway database (a temporary SQLite file by default; with a PostgreSQL `DATABASE_URL` in the
environment, or `--database postgres`, a `kindred_bench_journey` database on that server, dropped afterwards —
the database the URL names is never touched), migrates it, then creates one person with ten years of use:
`--engagements` (default 320) across one-to-one, groups and online in every role, with overlaps and gaps,
`--moments` moments of their own, a status history (able to give support, mostly at home — so every suggestion
rule that needs no closed group runs), reflections, and a directory of offers for the suggestions to draw on.

It then times, server-side in one process through Django's test client (middleware, view, selectors, the SVG
timeline, suggestions, template), `GET /journey/` N times after a warm-up, against the minimal view
(`/bench/minimal/`, see bench/urls.py) timed the same way in the same run, and prints median and p95.

    .venv/bin/python bench/journey_page.py                    # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/journey_page.py
    .venv/bin/python bench/journey_page.py -n 50 --engagements 100   # a quick look

Target (issue 7): p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import support
from bench.support import percentile


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    parser.add_argument("--database", choices=("sqlite", "postgres"), default=default)
    parser.add_argument("--engagements", type=int, default=320)
    parser.add_argument("--moments", type=int, default=40)
    parser.add_argument("-n", "--runs", type=int, default=200, help="timed requests per page (after a warm-up)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print where the page's time goes (cProfile)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with support.throwaway_database(
        args.database,
        postgres_name="kindred_bench_journey",
        temp_prefix="kindred-bench-journey-",
        postgres_server=os.environ.get("DATABASE_URL") or support.LOCAL_POSTGRES,
    ):
        return run(args)


def run(args: argparse.Namespace) -> int:
    started, migrated = support.setup_and_migrate()
    person, counts = populate(args, random.Random(args.seed))
    built = time.perf_counter()
    support.analyze()
    support.print_database_and_machine()
    print(
        f"Built in {built - started:.1f}s (migrate {migrated - started:.1f}s): one person with "
        f"{counts['engagements']} engagements over ten years ({counts['by_form']}), {counts['moments']} moments, "
        f"{counts['statuses']} status changes, {counts['reflections']} reflections; {counts['offers']} offers listed"
    )
    if args.profile:
        profile(person)
    return measure(person, args.runs)


def profile(person: Any) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person)
    client.get("/journey/")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get("/journey/")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)

    from django.db import connection

    timings: list[tuple[float, str]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - begin) * 1000, sql))

    with connection.execute_wrapper(timer):
        client.get("/journey/")
    print(f"{len(timings)} queries, {sum(t for t, _ in timings):.1f} ms in the database:")
    for took, sql in timings:
        print(f"  {took:7.2f} ms  {sql[:160]}")


def populate(args: argparse.Namespace, rng: random.Random) -> tuple[Any, dict[str, Any]]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from kindred.accounts.models import User
    from kindred.commons.models import Engagement
    from kindred.directory.models import Offer
    from kindred.directory.text import document_for
    from kindred.journey.models import Moment, Reflection, StatusChange
    from kindred.organisations.models import Membership, Organisation, Role

    now = timezone.now()
    start = now - timedelta(days=3652)
    kinds = (
        ("group", "in_person"),
        ("group", "hybrid"),
        ("group", "video"),
        ("scheme", "phone"),
        ("online_space", "online"),
    )
    form_of = {"group": "group", "scheme": "one_to_one", "online_space": "online"}
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench Organisation {i}", slug=f"bench-org-{i}", region="North West") for i in range(5)
        )
        person = User.objects.create_user(email="journey@bench.local", password="bench-only-password-1234")
        Membership.objects.create(user=person, organisation=organisations[0], role=Role.MEMBER)
        offers = []
        for i in range(200):
            kind, delivery = kinds[i % len(kinds)]
            offer = Offer(
                organisation=organisations[i % 5],
                slug=f"bench-offer-{i}",
                kind=kind,
                delivery=delivery,
                title=f"Bench {kind.replace('_', ' ')} {i}",
                summary="A friendly place.",
                description="Peer support.",
                town="Manchester",
                region="North West",
            )
            offer.search_title, offer.search_body = document_for(offer)
            offers.append(offer)
        offers = Offer.objects.bulk_create(offers)
        offer_type = ContentType.objects.get_for_model(Offer)
        subjects = offers[:60]  # the things this person took part in, again and again over ten years
        roles = ("receiving", "receiving", "giving", "facilitating", "reading")
        rows = []
        open_keys: set[tuple[int, str, str]] = set()
        for n in range(args.engagements):
            offer = rng.choice(subjects)
            form = form_of[offer.kind]
            role = "reading" if form == "online" and rng.random() < 0.5 else rng.choice(roles[:4])
            began = start + timedelta(days=rng.uniform(0, 3600))
            length = timedelta(days=rng.choice((14, 30, 60, 120, 240, 400)))
            ended: datetime | None = began + length
            key = (offer.pk, form, role)
            if ended > now or (n % 40 == 0 and key not in open_keys):  # a few still going: one open row per key
                if key in open_keys:
                    ended = now - timedelta(days=1)
                    began = min(began, ended - timedelta(days=1))
                else:
                    open_keys.add(key)
                    ended = None
            rows.append(
                Engagement(
                    person=person,
                    organisation=offer.organisation,
                    form=form,
                    role=role,
                    subject_type=offer_type,
                    subject_id=str(offer.pk),
                    subject_label=offer.title,
                    started_at=began,
                    last_active_at=ended or now,
                    ended_at=ended,
                    end_reason=rng.choice(("left", "paused", "completed", "moved_on")) if ended else "",
                )
            )
        Engagement.objects.bulk_create(rows)
        Moment.objects.bulk_create(
            Moment(
                person=person,
                happened_on=date.fromordinal(start.date().toordinal() + rng.randrange(3600)),
                text=f"A moment of my own {i}",
            )
            for i in range(args.moments)
        )
        statuses = [
            StatusChange(person=person, status=s, housebound=h, changed_at=now - timedelta(days=d))
            for s, h, d in (
                ("needing_support", False, 3000),
                ("taking_a_break", False, 2000),
                ("needing_support", True, 900),
                ("able_to_give", True, 200),
            )
        ]
        StatusChange.objects.bulk_create(statuses)
        for i in range(10):
            Reflection.objects.create(person=person, text=f"What helped, number {i}: " + "words " * 60)
    by_form: dict[str, int] = {}
    for row in rows:
        by_form[row.form] = by_form.get(row.form, 0) + 1
    return person, {
        "engagements": len(rows),
        "by_form": ", ".join(f"{k} {v}" for k, v in sorted(by_form.items())),
        "moments": args.moments,
        "statuses": len(statuses),
        "reflections": 10,
        "offers": len(offers),
    }


def measure(person: Any, runs: int) -> int:
    from django.db import connection

    pages = support.PageClient(person)
    # Counted with a wrapper: the test client's request_started signal resets Django's own query log.
    counted: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: counted.append(sql) or execute(sql, *rest)):
        pages.page("/journey/")()
    page_html = pages.client.get("/journey/").content.decode()
    bars, table_rows = page_html.count('class="journey-bar"'), page_html.count("<tr data-form=")
    suggestions = page_html.count('class="card journey-suggestion"')

    from django.core.cache import cache

    journey = pages.page("/journey/")

    def cold() -> None:
        cache.clear()  # suggestions are cached for a few minutes per person: this is a first visit's cost
        journey()

    # Wall-clock and CPU time, 10 warm-up calls each: on a shared machine the CPU time is the steadier figure.
    minimal_view = pages.page(support.MINIMAL_VIEW)
    minimal, minimal_cpu = support.timed_with_cpu(minimal_view, runs, warmup=10)
    page, page_cpu = support.timed_with_cpu(journey, runs, warmup=10)
    page_cold, page_cold_cpu = support.timed_with_cpu(cold, runs, warmup=10)
    # The minimal view again, so the floor is measured on both sides of the page's runs.
    minimal_again, minimal_again_cpu = support.timed_with_cpu(minimal_view, runs, warmup=10)
    floor, floor_cpu = minimal + minimal_again, minimal_cpu + minimal_again_cpu

    print(
        f"\n/journey/: {len(counted)} queries, {bars} bars, {table_rows} table rows, "
        f"{suggestions} suggestions shown, {pages.sizes['/journey/']:,} bytes"
    )
    print()
    support.print_header(
        f"{'path':<16} {'runs':>5} {'median ms':>10} {'p95 ms':>7} {'max ms':>7} {'CPU median':>11} {'CPU p95':>8}"
    )
    for label, samples, cpu in (
        ("/journey/", page, page_cpu),
        ("/journey/ (cold)", page_cold, page_cold_cpu),
        ("/bench/minimal/", floor, floor_cpu),
    ):
        print(
            f"{label:<16} {len(samples):>5} {statistics.median(samples):>10.1f} {percentile(samples, 95):>7.1f} "
            f"{max(samples):>7.1f} {statistics.median(cpu):>11.1f} {percentile(cpu, 95):>8.1f}"
        )
    p95 = percentile(page, 95)
    print(f"\nTarget: /journey/ p95 under 100 ms (wall clock) — {'met' if p95 < 100 else 'NOT met'} ({p95:.1f} ms).")
    print("(cold): the suggestions cache emptied before every request, as on a person's first visit.")
    print(f"Load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs.")
    if pages.failures:
        print(f"{pages.failures} requests failed")
    return 1 if pages.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
