"""The form for closing a group well."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone


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
        data = super().clean() or {}
        if data.get("when") == "later":
            on = data.get("on")
            if on is None and "on" not in self.errors:
                self.add_error("on", "Please give the closing date, or choose “Now”.")
            elif on is not None and on <= timezone.localdate():
                self.add_error("on", "Please choose a date after today, or choose “Now”.")
            elif on is not None and on > timezone.localdate() + timedelta(days=366):
                self.add_error("on", "Please choose a closing date within the next year.")
        return data
