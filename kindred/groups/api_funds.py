"""A group's money over the API: the ledger, its entries and the funder report (403 to members without the role).

Receipts are uploaded on the funds page; the API records and reads the ledger itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kindred.accounts.http import current_user
from kindred.core.api import InputSchema, responses

from . import funds as funds_services
from . import reports
from . import stay as stay_services
from .models import LedgerCategory, LedgerDirection

router = Router(tags=["groups"])


class EntryOut(Schema):
    public_id: UUID
    direction: LedgerDirection
    category: LedgerCategory
    amount_pence: int
    on: date
    note: str
    has_receipt: bool
    balance_pence: int = Field(..., description="The balance after this entry.")


class LedgerOut(Schema):
    balance_pence: int
    entries: list[EntryOut]


class EntryIn(InputSchema):
    direction: LedgerDirection
    category: LedgerCategory
    amount_pence: int = Field(
        ..., gt=0, le=funds_services.MAX_AMOUNT_PENCE, description="Whole pence, always positive: 1250 is £12.50."
    )
    on: date
    note: str = Field("", max_length=300)


class RoleCountOut(Schema):
    role: str
    people: int


class GroupReportOut(Schema):
    start: date
    end: date
    meetings_held: int
    meetings_cancelled: int
    attendances: int
    unique_people: int
    first_timers: int
    average_per_meeting: float
    people_in_roles: int
    roles: list[RoleCountOut]
    opening_balance_pence: int
    income_pence: int
    spending_pence: int
    closing_balance_pence: int


class ReportQuery(Schema):
    start: date
    end: date


# --- Funds ---------------------------------------------------------------------------------------------


def _funds(user: Any, slug: str) -> Any:
    group, viewer = stay_services.member_group_for(user, slug)
    funds_services.require_funds(viewer)
    return group, viewer


@router.get("/{slug}/funds", response=responses({200: LedgerOut}, 403, 404), summary="The ledger and balance")
def ledger(request: HttpRequest, slug: str) -> dict[str, Any]:
    group, _viewer = _funds(current_user(request), slug)
    lines = funds_services.ledger_lines(group.pk)
    return {
        "balance_pence": lines[-1].balance_pence if lines else 0,
        "entries": [
            {
                "public_id": line.entry.public_id,
                "direction": line.entry.direction,
                "category": line.entry.category,
                "amount_pence": line.entry.amount_pence,
                "on": line.entry.on,
                "note": line.entry.note,
                "has_receipt": line.entry.has_receipt,
                "balance_pence": line.balance_pence,
            }
            for line in lines
        ],
    }


@router.post("/{slug}/funds", response=responses({201: EntryOut}, 400, 403, 404), summary="Record money in or out")
def ledger_add(request: HttpRequest, slug: str, payload: EntryIn) -> Any:
    user = current_user(request)
    group, viewer = _funds(user, slug)
    entry = funds_services.ledger_entry_add(actor=user, viewer=viewer, **payload.model_dump())
    balance = funds_services.balance_pence(group.pk)
    return Status(
        201,
        {
            "public_id": entry.public_id,
            "direction": entry.direction,
            "category": entry.category,
            "amount_pence": entry.amount_pence,
            "on": entry.on,
            "note": entry.note,
            "has_receipt": False,
            "balance_pence": balance,
        },
    )


@router.get(
    "/{slug}/funds/report",
    response=responses({200: GroupReportOut}, 400, 403, 404),
    summary="The funder report for a period, as figures",
    description="The same report as a PDF or CSV is at /groups/{slug}/funds/report.pdf?start=…&end=….",
)
def funder_report(request: HttpRequest, slug: str, period: Query[ReportQuery]) -> dict[str, Any]:
    group, _viewer = _funds(current_user(request), slug)
    report = reports.funder_report(group=group, start=period.start, end=period.end)
    return {
        "start": report.start,
        "end": report.end,
        "meetings_held": report.meetings_held,
        "meetings_cancelled": report.meetings_cancelled,
        "attendances": report.attendances,
        "unique_people": report.unique_people,
        "first_timers": report.first_timers,
        "average_per_meeting": report.average_per_meeting,
        "people_in_roles": report.people_in_roles,
        "roles": [{"role": label, "people": count} for label, count in report.role_counts],
        "opening_balance_pence": report.opening_balance_pence,
        "income_pence": report.income_pence,
        "spending_pence": report.spending_pence,
        "closing_balance_pence": report.closing_balance_pence,
    }


@router.delete("/{slug}/funds/{entry_id}", response=responses({204: None}, 400, 403, 404), summary="Remove an entry")
def ledger_remove(request: HttpRequest, slug: str, entry_id: UUID) -> Any:
    user = current_user(request)
    _group, viewer = _funds(user, slug)
    entry = funds_services.get_entry_for(viewer, entry_id)
    funds_services.ledger_entry_delete(actor=user, viewer=viewer, entry=entry)
    return Status(204, None)
