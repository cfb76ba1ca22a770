"""`{% load crisis %}{% uk_routes as routes %}` so the crisis panel partial can be included anywhere."""

from __future__ import annotations

from django import template

from kindred.safety.routes import UK_ROUTES, CrisisRoute

register = template.Library()


@register.simple_tag
def uk_routes() -> tuple[CrisisRoute, ...]:
    return UK_ROUTES
