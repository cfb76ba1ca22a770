"""One way to make a new, unused slug for a page address."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.utils.text import slugify


def unique_slug(text: str, *, taken: Callable[[str], bool], fallback: str) -> str:
    """`text` as a slug (at most 100 characters), with a short random tail while `taken(slug)` says it's in use."""
    base = slugify(text)[:100].strip("-") or fallback
    slug = base
    while taken(slug):
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
