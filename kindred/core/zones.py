"""Time zones by name, with one fallback: a name we don't know means the site's own zone (settings.TIME_ZONE)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)
