"""Forms for well-being pages. Each one checks input kindly and leaves the writing to services."""

from __future__ import annotations

from typing import Any

from django import forms

from kindred.accounts.models import User

from .measures import InvalidAnswers, Measure, score
from .models import GoalStatus, ReminderFrequency, SelfHarmResponse


class CheckInForm(forms.Form):
    """One radio group per question, with the published wording and answers."""

    def __init__(self, measure: Measure, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        choices = [(str(value), label) for value, label in measure.options]
        for number, item in enumerate(measure.items, start=1):
            self.fields[item.key] = forms.ChoiceField(
                label=f"{number}. {item.text}",
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "wb-option"}),
                error_messages={
                    "required": "Please choose an answer for this question.",
                    "invalid_choice": f"Please choose an answer from {measure.minimum} to {measure.maximum}.",
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.result = score(self.measure.code, {item.key: cleaned.get(item.key) for item in self.measure.items})
            except InvalidAnswers as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {item.key: self.cleaned_data[item.key] for item in self.measure.items}


class SettingsForm(forms.Form):
    phq9_enabled = forms.BooleanField(label="Offer PHQ-9 (depression symptoms) to our members", required=False)
    gad7_enabled = forms.BooleanField(label="Offer GAD-7 (anxiety symptoms) to our members", required=False)
    self_harm_response = forms.ChoiceField(
        label="When a PHQ-9 answer to the self-harm question is above zero",
        choices=SelfHarmResponse.choices,
        widget=forms.RadioSelect,
        help_text=(
            "The person always sees kind crisis signposting at once, and is told before they answer what will happen."
            " Leads are told only that a check-in needs a safeguarding follow-up, never the answers."
        ),
    )
    safeguarding_leads = forms.ModelMultipleChoiceField(
        label="Safeguarding leads to tell",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Coordinators and supervisors of this organisation.",
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safeguarding_leads"].queryset = leads
        self.fields["safeguarding_leads"].label_from_instance = lambda user: user.display_name


class GoalForm(forms.Form):
    title = forms.CharField(label="Your goal", max_length=200, help_text="A few words, in your own words.")
    why = forms.CharField(
        label="Why it matters to you (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you see this, even if you share your goals' titles with a supporter.",
    )
    target_date = forms.DateField(
        label="A date to aim for (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter a date, for example 2027-03-31."},
    )


PROGRESS_CHOICES = [("", "Not now")] + [(str(n), str(n)) for n in range(11)]


class GoalNoteForm(forms.Form):
    body = forms.CharField(
        label="A note about how it's going",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    progress = forms.ChoiceField(
        label="How far along does it feel? (0 is just starting, 10 is there)",
        choices=PROGRESS_CHOICES,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("body") or "").strip() and cleaned.get("progress") in ("", None):
            raise forms.ValidationError("Please write a note or choose how far along it feels.")
        return cleaned


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label="Where this goal is", choices=GoalStatus.choices, widget=forms.RadioSelect)


class RemindersForm(forms.Form):
    frequency = forms.ChoiceField(label="Remind me", choices=ReminderFrequency.choices, widget=forms.RadioSelect)
    measures = forms.MultipleChoiceField(
        label="About these check-ins", choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = [(m.code, m.short_name) for m in measures]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("frequency") not in (None, ReminderFrequency.OFF) and not cleaned.get("measures"):
            self.add_error("measures", "Please choose at least one check-in to be reminded about.")
        return cleaned


class ShareForm(forms.Form):
    supporter = forms.ChoiceField(label="Who to share with", choices=(), widget=forms.RadioSelect)
    measures = forms.MultipleChoiceField(
        label="Latest scores and trend for",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_goals = forms.BooleanField(
        label="My goals' titles and how far along they feel (not why they matter, not my notes)", required=False
    )

    def __init__(self, *args: Any, supporters: list[Any], measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supporter"].choices = [
            (str(s.user.public_id), f"{s.user.display_name} — {s.relationship}") for s in supporters
        ]
        self.fields["measures"].choices = [(m.code, m.short_name) for m in measures]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("measures") and not cleaned.get("include_goals"):
            raise forms.ValidationError("Please choose at least one thing to share.")
        return cleaned
