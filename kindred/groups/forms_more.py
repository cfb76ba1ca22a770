"""Forms for staying in touch, funds and closing well. They check input kindly; services do the writing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from .funds import FundsError, Receipt, parse_pounds, receipt_check
from .models import LedgerCategory, LedgerDirection
from .stay import MAX_AFTER_MISSED


class AbsenceCheckInForm(forms.Form):
    trusted = forms.ChoiceField(
        label="Who should we ask to get in touch?",
        help_text="Someone in this group you trust. Only they are told — we never message you about it.",
        error_messages={
            "required": "Please choose someone from the group.",
            "invalid_choice": "Please choose someone from the group.",
        },
    )
    after_missed = forms.TypedChoiceField(
        label="After how many missed meetings in a row?",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, MAX_AFTER_MISSED + 1)],
        initial=3,
        error_messages={
            "required": "Please choose a number of meetings.",
            "invalid_choice": "Please choose a number from the list.",
        },
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trusted"].choices = [("", "Choose someone…"), *people]


class BoardPostForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=4000,
        help_text="Only members of this group can see the noticeboard.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Please write something to post.",
            "max_length": "Please keep a post to 4,000 characters or fewer.",
        },
    )


class NewsletterItemForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={"required": "Please give your item a title."},
    )
    body = forms.CharField(
        label="Your item",
        max_length=4000,
        help_text="News, a poem, a walk you enjoyed, a thank-you… The facilitators may tidy it before it goes out.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please write a few words."},
    )


class NewsletterIssueForm(forms.Form):
    title = forms.CharField(
        label="Title of this issue",
        max_length=150,
        error_messages={"required": "Please give this issue a title, for example “Spring news”."},
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few words from the facilitators at the top of the newsletter.",
    )


class NewsletterItemEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, required=False)
    body = forms.CharField(label="Text", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.ChoiceField(
        label="What should happen to it?",
        choices=[
            ("include", "Put it in this issue"),
            ("hold", "Keep it for later"),
            ("decline", "Leave it out"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what should happen to it."},
    )


class SubscriptionForm(forms.Form):
    subscribed = forms.TypedChoiceField(
        label="Email me the newsletter",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes, email it to me"), ("no", "No, I'll read it here")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose yes or no."},
    )


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
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date. Please swap them round.")
        elif start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Please choose a period of three years or less.")
        return data


class CloseGroupForm(forms.Form):
    when = forms.ChoiceField(
        label="When should the group close?",
        choices=[("now", "Now"), ("later", "On a date")],
        widget=forms.RadioSelect,
        initial="later",
        error_messages={"required": "Please choose now or a date."},
    )
    on = forms.DateField(
        label="Closing date",
        required=False,
        help_text="Meetings carry on until then. Members are told today either way.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please give the date as day, month and year."},
    )
    message = forms.CharField(
        label="A message to members (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sent with the news. A thank-you, why it's closing, where people might meet again.",
    )
    confirm = forms.BooleanField(
        label="I understand that members will be told, and that the group can't be reopened once it has closed",
        error_messages={"required": "Please tick the box to confirm."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("when") == "later":
            on = data.get("on")
            if on is None and "on" not in self.errors:
                self.add_error("on", "Please give the closing date, or choose “Now”.")
            elif on is not None and on <= timezone.localdate():
                self.add_error("on", "Please choose a date after today, or choose “Now”.")
            elif on is not None and on > timezone.localdate() + timedelta(days=366):
                self.add_error("on", "Please choose a closing date within the next year.")
        return data
