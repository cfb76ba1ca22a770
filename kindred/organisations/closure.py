"""Closing an organisation well, instead of deleting it.

Deleting an organisation would take with it every group, space, conversation and record it held — other people's
words among them. So an organisation is closed: every member is told, each of its forms closes what it runs in
its own way (groups close through the group closure, online spaces are archived read-only), the organisation is
marked closed, and everything is kept.

The forms sit above this app, so they register what they do when an organisation closes (`on_close`, from their
`AppConfig.ready()`); this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.services import audit_record

from .models import Membership, Organisation, OrganisationStatus
from .selectors import is_coordinator

ORGANISATION_CLOSED = reach.Kind(
    "organisations.closed", reach.Purpose.UPDATE, "An organisation you belong to has closed"
)
MAX_REASON_CHARS = 2000


class ClosureError(AppError):
    """A kind reason the organisation can't be closed as asked; nothing was changed."""


@dataclass(frozen=True)
class CloseHandler:
    """What one form does when an organisation closes.

    `close(actor, organisation, reason)` runs inside the closure's transaction and returns how many things it
    closed; `describe(organisation)` says, in a sentence for the confirmation page, what it will do (or "").
    """

    key: str
    close: Callable[[User, Organisation, str], int]
    describe: Callable[[Organisation], str]


_handlers: dict[str, CloseHandler] = {}


def on_close(
    *, key: str, close: Callable[[User, Organisation, str], int], describe: Callable[[Organisation], str]
) -> CloseHandler:
    """Register what a form does when an organisation closes (called from the form's `AppConfig.ready()`)."""
    handler = CloseHandler(key=key, close=close, describe=describe)
    _handlers[key] = handler
    return handler


def handlers() -> list[CloseHandler]:
    return sorted(_handlers.values(), key=lambda h: h.key)


def members_of(organisation: Organisation) -> list[User]:
    """Everyone with a role in the organisation, once each."""
    ids = Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def what_will_happen(organisation: Organisation) -> list[str]:
    """Each thing closing will do, in plain words, for the coordinator to read before they confirm."""
    told = len(members_of(organisation))
    steps = [f"Everyone in {organisation.name} ({told} {'person' if told == 1 else 'people'}) is told, in Kindred."]
    steps += [sentence for handler in handlers() if (sentence := handler.describe(organisation))]
    steps.append(
        f"{organisation.name} is marked as closed. Nothing is deleted: its records, and everything people wrote, "
        "are kept."
    )
    return steps


@dataclass(frozen=True)
class ClosureOutcome:
    organisation: Organisation
    told: int
    closed: dict[str, int]


def organisation_close(*, actor: User, organisation: Organisation, reason: str) -> ClosureOutcome:
    """Close an organisation (its coordinators only): tell every member, close what each form runs, keep it all."""
    if not (actor.is_superuser or is_coordinator(actor, organisation)):
        raise ClosureError("Only a coordinator of this organisation can close it.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError("Please say why the organisation is closing. Its members will read this.", field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise ClosureError("Please keep the reason to 2,000 characters or fewer.", code="too_long", field="reason")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.is_closed:
            raise ClosureError("This organisation has already closed.", code="closed")
        closed = {handler.key: handler.close(actor, organisation, reason) for handler in handlers()}
        organisation.status = OrganisationStatus.CLOSED
        organisation.closed_at = timezone.now()
        organisation.closed_reason = reason
        organisation.save(update_fields=["status", "closed_at", "closed_reason"])
        people = members_of(organisation)
        for person in people:
            _tell(person, organisation, reason)
        audit_record(
            actor=actor,
            action="organisation.closed",
            subject=organisation,
            organisation=organisation,
            detail={"told": len(people), "closed": closed},
        )
    return ClosureOutcome(organisation=organisation, told=len(people), closed=closed)


def _tell(person: User, organisation: Organisation, reason: str) -> None:
    """The one place a closing organisation sends anything."""
    reach.send(
        to=person,
        kind=ORGANISATION_CLOSED,
        title=f"{organisation.name} has closed",
        body=(
            f"{reason}\n\nWhat was shared in its groups and online spaces stays for you to read and download for a "
            "year. Other groups, spaces and one-to-one support are in the Kindred directory."
        ),
        url=reverse("organisations:detail", kwargs={"slug": organisation.slug}),
    )
