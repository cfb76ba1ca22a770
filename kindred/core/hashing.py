"""Keyed hashing for tokens and identifiers: only digests are stored, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings


def keyed_digest(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `value`, separated by purpose so one digest can't stand in for another."""
    key = f"{settings.KINDRED_HMAC_KEY}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digests_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
