from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from kindred.core import ratelimit


@override_settings(RATE_LIMITS={"demo": (3, 60)})
def test_a_policy_allows_its_limit_then_refuses():
    for _ in range(3):
        ratelimit.check("demo", "Person@Example.org")
    with pytest.raises(ratelimit.RateLimited) as caught:
        ratelimit.check("demo", "person@example.org ")  # same identifier, normalised
    assert caught.value.policy == "demo"
    assert caught.value.retry_after_seconds == 60


@override_settings(RATE_LIMITS={"demo": (1, 60)})
def test_identifiers_are_counted_separately_and_any_over_limit_blocks():
    ratelimit.check("demo", "10.0.0.1", "a@example.org")
    ratelimit.check("demo", "10.0.0.2", "b@example.org")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check("demo", "10.0.0.3", "a@example.org")


@override_settings(RATE_LIMITS={"demo": (1, 60)})
def test_keys_hold_only_a_keyed_hash_never_the_raw_identifier():
    ratelimit.check("demo", "someone@example.org")
    key = ratelimit.cache_key("demo", "someone@example.org")
    assert cache.get(key) == 1
    assert "someone" not in key and "example" not in key


@override_settings(RATE_LIMITS={"demo": (1, 60)})
def test_reset_clears_a_counter():
    ratelimit.check("demo", "x")
    ratelimit.reset("demo", "x")
    ratelimit.check("demo", "x")
