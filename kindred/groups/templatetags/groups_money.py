"""`{{ pence|pounds }}`: whole pence shown as pounds, e.g. 1250 is £12.50; below zero gets a true minus sign."""

from __future__ import annotations

from django import template

from kindred.groups.funds import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    return _pounds(int(pence or 0))
