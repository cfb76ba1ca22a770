"""Named rate-limit policies over the cache, keyed on hashed identifiers (never raw emails or IPs)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .hashing import keyed_digest


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    retry_after_seconds: int


class RateLimited(Exception):
    def __init__(self, policy: str, retry_after_seconds: int) -> None:
        super().__init__(policy)
        self.policy = policy
        self.retry_after_seconds = retry_after_seconds


def client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. uvicorn --proxy-headers).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(policy: str, identifier: str) -> RateLimitResult:
    """Count one attempt against `policy` for `identifier`; say whether it is still allowed."""
    limit, window = settings.RATE_LIMITS[policy]
    key = cache_key(policy, identifier)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return RateLimitResult(allowed=count <= limit, retry_after_seconds=window if count > limit else 0)


def check(policy: str, *identifiers: str) -> None:
    """Count an attempt for each identifier (e.g. IP and email); raise RateLimited if any is over."""
    results = [hit(policy, identifier) for identifier in identifiers if identifier]
    blocked = [r for r in results if not r.allowed]
    if blocked:
        raise RateLimited(policy, max(r.retry_after_seconds for r in blocked))


def cache_key(policy: str, identifier: str) -> str:
    return "rl:" + policy + ":" + keyed_digest(identifier.strip().lower(), purpose="ratelimit")


def reset(policy: str, identifier: str) -> None:
    cache.delete(cache_key(policy, identifier))
