"""Helpers for the one-to-one core tests (schemes, supporters, requests)."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.onetoone import services
from kindred.onetoone.models import Scheme, SupporterProfile
from kindred.organisations.models import Organisation


def make_scheme(coordinator: User, organisation: Organisation, **kwargs: Any) -> Scheme:
    fields: dict[str, Any] = {
        "title": "Riverside befriending",
        "summary": "A befriender to meet or message, for as long as it helps.",
        "kind": "befriending",
        "matching_mode": "coordinator",
        "channels": ["messages", "phone"],
        "default_capacity": 2,
    }
    fields.update(kwargs)
    return services.scheme_create(actor=coordinator, organisation=organisation, **fields)


def make_supporter(user: User, scheme: Scheme, **fields: Any) -> SupporterProfile:
    defaults: dict[str, Any] = {"capacity": 2, "languages": "English"}
    defaults.update(fields)
    return services.supporter_profile_save(actor=user, scheme=scheme, **defaults)
