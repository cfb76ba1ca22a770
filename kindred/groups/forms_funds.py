"""Forms for a group's money: a ledger entry with its receipt, and the report period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from .funds import FundsError, Receipt, parse_pounds, receipt_check
from .models import LedgerCategory, LedgerDirection


class LedgerEntryForm(forms.Form):
    direction = forms.ChoiceField(
        label="Money in or out?",
        choices=LedgerDirection.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose money in or money out.",
            "invalid_choice": "Please choose money in or money out.",
        },
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose…"), *LedgerCategory.choices],
        error_messages={
            "required": "Please choose a category.",
            "invalid_choice": "Please choose a category from the list.",
        },
    )
    amount = forms.CharField(
        label="Amount in pounds",
        max_length=20,
        help_text="For example 12.50. Always a positive number — “Money out” says it was spent.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": "Please enter an amount, for example 12.50."},
    )
    on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Please give the date.", "invalid": "Please give the date as day, month and year."},
    )
    note = forms.CharField(
        label="Note (optional)", max_length=300, required=False, help_text="For example: hall hire for March."
    )
    receipt = forms.FileField(
        label="Receipt (optional)",
        required=False,
        help_text="A photo (JPEG, PNG or WebP) or a PDF, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def clean_amount(self) -> int:
        try:
            return parse_pounds(self.cleaned_data["amount"])
        except FundsError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_on(self) -> date:
        on = self.cleaned_data["on"]
        today = timezone.localdate()
        if on > today + timedelta(days=366):
            raise forms.ValidationError("That date is more than a year away. Please check it.")
        if on.year < 2000:
            raise forms.ValidationError("Please check the year.")
        return on

    def clean_receipt(self) -> Receipt | None:
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        try:
            return receipt_check(upload, name=upload.name or "receipt", size=upload.size)
        except FundsError as error:
            raise forms.ValidationError(str(error)) from error


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please give a start date.",
            "invalid": "Please give the start date as day, month and year.",
        },
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please give an end date.",
            "invalid": "Please give the end date as day, month and year.",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date. Please swap them round.")
        elif start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Please choose a period of three years or less.")
        return data
