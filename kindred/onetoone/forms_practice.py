"""Forms for sessions, notes, ending well, practice logs, well-being check-ins and supervision.

They check input kindly; `kindred.onetoone.practice` checks it again and writes.
"""

from __future__ import annotations

from django import forms

from .models import (
    MAX_SESSION_MINUTES,
    NOTE_MAX_CHARS,
    Channel,
    DisclosureLayer,
    Feeling,
    Helpfulness,
    SessionStatus,
    SuggestedForm,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Please give the date and time of the session.",
            "invalid": "Please give a date and time, for example 2026-11-24 14:30.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)",
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        initial=60,
        error_messages={
            "required": "Please give the length of the session in minutes.",
            "min_value": "Please give the length of the session in minutes — at least 1.",
            "max_value": f"That's longer than {MAX_SESSION_MINUTES // 60} hours. Please check the number of minutes.",
            "invalid": "Please give the length as a whole number of minutes, like 45.",
        },
    )
    channel = forms.ChoiceField(
        label="How you met",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how you met."},
    )
    status = forms.ChoiceField(
        label="Has it happened yet?",
        choices=[
            (SessionStatus.HELD.value, "Yes, it happened"),
            (SessionStatus.SCHEDULED.value, "No, we're planning it"),
        ],
        initial=SessionStatus.HELD.value,
        widget=forms.RadioSelect,
        error_messages={"required": "Please say whether the session has happened or is planned."},
    )


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=SessionStatus.choices, error_messages={"required": "Please choose what happened."}
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Your private note",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Please write something in the note first.",
            "max_length": f"Please keep a note to {NOTE_MAX_CHARS} characters or fewer.",
        },
    )


class DisclosureForm(forms.Form):
    layer = forms.ChoiceField(
        label="Which part of your experience did you share?",
        choices=DisclosureLayer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose which part of your experience you shared."},
    )
    what_i_shared = forms.CharField(
        label="What you shared",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please say briefly what you shared."},
    )
    why = forms.CharField(
        label="Why you chose to share it (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    helpful = forms.ChoiceField(
        label="Did they seem to find it helpful? (optional)",
        choices=Helpfulness.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class EndingForm(forms.Form):
    reflection = forms.CharField(
        label="A closing reflection (optional)",
        help_text="What you'd like to remember about your time together. Only you can read this.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    suggested_forms = forms.MultipleChoiceField(
        label="What might help next? (optional)",
        help_text="We'll show links to these for both of you.",
        choices=SuggestedForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label="Yes, I'd like to bring this one-to-one to a close",
        error_messages={"required": "Please tick the box to confirm you'd like to end it."},
    )


class DilemmaForm(forms.Form):
    occurred_on = forms.DateField(
        label="When it happened",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please give the day it happened.",
            "invalid": "Please give a date, like 2026-11-20.",
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        help_text="For example: offered a gift, asked to be friends online, asked to be reachable at any time.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please say briefly what happened."},
    )
    what_i_did = forms.CharField(
        label="What you did, or are thinking of doing (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bring_to_supervision = forms.BooleanField(
        label="I'd like to talk about this in supervision", required=False, initial=True
    )


class CheckInForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label="How are you feeling after your session?",
        choices=Feeling.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how you're feeling — or just leave this page, it's optional."},
    )
    note = forms.CharField(
        label="Anything you'd like to note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    would_like_to_talk = forms.BooleanField(label="I'd like to talk to my supervisor about it", required=False)


class SupervisionRecordForm(forms.Form):
    held_on = forms.DateField(
        label="Date of supervision",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please give the date of the supervision.",
            "invalid": "Please give a date, like 2026-11-20.",
        },
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5})
    )
    agreed_actions = forms.CharField(
        label="What you agreed (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignmentForm(forms.Form):
    supervisor = forms.ChoiceField(label="Supervisor", error_messages={"required": "Please choose a supervisor."})
    supervisee = forms.ChoiceField(
        label="Person they supervise", error_messages={"required": "Please choose who they'll supervise."}
    )

    def __init__(
        self, *args: object, supervisors: list[tuple[str, str]], supervisees: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["supervisor"].choices = [("", "Choose…"), *supervisors]
        self.fields["supervisee"].choices = [("", "Choose…"), *supervisees]
