"""Practical resources per region (owned by the resources work; this signature is the contract)."""

from __future__ import annotations

from kindred.directory.models import PracticalResource


def resources_for_region(region: str) -> list[PracticalResource]:
    return list(PracticalResource.objects.filter(region__in=[region, "UK"]).order_by("category", "name")) if region else []
