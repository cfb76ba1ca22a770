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
