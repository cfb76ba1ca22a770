"""Groups at scale: expanding a year of meetings for 5,000 groups, then "meetings this week near me".

Builds a throwaway database (a temporary SQLite file, or a `kindred_bench_groups` database on the local
PostgreSQL that is dropped afterwards), migrates it, bulk-creates organisations and 5,000 public groups
(each with its directory Offer, placed around real towns) with one or two recurrence rules each (weekly,
fortnightly, monthly on the nth weekday, last weekday of the month; Europe/London local times), then:

1. times the expansion of the next twelve months of meetings for every group (`series_expand_many`,
   the same code `groups_daily` runs), reporting meetings created and rows per second;
2. times, server-side and in one process, the "meetings this week near me" page through Django's test
   client (middleware, view, selector, template) for five places, N runs each after a warm-up, against the
   minimal view (`/bench/minimal/`, see bench/urls.py) timed the same way in the same run.

    .venv/bin/python bench/groups_meetings.py --database sqlite
    .venv/bin/python bench/groups_meetings.py --database postgres      # 127.0.0.1:5432, user postgres
    .venv/bin/python bench/groups_meetings.py --groups 500 -n 20        # a quick look

Target (issue 4): page p95 under 100 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import support
from bench.support import percentile

PLACES = (
    ("Manchester, 10 km", {"place": "Manchester", "radius": "10"}),
    ("Leeds, 25 km", {"place": "Leeds", "radius": "25"}),
    ("Bolton, 5 km", {"place": "Bolton", "radius": "5"}),
    ("London, 50 km", {"place": "London", "radius": "50"}),
    ("M1 postcode, 10 km", {"place": "M1", "radius": "10"}),
)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("-n", "--runs", type=int, default=50, help="timed runs per page (after a warm-up)")
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with support.throwaway_database(
        args.database, postgres_name="kindred_bench_groups", temp_prefix="kindred-bench-groups-"
    ):
        return run(args)


def run(args: argparse.Namespace) -> int:
    started, migrated = support.setup_and_migrate()
    counts = populate(args.groups, random.Random(args.seed))
    populated = time.perf_counter()
    support.print_database_and_machine()
    print(
        f"Built in {populated - started:.1f}s (migrate {migrated - started:.1f}s): {counts['groups']:,} groups "
        f"with {counts['series']:,} recurrence rules in {counts['organisations']} organisations"
    )
    expand()
    support.analyze()
    return measure(args.runs)


def populate(n_groups: int, rng: random.Random) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from kindred.directory.models import Offer, OfferKind, OfferStatus
    from kindred.directory.places import all_places
    from kindred.directory.text import document_for
    from kindred.groups.models import Group, MeetingSeries
    from kindred.organisations.models import Organisation

    places = all_places()
    # Busier in the big cities, as in life.
    weights = [
        5 if p.name in {"Manchester", "Leeds", "Birmingham", "London", "Bristol", "Liverpool"} else 1 for p in places
    ]
    today = timezone.localdate()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench Organisation {i}", slug=f"bench-org-{i}") for i in range(20)
        )
        offers = []
        for i in range(n_groups):
            place = rng.choices(places, weights=weights)[0]
            delivery = rng.choices(("in_person", "hybrid", "video"), weights=(80, 12, 8))[0]
            offer = Offer(
                organisation=rng.choice(organisations),
                slug=f"bench-group-{i}",
                kind=OfferKind.GROUP,
                delivery=delivery,
                title=f"{place.name} Peer Support Group {i}",
                summary="A friendly peer support group.",
                description="Tea, biscuits and no pressure to talk.",
                town=place.name,
                region=place.region,
                latitude=place.latitude + rng.uniform(-0.06, 0.06),
                longitude=place.longitude + rng.uniform(-0.06, 0.06),
                status=OfferStatus.PUBLISHED,
            )
            offer.search_title, offer.search_body = document_for(offer)
            offers.append(offer)
        offers = Offer.objects.bulk_create(offers, batch_size=1000)
        groups = Group.objects.bulk_create(
            (Group(slug=o.slug, organisation=o.organisation, offer=o, name=o.title, is_public=True) for o in offers),
            batch_size=1000,
        )
        series = []
        for group, offer in zip(groups, offers, strict=True):
            for _ in range(rng.choice((1, 1, 1, 2))):
                frequency = rng.choices(("weekly", "fortnightly", "monthly_nth", "monthly_last"), weights=(5, 2, 2, 1))[
                    0
                ]
                series.append(
                    MeetingSeries(
                        group=group,
                        frequency=frequency,
                        weekday=rng.randrange(7),
                        nth=rng.randint(1, 4) if frequency == "monthly_nth" else None,
                        starts_on=today - timedelta(days=rng.randint(0, 700)),
                        start_time=clock(rng.choice((10, 11, 13, 14, 18, 19)), rng.choice((0, 30))),
                        duration_minutes=rng.choice((60, 90, 120)),
                        delivery=offer.delivery,
                        place=f"Community Centre, {offer.town}",
                        video_link="https://video.example.org/room" if offer.delivery != "in_person" else "",
                        capacity=rng.choice((None, None, 12, 20)),
                    )
                )
        MeetingSeries.objects.bulk_create(series, batch_size=2000)
    return {"groups": len(groups), "series": len(series), "organisations": len(organisations)}


def expand() -> None:
    from django.db import transaction

    from kindred.groups.models import Meeting, MeetingSeries
    from kindred.groups.services import series_expand_many

    start = time.perf_counter()
    with transaction.atomic():
        created = series_expand_many(MeetingSeries.objects.all().iterator(chunk_size=2000))
    took = time.perf_counter() - start
    print(
        f"\nExpanded the next 12 months for every group: {created:,} meetings in {took:.2f}s "
        f"({created / took:,.0f} meetings/s)."
    )
    again = time.perf_counter()
    series_expand_many(MeetingSeries.objects.all().iterator(chunk_size=2000))
    print(
        f"Running it again (nothing to add, as groups_daily does daily): {time.perf_counter() - again:.2f}s; "
        f"{Meeting.objects.count():,} meetings stored."
    )


def measure(runs: int) -> int:
    from datetime import timedelta as delta

    from django.urls import reverse
    from django.utils import timezone

    from kindred.directory.places import find_place
    from kindred.groups.selectors import meetings_near

    pages = support.PageClient()
    url = reverse("groups:near")
    minimal = support.timed(pages.minimal_view(), runs)
    support.print_runs_note(runs)
    support.print_header(
        f"{'meetings this week near':<24} {'shown':>6} {'selector p50':>12} {'p95':>7} "
        f"{'page p50':>9} {'p95':>7} {'p95/minimal':>11}"
    )
    worst = 0.0
    for label, params in PLACES:
        place = find_place(params["place"])
        assert place is not None, params

        def select(place: Any = place, radius: float = float(params["radius"])) -> list[Any]:
            now = timezone.now()
            return meetings_near(
                latitude=place.latitude, longitude=place.longitude, radius_km=radius, start=now, end=now + delta(days=7)
            )

        shown = len(select())
        selector = support.timed(select, runs)
        whole = support.timed(pages.page(f"{url}?{urlencode(params)}"), runs)
        worst = max(worst, percentile(whole, 95))
        print(
            f"{label:<24} {shown:>6} {statistics.median(selector):>12.1f} {percentile(selector, 95):>7.1f} "
            f"{statistics.median(whole):>9.1f} {percentile(whole, 95):>7.1f} "
            f"{percentile(whole, 95) / percentile(minimal, 95):>10.1f}x"
        )
    floor = f"{statistics.median(minimal):>9.1f} {percentile(minimal, 95):>7.1f}"
    print(f"{'minimal view':<24} {'':>6} {'':>12} {'':>7} {floor} {'1.0x':>11}")
    print(f"\nWorst 'near me' page p95: {worst:.1f} ms (target on PostgreSQL: under 100 ms).")
    if pages.failures:
        print(f"{pages.failures} requests did not return 200.")
    return 1 if pages.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
