"""Forms for the person's own journey record. The services do the checking; forms carry their kind messages back."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import JourneyStatus
from .services import MOMENT_MAX, REFLECTION_MAX


def _no_browser_limit(field: forms.Field) -> None:
    """Drop the `maxlength` Django puts on the input: a browser silently cuts a long paste to fit, losing the
    person's words. The server checks the length instead, says so kindly, and shows everything they wrote."""
    field.widget.attrs.pop("maxlength", None)


class MomentForm(forms.Form):
    happened_on = forms.DateField(
        label="When it happened",
        help_text="Roughly is fine, for example the first of the month.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please give the date it happened — roughly is fine.",
            "invalid": "Please enter a real date, for example 2024-03-01.",
        },
    )
    text = forms.CharField(
        label="What happened",
        help_text="A few words, in your own way: “started volunteering”, “moved house”, “went into hospital”.",
        max_length=MOMENT_MAX,
        error_messages={
            "required": "Please write a few words about what happened.",
            "max_length": (
                f"Please keep it to {MOMENT_MAX} characters or fewer — a few words is plenty. "
                "This has %(show_value)d; your words are still below, ready to shorten."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_browser_limit(self.fields["text"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where are you at the moment?",
        help_text="Only you see this. It helps Kindred suggest things that might fit; you can change it any time.",
        choices=[("", "I'd rather not say"), *JourneyStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Please choose one of the options."},
    )
    housebound = forms.BooleanField(label="I'm mostly at home at the moment", required=False)


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="What helped?",
        help_text="Private to you, and stored encrypted. No one else can read it — not staff, not your supporters.",
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Please write something first — even a few words.",
            "max_length": (
                f"Please keep a reflection to {REFLECTION_MAX} characters or fewer. "
                "This one has %(show_value)d; everything you wrote is still below, so nothing is lost."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_browser_limit(self.fields["text"])


class DismissForm(forms.Form):
    key = forms.CharField(max_length=120)
