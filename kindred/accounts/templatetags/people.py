"""`{{ post.author|person_name }}`: the name others see, or "a former member" (`kindred.accounts.names`)."""

from __future__ import annotations

from django import template

from kindred.accounts.models import User
from kindred.accounts.names import display_name

register = template.Library()


@register.filter
def person_name(person: User | None) -> str:
    return display_name(person)
