"""One-to-one actions offered on other apps' pages (a person's profile): "Ask to connect"."""

from __future__ import annotations

from typing import Any

from django import template

from kindred.onetoone import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def can_ask_to_connect(context: dict[str, Any], person: Any) -> bool:
    """Whether to offer "Ask to connect" to the viewer on `person`'s profile (see selectors.can_ask_to_connect)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or person is None:
        return False
    return selectors.can_ask_to_connect(viewer, person)
