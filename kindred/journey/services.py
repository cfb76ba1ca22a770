"""The one way to write Engagements (every capability records participation through these functions), and the
writes for the person's own journey record: moments, status, reflections and dismissed suggestions — which only
the person ever writes or reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.core.errors import AppError

from .models import JourneyStatus, Moment, Reflection, StatusChange, SuggestionDismissal

# ====================================================================================================
# The person's own record

MOMENT_MAX = 140
REFLECTION_MAX = 3000
EARLIEST = date(1900, 1, 1)


class JourneyError(AppError, ValueError):
    """Input we can't accept, in words meant for the person. Nothing has been changed when it is raised."""

    default_code = "invalid_input"

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["detail"] = f"{self.message} Nothing has been changed."
        return body


def _clean_moment(happened_on: date | None, text: str) -> tuple[date, str]:
    text = " ".join((text or "").split())
    if happened_on is None:
        raise JourneyError("Please give the date it happened — roughly is fine.", field="happened_on")
    if happened_on > timezone.localdate():
        raise JourneyError(
            "That date is in the future. Moments are things that have already happened.", field="happened_on"
        )
    if happened_on < EARLIEST:
        raise JourneyError("Please check the year: that date is a very long time ago.", field="happened_on")
    if not text:
        raise JourneyError("Please write a few words about what happened.", field="text")
    if len(text) > MOMENT_MAX:
        raise JourneyError(f"Please keep it to {MOMENT_MAX} characters or fewer — a few words is plenty.", field="text")
    return happened_on, text


def _clean_reflection(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise JourneyError("Please write something first — even a few words.", field="text")
    if len(text) > REFLECTION_MAX:
        raise JourneyError(f"Please keep a reflection to {REFLECTION_MAX} characters or fewer.", field="text")
    return text


def _own(actor: User, thing: Moment | Reflection) -> None:
    if thing.person_id != actor.pk:
        raise JourneyError("That isn't yours to change.")


# --- Moments -------------------------------------------------------------------------------------------------------


@transaction.atomic
def moment_create(*, actor: User, happened_on: date | None, text: str) -> Moment:
    happened_on, text = _clean_moment(happened_on, text)
    return Moment.objects.create(person=actor, happened_on=happened_on, text=text)


@transaction.atomic
def moment_update(*, actor: User, moment: Moment, happened_on: date | None, text: str) -> Moment:
    _own(actor, moment)
    moment.happened_on, moment.text = _clean_moment(happened_on, text)
    moment.save(update_fields=["happened_on", "text", "updated_at"])
    return moment


@transaction.atomic
def moment_delete(*, actor: User, moment: Moment) -> None:
    _own(actor, moment)
    moment.delete()


# --- Status --------------------------------------------------------------------------------------------------------


@transaction.atomic
def status_set(*, actor: User, status: str, housebound: bool | None = None, at: datetime | None = None) -> StatusChange:
    """Set the current status (and, if given, the housebound flag). Writes a history row only when something changed."""
    if status not in (*JourneyStatus.values, ""):
        choices = ", ".join(label for _, label in JourneyStatus.choices)
        raise JourneyError(f"Please choose one of: {choices}.", field="status")
    current = StatusChange.objects.select_for_update().filter(person=actor).order_by("-changed_at", "-id").first()
    if housebound is None:
        housebound = current.housebound if current is not None else False
    if current is not None and current.status == status and current.housebound == housebound:
        return current
    return StatusChange.objects.create(
        person=actor, status=status, housebound=housebound, changed_at=at or timezone.now()
    )


# --- Reflections ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reflection_create(*, actor: User, text: str) -> Reflection:
    return Reflection.objects.create(person=actor, text=_clean_reflection(text))


@transaction.atomic
def reflection_update(*, actor: User, reflection: Reflection, text: str) -> Reflection:
    _own(actor, reflection)
    reflection.text = _clean_reflection(text)
    reflection.save(update_fields=["text", "updated_at"])
    return reflection


@transaction.atomic
def reflection_delete(*, actor: User, reflection: Reflection) -> None:
    _own(actor, reflection)
    reflection.delete()


# --- Suggestions ---------------------------------------------------------------------------------------------------


def suggestion_dismiss(*, actor: User, key: str) -> SuggestionDismissal:
    """Never show this suggestion again. Idempotent."""
    key = (key or "").strip()
    if not key or len(key) > 120 or ":" not in key:
        raise JourneyError("We couldn't tell which suggestion that was. Please try again from the page.", field="key")
    dismissal, _ = SuggestionDismissal.objects.get_or_create(person=actor, key=key)
    return dismissal
