"""Every app that holds personal data registers it here: how to export it for "My data", and what to do with it
when the person deletes their account.

Apps register from their own `export.py` (imported by their `AppConfig.ready()`), so accounts never imports the
apps above it. A test fails if an app holds personal data and has registered nothing.

- `export(person)` returns JSON-serialisable data about that person only: other people appear at most by the
  name they chose to show.
- `erase(person)` runs inside the account deletion's transaction, before the person's row is deleted. It erases
  what is only theirs and keeps what they wrote to others (shown as by "a former member"), so that nobody else's
  words or records are lost.
- `remove_writing(person)` runs first, only if the person chose "Also remove the posts I wrote online": it
  replaces the words they wrote in shared places with a kind placeholder, leaving everyone else's in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import User

Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], object]


@dataclass(frozen=True)
class PersonalData:
    key: str  # the app's label
    order: int  # where it comes in the download and on the readable page
    label: str
    about: str
    export: Exporter
    erase: Eraser | None = None
    remove_writing: Eraser | None = None


_registry: dict[str, PersonalData] = {}


def register(
    *,
    key: str,
    order: int,
    label: str,
    about: str,
    export: Exporter,
    erase: Eraser | None = None,
    remove_writing: Eraser | None = None,
) -> PersonalData:
    entry = PersonalData(
        key=key, order=order, label=label, about=about, export=export, erase=erase, remove_writing=remove_writing
    )
    _registry[key] = entry
    return entry


def registered() -> list[PersonalData]:
    """Every app's personal data, in the order of the download."""
    return sorted(_registry.values(), key=lambda entry: (entry.order, entry.key))


def erase_person(person: User, *, remove_writing: bool = False) -> None:
    """Run every app's eraser for `person` (the caller holds the transaction and deletes the account after).

    With `remove_writing`, each app first removes what the person wrote in shared places (see the module's notes).
    """
    entries = registered()
    if remove_writing:
        for entry in entries:
            if entry.remove_writing is not None:
                entry.remove_writing(person)
    for entry in entries:
        if entry.erase is not None:
            entry.erase(person)
