"""What the in-process benchmarks share: a throwaway database, timing through Django's test client, percentiles.

A benchmark script imports this after putting the repository root on `sys.path`, sets itself up with
`throwaway_database(...)`, then (inside it) calls `setup_and_migrate()`, builds its data, calls `analyze()`
and times its pages with `timed(...)` or `timed_with_cpu(...)` against `MINIMAL_VIEW`.
Not a benchmark itself: bench/run_all.py leaves it out.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
MINIMAL_VIEW = "/bench/minimal/"  # the floor every page is compared with (bench/urls.py)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank q-th percentile: the smallest value with at least q % of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


# ---------------------------------------------------------------- the throwaway database


def postgres_addresses(server_url: str, database: str) -> tuple[str, str]:
    """(admin conninfo for the server's `postgres` database, URL of `database`) on the server `server_url` names."""
    url = urlparse(server_url)
    host, port, user = url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres"
    password = f":{url.password}" if url.password else ""
    admin = f"host={host} port={port} user={user} dbname=postgres" + (
        f" password={url.password}" if url.password else ""
    )
    return admin, f"postgres://{user}{password}@{host}:{port}/{database}"


def postgres_admin(conninfo: str, *statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) outside a transaction."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def built_marker(data_dir: Path, database: str) -> Path:
    """The file that says a kept database (see `throwaway_database(keep=...)`) was built by an earlier run."""
    return data_dir / f"built-{database}.txt"


@contextmanager
def throwaway_database(
    database: str,
    *,
    postgres_name: str,
    temp_prefix: str,
    postgres_server: str = LOCAL_POSTGRES,
    keep: str | None = None,
    kept_postgres_name: str = "",
) -> Iterator[Path]:
    """Point Django (bench.settings) at a fresh database and a data folder, yield the folder, then remove both.

    `database` is "sqlite" (a file in a temporary folder) or "postgres" (`postgres_name`, created on
    `postgres_server` and dropped afterwards; the database that URL names is never touched). DATABASE_URL,
    REDIS_URL and KINDRED_DEBUG are never inherited. With `keep`, the folder `keep` (and, on PostgreSQL,
    `kept_postgres_name`) is kept for the next run, which reuses it once `built_marker(...)` exists.
    """
    postgres_name = kept_postgres_name if keep else postgres_name
    admin, postgres_url = postgres_addresses(postgres_server, postgres_name)
    if keep:
        data_dir = Path(keep).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        data_dir = Path(tempfile.mkdtemp(prefix=temp_prefix))
    (data_dir / "static").mkdir(exist_ok=True)  # STATIC_ROOT; WhiteNoise warns if it is missing
    for name in ("DATABASE_URL", "REDIS_URL", "KINDRED_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["KINDRED_DATA_DIR"] = str(data_dir)
    if database == "postgres":
        if not built_marker(data_dir, database).exists():
            postgres_admin(admin, f"DROP DATABASE IF EXISTS {postgres_name}", f"CREATE DATABASE {postgres_name}")
        os.environ["DATABASE_URL"] = postgres_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    try:
        yield data_dir
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if keep:
            print(f"Kept the database ({database}) for reuse with --keep {data_dir}")
        else:
            if database == "postgres":
                postgres_admin(admin, f"DROP DATABASE IF EXISTS {postgres_name} WITH (FORCE)")
            shutil.rmtree(data_dir, ignore_errors=True)


def setup_and_migrate() -> tuple[float, float]:
    """Set Django up and migrate the throwaway database. Returns time.perf_counter() just before and just after
    migrating, for the "Built in …s (migrate …s)" line."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return started, time.perf_counter()


def analyze() -> None:
    """As autovacuum would on a live database: planner statistics (and, on PostgreSQL, GIN pending lists merged)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def machine_description() -> str:
    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"


def print_database_and_machine() -> None:
    from django.db import connection

    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.pg_version}"
    )
    print(f"Database: {version}")
    print(machine_description())


# ---------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], runs: int, warmup: int = 5) -> list[float]:
    """Wall-clock milliseconds per call, `runs` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def timed_with_cpu(fn: Callable[[], Any], runs: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds per call. On a busy shared machine wall-clock time includes
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


class PageClient:
    """Django's test client on 127.0.0.1 (optionally logged in as `person`) that counts responses other than 200."""

    def __init__(self, person: Any = None) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        if person is not None:
            self.client.force_login(person)
        self.failures = 0
        self.sizes: dict[str, int] = {}  # bytes of the last response, by URL

    def page(self, url: str) -> Callable[[], None]:
        """A call that GETs `url` once, for `timed`."""

        def get() -> None:
            response = self.client.get(url)
            if response.status_code != 200:
                self.failures += 1
            self.sizes[url] = len(response.content)

        return get

    def minimal_view(self) -> Callable[[], None]:
        """A call that GETs the minimal view once (not counted: it is the floor, not a page under test)."""

        def get() -> None:
            self.client.get(MINIMAL_VIEW)

        return get


def print_runs_note(runs: int, warmup: int = 5) -> None:
    print(f"\n{runs} timed runs each after {warmup} warm-up runs; milliseconds, server-side, one process.\n")


def print_header(header: str) -> None:
    print(header)
    print("-" * len(header))
