"""How a person is named to others, in one place: by the name they chose to show, or as "a former member" once
their account is deleted and what they wrote to others is kept without them.
"""

from __future__ import annotations

from .models import User

FORMER_MEMBER = "a former member"


def display_name(person: User | None) -> str:
    """The name others see for `person`, or "a former member" if they have deleted their account."""
    if person is None:
        return FORMER_MEMBER
    return person.display_name
