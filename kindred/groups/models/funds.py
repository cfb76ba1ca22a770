"""A group's small funds ledger. Amounts are whole pence, always positive, with a direction."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = ["LedgerCategory", "LedgerDirection", "LedgerEntry"]


class LedgerDirection(models.TextChoices):
    INCOME = "income", "Money in"
    SPENDING = "spending", "Money out"


class LedgerCategory(models.TextChoices):
    ROOM_HIRE = "room_hire", "Room hire"
    REFRESHMENTS = "refreshments", "Refreshments"
    TRAVEL = "travel", "Travel"
    GRANT = "grant", "Grant"
    DONATIONS = "donations", "Donations and contributions"
    OTHER = "other", "Other"


class LedgerEntry(models.Model):
    """One sum of money in or out. The receipt, if any, is kept in the database: private to the group's
    facilitators and treasurer, never served as a public file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="ledger_entries")
    direction = models.CharField(max_length=10, choices=LedgerDirection.choices)
    category = models.CharField(max_length=20, choices=LedgerCategory.choices)
    amount_pence = models.PositiveIntegerField()
    on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    receipt = models.BinaryField(null=True, blank=True, editable=False)
    receipt_name = models.CharField(max_length=120, blank=True)
    receipt_type = models.CharField(max_length=40, blank=True)
    receipt_size = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at", "id"]
        indexes = [models.Index(fields=["group", "on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=Q(direction__in=LedgerDirection.values), name="ledger_direction_valid"),
            models.CheckConstraint(condition=Q(category__in=LedgerCategory.values), name="ledger_category_valid"),
            models.CheckConstraint(condition=Q(receipt_size__lte=5 * 1024 * 1024), name="ledger_receipt_size_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} £{self.amount_pence / 100:.2f} {self.on}"

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt_size)

    @property
    def signed_pence(self) -> int:
        return self.amount_pence if self.direction == LedgerDirection.INCOME else -self.amount_pence
