"""Who is in touch with whom, as the forms tell it: the places people share and who supports whom.

The forms register what they know when their app loads, and everything above reads it here — well-being sharing
asks who a person's supporters are, one-to-one asks whether two people share a group or a space — so that no
form, and nothing beside the forms, has to read another form's tables. Blocks are applied here, once.

- `register_places(fn)`: `fn(person)` gives keys of the places the person belongs to now (a group they are in, a
  space they joined), unique across forms, e.g. "groups.group:12".
- `register_supporters(of, by)`: `of(person)` lists the people supporting the person now, in the order the
  person would name them; `by(supporter)` gives the ids of everyone that supporter supports now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kindred.accounts.models import User

from .blocks import apart_ids


@dataclass(frozen=True)
class Supporter:
    user: User
    relationship: str  # in plain words, e.g. "Your befriender in Riverside befriending"


Places = Callable[[User], set[str]]
SupportersOf = Callable[[User], list[Supporter]]
SupportedBy = Callable[[User], set[int]]

_places: list[Places] = []
_supporters: list[tuple[SupportersOf, SupportedBy]] = []


def register_places(places: Places) -> None:
    if places not in _places:
        _places.append(places)


def register_supporters(of: SupportersOf, by: SupportedBy) -> None:
    if (of, by) not in _supporters:
        _supporters.append((of, by))


def places_of(person: User) -> set[str]:
    return {key for places in _places for key in places(person)}


def share_a_place(a: User, b: User) -> bool:
    """Both belong now to the same group or space (or whatever place a form registers)."""
    return bool(places_of(a) & places_of(b))


def supporters_of(person: User) -> list[Supporter]:
    """The people supporting `person` now, each once, never anyone blocked either way."""
    apart = apart_ids(person)
    found: dict[int, Supporter] = {}
    for of, _by in _supporters:
        for supporter in of(person):
            if supporter.user.pk not in apart and supporter.user.pk not in found:
                found[supporter.user.pk] = supporter
    return list(found.values())


def people_supported_by(supporter: User) -> set[int]:
    """Ids of everyone `supporter` supports now (the reverse of `supporters_of`), never anyone blocked."""
    found: set[int] = set()
    for _of, by in _supporters:
        found |= by(supporter)
    return found - apart_ids(supporter)
