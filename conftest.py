from __future__ import annotations

import pytest
from django.core.cache import cache

from kindred.testing.personas import Personas, make_personas


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate-limit counters live in the cache; each test starts with a clean slate (Redis too in CI).
    cache.clear()


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> object:
    """pytest-django's test database, plus: on PostgreSQL, close connections that async consumers' worker threads
    left open, so the test database can be dropped at the end instead of lingering."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
