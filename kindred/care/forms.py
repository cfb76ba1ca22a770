from __future__ import annotations

from typing import Any

from django import forms

from .models import Feeling, IncidentKind
from .services import AUDIENCES

FEELING_CHOICES = [
    (Feeling.ROUGH.value, "1 — Rough: it was hard"),
    (Feeling.LOW.value, "2 — A bit low"),
    (Feeling.OK.value, "3 — OK"),
    (Feeling.GOOD.value, "4 — Good"),
    (Feeling.GREAT.value, "5 — Really good"),
]


class CheckInForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label="How are you after this?",
        choices=FEELING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose how you're feeling — or just leave this page, it's optional.",
            "invalid_choice": "Please choose one of the five answers, from rough to really good.",
        },
    )
    note = forms.CharField(
        label="Anything you'd like to note (optional)",
        help_text="Only you can read this, unless you share this check-in. It is stored encrypted.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    would_like_to_talk = forms.BooleanField(label="I'd like to talk to someone about it", required=False)
    share_with_supervisor = forms.BooleanField(label="Share this check-in with my supervisor", required=False)


class StepBackForm(forms.Form):
    note = forms.CharField(
        label="A note for yourself (optional)",
        help_text="Only you can read this. You don't have to explain to anyone.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    end_current_relationships = forms.BooleanField(
        label="Also end my current one-to-one relationships",
        help_text="Leave this unticked to carry on with the people you already support.",
        required=False,
    )


class IncidentOpenForm(forms.Form):
    where = forms.ChoiceField(label="Which group or space is this about?")
    kind = forms.ChoiceField(label="What kind of incident", choices=IncidentKind.choices, initial=IncidentKind.DEATH)
    title = forms.CharField(
        label="A short title",
        help_text="Only the people handling this see it. For example: After the death of a member.",
        max_length=150,
    )
    what_happened = forms.CharField(
        label="What happened (optional)",
        help_text="Seen only by the people handling this. Stored encrypted.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [("", "Choose…"), *places]


class PersonForm(forms.Form):
    person = forms.ChoiceField(label="Who is this about?", required=False)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Nobody in particular"), *people]


class InformForm(forms.Form):
    message = forms.CharField(
        label="Message to the facilitators or moderators",
        help_text="They will get it in Kindred and by email. Share only what they need to know.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please write the message the facilitators will read."},
    )


AUDIENCE_CHOICES = list(AUDIENCES.items())


class DebriefForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Please give the date and time.", "invalid": "Please give a date and time."},
    )
    place = forms.CharField(label="Where (optional if there is a call link)", required=False, max_length=300)
    call_link = forms.URLField(label="Call link (optional)", required=False, assume_scheme="https")
    note = forms.CharField(
        label="A note for people (optional)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    audience = forms.ChoiceField(label="Who to tell", choices=AUDIENCE_CHOICES, initial="leaders")


class ShareResourcesForm(forms.Form):
    audience = forms.ChoiceField(label="Who to send them to", choices=AUDIENCE_CHOICES, initial="leaders")


class LogForm(forms.Form):
    text = forms.CharField(
        label="What was done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please write what was done."},
    )


class HandlerForm(forms.Form):
    email = forms.EmailField(label="Email address of someone in your organisation")


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="Closing summary",
        help_text="What was done, and anything still to follow up.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please write a short summary before closing."},
    )


class ResourceForm(forms.Form):
    name = forms.CharField(label="Name of the service", max_length=120)
    description = forms.CharField(label="Who it is for (optional)", required=False, max_length=300)
    phone = forms.CharField(label="Phone (optional)", required=False, max_length=40)
    url = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
