"""The group's funds ledger: who may keep it, adding and removing entries, receipts, the running balance."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from kindred.accounts.models import User
from kindred.core.errors import AppError
from kindred.core.services import audit_record

from .access import Viewer
from .models import CommitteeRole, LedgerCategory, LedgerDirection, LedgerEntry

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
MAX_AMOUNT_PENCE = 10_000_000  # £100,000: far beyond a peer group's year; stops a slipped key
RECEIPT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
# Committee members who look after the money alongside the facilitators.
MONEY_COMMITTEE = frozenset({CommitteeRole.TREASURER, CommitteeRole.CHAIR})


class FundsError(AppError):
    """Something about the ledger we can explain to the person; nothing was stored."""


def can_keep_funds(viewer: Viewer) -> bool:
    if viewer.can_facilitate:
        return True
    membership = viewer.membership
    return viewer.is_active_member and membership is not None and membership.committee_role in MONEY_COMMITTEE


def require_funds(viewer: Viewer) -> None:
    """Members who aren't facilitators, the chair or the treasurer get 403 (the access helper gave 404 to others)."""
    if not can_keep_funds(viewer):
        raise PermissionDenied("Only the group's facilitators, chair and treasurer can see and change the funds.")


def parse_pounds(text: str) -> int:
    """ "12.50", "£12.50" or "12" into pence. Raises FundsError with a kind message for anything else."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "").strip()
    if not cleaned:
        raise FundsError("Please enter an amount, for example 12.50.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise FundsError("Please enter the amount as a number of pounds, for example 12.50.") from exc
    if not amount.is_finite():
        raise FundsError("Please enter the amount as a number of pounds, for example 12.50.")
    if amount <= 0:
        raise FundsError(
            "Please enter the amount as a positive number. Choose “Money out” for spending, rather than a minus sign."
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise FundsError("Please give the amount to the nearest penny, for example 12.50.")
    pence = int(amount * 100)
    if pence > MAX_AMOUNT_PENCE:
        raise FundsError("That amount is larger than we can record here (up to £100,000). Please check it.")
    return pence


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True)
class Receipt:
    data: bytes
    content_type: str
    name: str


def receipt_check(upload: IO[bytes], *, name: str, size: int | None = None) -> Receipt:
    """Read an uploaded receipt and check it really is a JPEG, PNG, WebP image or PDF of at most 5 MB.

    The type comes from the file's content, not its name or the browser's say-so. Images must also open.
    """
    if size is not None and size > MAX_RECEIPT_BYTES:
        raise FundsError("That receipt is too large. Please keep it under 5 MB — a photo from a phone is fine.")
    data = upload.read(MAX_RECEIPT_BYTES + 1)
    if len(data) > MAX_RECEIPT_BYTES:
        raise FundsError("That receipt is too large. Please keep it under 5 MB — a photo from a phone is fine.")
    if not data:
        raise FundsError("That receipt file is empty. Please choose the photo or PDF again.")
    content_type = _sniff(data[:16])
    if content_type is None:
        raise FundsError("Receipts can be a photo (JPEG, PNG or WebP) or a PDF. That file isn't one of those.")
    if content_type.startswith("image/"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise FundsError("We couldn't open that image. Please try another photo of the receipt.") from exc
    elif b"%%EOF" not in data[-2048:]:
        raise FundsError("We couldn't open that PDF. Please try saving it again, or take a photo instead.")
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_ ")[:80].strip() or "receipt"
    return Receipt(data=data, content_type=content_type, name=f"{stem}.{RECEIPT_TYPES[content_type]}")


def ledger_entry_add(
    *,
    actor: User,
    viewer: Viewer,
    direction: str,
    category: str,
    amount_pence: int,
    on: date,
    note: str = "",
    receipt: Receipt | None = None,
) -> LedgerEntry:
    require_funds(viewer)
    if direction not in LedgerDirection.values:
        raise FundsError("Please choose whether this is money in or money out.")
    if category not in LedgerCategory.values:
        raise FundsError("Please choose a category.")
    if not isinstance(amount_pence, int) or amount_pence <= 0:
        raise FundsError("Please enter the amount as a positive number. Choose “Money out” for spending.")
    if amount_pence > MAX_AMOUNT_PENCE:
        raise FundsError("That amount is larger than we can record here (up to £100,000). Please check it.")
    if viewer.group.is_closed:
        raise FundsError("This group has closed, so its funds can no longer be changed.")
    with transaction.atomic():
        entry = LedgerEntry.objects.create(
            group=viewer.group,
            direction=direction,
            category=category,
            amount_pence=amount_pence,
            on=on,
            note=note.strip()[:300],
            receipt=receipt.data if receipt else None,
            receipt_name=receipt.name if receipt else "",
            receipt_type=receipt.content_type if receipt else "",
            receipt_size=len(receipt.data) if receipt else 0,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="groups.ledger_entry_added",
            subject=entry,
            organisation=viewer.group.organisation,
            detail={"group": viewer.group.slug, "direction": direction, "amount_pence": amount_pence},
        )
    return entry


def ledger_entry_delete(*, actor: User, viewer: Viewer, entry: LedgerEntry) -> None:
    require_funds(viewer)
    if entry.group_id != viewer.group.pk:
        raise PermissionDenied("That entry belongs to another group.")
    if viewer.group.is_closed:
        raise FundsError("This group has closed, so its funds can no longer be changed.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="groups.ledger_entry_removed",
            subject=entry,
            organisation=viewer.group.organisation,
            detail={"group": viewer.group.slug, "direction": entry.direction, "amount_pence": entry.amount_pence},
        )
        entry.delete()


# --- Reading -------------------------------------------------------------------------------------------------


@dataclass
class LedgerLine:
    entry: LedgerEntry
    balance_pence: int


def ledger_entries(group_id: int) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(group_id=group_id).defer("receipt").order_by("on", "created_at", "id")


def ledger_lines(group_id: int) -> list[LedgerLine]:
    """Every entry in date order with the balance after it."""
    balance = 0
    lines = []
    for entry in ledger_entries(group_id).select_related("recorded_by"):
        balance += entry.signed_pence
        lines.append(LedgerLine(entry=entry, balance_pence=balance))
    return lines


def balance_pence(group_id: int, *, before: date | None = None, through: date | None = None) -> int:
    rows = ledger_entries(group_id)
    if before is not None:
        rows = rows.filter(on__lt=before)
    if through is not None:
        rows = rows.filter(on__lte=through)
    return sum(e.signed_pence for e in rows.only("amount_pence", "direction"))


def get_entry_for(viewer: Viewer, public_id: object) -> LedgerEntry:
    from django.http import Http404

    require_funds(viewer)
    try:
        entry = LedgerEntry.objects.filter(group=viewer.group, public_id=public_id).first()
    except (ValueError, TypeError) as exc:
        raise Http404("No such entry.") from exc
    if entry is None:
        raise Http404("No such entry.")
    return entry


def pounds(pence: int) -> str:
    sign = "−" if pence < 0 else ""
    return f"{sign}£{abs(pence) / 100:,.2f}"
