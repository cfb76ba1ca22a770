"""Directory search at scale: 10,000 offers and 100,000 people, five searches with filters.

Builds a throwaway database (a temporary SQLite file, or a `kindred_bench` database on the local
PostgreSQL that is dropped afterwards), migrates it, bulk-creates organisations, offers (with their
regular times and search stems) and people, then times, server-side and in one process:

- the selector alone (`search_offers`), and
- the whole search page through Django's test client (middleware, view, selector, template),

for five representative searches, N runs each after a warm-up, against the minimal view
(`/bench/minimal/`, see bench/urls.py) timed the same way in the same run. Prints p50 and p95 in ms.

    .venv/bin/python bench/directory_search.py --database sqlite
    .venv/bin/python bench/directory_search.py --database postgres      # 127.0.0.1:5432, user postgres
    .venv/bin/python bench/directory_search.py --database sqlite --offers 2000 --people 10000 -n 20  # quick look

Profiling: `--keep DIR` keeps the database (a SQLite file in DIR, or the `kindred_bench_kept`
PostgreSQL database) and reuses it on the next run with the same DIR; `--profile` then prints, per search, the
page's queries with their times and a cProfile summary instead of the timing table:

    .venv/bin/python bench/directory_search.py --database postgres --keep /tmp/dsb-pg --profile

Target (issue 3): page p95 under 50 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import support
from bench.support import percentile

PG_KEPT_DB = "kindred_bench_kept"  # with --keep, so an ordinary run (which drops kindred_bench) leaves it alone

# Five things people really look for, each with filters a person would add.
SEARCHES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("hearing voices group near Bolton", {"q": "hearing voices group", "place": "Bolton", "radius": "25"}),
    ("depression self help evening, in person", {"q": "depression self help evening", "delivery": "in_person"}),
    ("someone to talk to online, schemes", {"q": "someone to talk to online", "kind": "scheme"}),
    ("browse: Tue/Thu evenings, free", {"day": ["1", "3"], "time": "evening", "free": "on"}),
    (
        "group for black women near Leeds, women",
        {"q": "group for black women", "place": "Leeds", "radius": "50", "for_whom": "women"},
    ),
)

TOPICS = (
    ("Hearing Voices", "for people who hear voices, see visions or have unusual experiences", "hearing voices"),
    ("Depression Support", "a self-help group for people living with depression and low mood", "depression"),
    ("Anxiety Peer Support", "for anyone living with anxiety, worry or panic", "anxiety"),
    ("Low Mood Café", "a drop-in for anyone feeling low", "low mood"),
    ("Bipolar Peer Group", "for people living with big highs and lows", "bipolar"),
    ("Carers' Group", "for family and friends caring for someone", ""),
    ("Men's Walking Group", "a walk and a natter for men", ""),
    ("Women's Wellbeing Circle", "a relaxed circle for women to share and listen", ""),
    ("LGBTQ+ Peer Support", "for lesbian, gay, bisexual, trans and queer people", ""),
    ("Young Adults (18–25)", "for young people finding things hard", ""),
    ("Creative Minds", "painting, drawing and crafts for wellbeing", ""),
    ("Recovery and Hope", "a peer-led recovery group with a theme each week", ""),
    ("After a Loss", "for people who are grieving", "bereavement"),
    ("Veterans' Breakfast", "for ex-forces men and women", ""),
    ("OCD Peer Support", "for people living with intrusive thoughts and rituals", "OCD"),
    ("Polish-speaking Group", "a support group in Polish, grupa wsparcia po polsku", ""),
    ("Urdu-speaking Women's Group", "a women's group in Urdu and Punjabi", ""),
    ("Sisters Together", "a group for Black women to talk about stress and mental health", ""),
    ("Befriending", "a volunteer to talk to once a week, someone to talk to", ""),
    ("Peer Mentoring After Hospital", "a peer mentor for the months after a ward stay", ""),
    ("Email Pen-Friends", "write to a pen-friend who understands", ""),
    ("Online Space", "read and share any time in a moderated space", ""),
)
SENTENCES = (
    "You don't need a diagnosis or a referral.",
    "Tea, biscuits and no pressure to talk.",
    "Run by people with their own experience of mental or emotional distress.",
    "Some people come every week; some come now and then.",
    "You can just listen if you'd rather.",
    "We share what's been hard and what has helped.",
    "A warm welcome for newcomers, and someone will meet you at the door.",
    "Free, with a donation jar for the tea fund.",
    "We sometimes invite a speaker on benefits, housing or sleep.",
    "Quiet room available if things get too much.",
)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("-n", "--runs", type=int, default=50, help="timed runs per search (after a warm-up)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database (and reuse it if DIR already holds one built by this script) instead of a throwaway",
    )
    parser.add_argument("--profile", action="store_true", help="print each page's queries and a cProfile summary")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with support.throwaway_database(
        args.database,
        postgres_name="kindred_bench",
        temp_prefix="kindred-bench-search-",
        keep=args.keep,
        kept_postgres_name=PG_KEPT_DB,
    ) as data_dir:
        args.built_marker = support.built_marker(data_dir, args.database)
        return run(args)


def run(args: argparse.Namespace) -> int:
    started, migrated = support.setup_and_migrate()
    reused = args.built_marker.exists()
    counts = _counts() if reused else populate(args.offers, args.people, random.Random(args.seed))
    support.analyze()
    if args.keep and not reused:
        args.built_marker.write_text(f"{counts}\n")
    populated = time.perf_counter()
    support.print_database_and_machine()
    print(
        f"{'Reused' if reused else 'Built'} in {populated - started:.1f}s (migrate {migrated - started:.1f}s): "
        f"{counts['offers']:,} offers ({counts['published']:,} listed), {counts['times']:,} regular times, "
        f"{counts['people']:,} people, {counts['organisations']} organisations"
    )
    return profile(args.runs) if args.profile else measure(args.runs)


def _counts() -> dict[str, int]:
    from kindred.accounts.models import User
    from kindred.directory.models import Offer, OfferStatus, OfferTime
    from kindred.organisations.models import Organisation

    return {
        "offers": Offer.objects.count(),
        "published": Offer.objects.filter(status=OfferStatus.PUBLISHED).count(),
        "times": OfferTime.objects.count(),
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
    }


def populate(n_offers: int, n_people: int, rng: random.Random) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from kindred.accounts.models import User
    from kindred.directory.models import Delivery, MeetingFormat, Offer, OfferKind, OfferStatus, OfferTime
    from kindred.directory.places import all_places
    from kindred.directory.services import synonyms_ensure_defaults
    from kindred.directory.text import document_for
    from kindred.organisations.models import Organisation

    places = [p for p in all_places() if p.region in {"North West", "North East", "Yorkshire"}] + all_places()
    now = timezone.now()
    with transaction.atomic():
        synonyms_ensure_defaults()
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench Organisation {i}", slug=f"bench-org-{i}", region=rng.choice(places).region)
            for i in range(20)
        )
        offers: list[Offer] = []
        for i in range(n_offers):
            kind = rng.choices(list(OfferKind), weights=(70, 12, 10, 8))[0]
            if kind == OfferKind.GROUP:
                delivery = rng.choices((Delivery.IN_PERSON, Delivery.HYBRID, Delivery.VIDEO), weights=(80, 10, 10))[0]
            elif kind == OfferKind.SCHEME:
                delivery = rng.choice((Delivery.IN_PERSON, Delivery.PHONE, Delivery.ONLINE, Delivery.VIDEO))
            elif kind == OfferKind.ONLINE_SPACE:
                delivery = Delivery.ONLINE
            else:
                delivery = Delivery.IN_PERSON
            title_topic, summary, focus = rng.choice(TOPICS)
            place = rng.choice(places)
            located = delivery in (Delivery.IN_PERSON, Delivery.HYBRID)
            offer = Offer(
                organisation=rng.choice(organisations),
                slug=f"bench-offer-{i}",
                kind=kind,
                scheme_type=rng.choice(("befriending", "mentoring", "pen_friends")) if kind == OfferKind.SCHEME else "",
                delivery=delivery,
                title=f"{place.name} {title_topic}" if located else f"{title_topic} ({i})",
                summary=summary.capitalize() + ".",
                description=" ".join(rng.sample(SENTENCES, 4)),
                experience_focus=focus,
                gender_focus=rng.choice(("", "", "", "", "Women", "Men")),
                identity_focus=rng.choice(("", "", "", "", "", "Black women", "LGBTQ+ people", "Carers")),
                age_min=rng.choice((None, None, None, 18, 50)),
                age_max=None,
                languages=rng.choice(("English", "English", "English", "English, Urdu", "Polish, English")),
                is_free=rng.random() < 0.85,
                step_free=rng.random() < 0.5,
                hearing_loop=rng.random() < 0.2,
                quiet_room=rng.random() < 0.3,
                town=place.name if located else "",
                region=place.region,
                latitude=place.latitude + rng.uniform(-0.05, 0.05) if located else None,
                longitude=place.longitude + rng.uniform(-0.05, 0.05) if located else None,
                format=rng.choice(MeetingFormat.values),
                status=OfferStatus.PUBLISHED if rng.random() < 0.95 else OfferStatus.PENDING_REVIEW,
                last_confirmed_at=now - timedelta(days=rng.randint(0, 400)),
            )
            offer.search_title, offer.search_body = document_for(offer)  # bulk_create skips save()
            offers.append(offer)
        created = Offer.objects.bulk_create(offers, batch_size=1000)
        times = [
            OfferTime(
                offer=offer,
                weekday=rng.randrange(7),
                starts_at=clock(rng.choice((9, 10, 11, 13, 14, 15, 17, 18, 19, 20)), rng.choice((0, 30))),
            )
            for offer in created
            if offer.kind == OfferKind.GROUP
            for _ in range(rng.choice((1, 1, 1, 2)))
        ]
        OfferTime.objects.bulk_create(times, batch_size=2000)
        password = make_password(None)  # unusable: these people never log in
        User.objects.bulk_create(
            (
                User(email=f"person{i}@bench.example", display_name=f"Person {i}", password=password)
                for i in range(n_people)
            ),
            batch_size=5000,
        )
    return {
        "offers": len(created),
        "published": sum(o.status == OfferStatus.PUBLISHED for o in created),
        "times": len(times),
        "people": User.objects.count(),
        "organisations": len(organisations),
    }


def measure(runs: int) -> int:
    from django.urls import reverse

    from kindred.directory.forms_search import SearchForm
    from kindred.directory.search import search_offers

    # A fixed moment (a Monday morning) so "next meeting" order is the same on every run and engine.
    now = datetime(2027, 1, 11, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    pages = support.PageClient()
    search_url = reverse("directory:search")
    minimal = support.timed(pages.minimal_view(), runs)
    support.print_runs_note(runs)
    support.print_header(
        f"{'search':<42} {'results':>7} {'selector p50':>12} {'p95':>7} {'page p50':>9} {'p95':>7} {'p95/minimal':>11}"
    )
    worst = 0.0
    for label, params in SEARCHES:
        form = SearchForm(_querydict(params))
        query = dataclasses.replace(form.to_query(), now=now)
        total = search_offers(query).total
        selector = support.timed(lambda q=query: search_offers(q), runs)
        whole = support.timed(pages.page(f"{search_url}?{urlencode(params, doseq=True)}"), runs)
        worst = max(worst, percentile(whole, 95))
        print(
            f"{label:<42} {total:>7,} {statistics.median(selector):>12.1f} {percentile(selector, 95):>7.1f} "
            f"{statistics.median(whole):>9.1f} {percentile(whole, 95):>7.1f} "
            f"{percentile(whole, 95) / percentile(minimal, 95):>10.1f}x"
        )
    floor = f"{statistics.median(minimal):>9.1f} {percentile(minimal, 95):>7.1f}"
    print(f"{'minimal view (/bench/minimal/)':<42} {'':>7} {'':>12} {'':>7} {floor} {'1.0x':>11}")
    print(f"\nWorst search page p95: {worst:.1f} ms (target on PostgreSQL: under 50 ms).")
    if pages.failures:
        print(f"{pages.failures} requests did not return 200.")
    return 1 if pages.failures else 0


def profile(runs: int) -> int:
    """Per search: the page's queries (with their times) and where a page's Python time goes."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    search_url = reverse("directory:search")
    for label, params in SEARCHES:
        url = f"{search_url}?{urlencode(params, doseq=True)}"
        for _ in range(3):
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(f"\n=== {label}: {len(captured.captured_queries)} queries")
        for query in captured.captured_queries:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            client.get(url)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)
        print(f"cProfile over {runs} pages:")
        print(out.getvalue())
    return 0


def _querydict(params: dict[str, Any]) -> Any:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
