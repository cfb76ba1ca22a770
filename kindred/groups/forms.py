"""Forms for groups. They check input kindly; services decide and write."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from kindred.organisations.models import Organisation

from .models import CommitteeRole, Frequency, GroupRole, MeetingDelivery, MeetingKind, RSVPAnswer

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
NTHS = [("", "—"), (1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth")]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class GroupForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        to_field_name="slug",
        help_text="The organisation the group belongs to, or that hosts it.",
        error_messages={"required": "Please choose the organisation.", "invalid_choice": "Please choose one of yours."},
    )
    name = forms.CharField(max_length=150, error_messages={"required": "Please give the group a name."})
    summary = forms.CharField(
        max_length=300,
        help_text="One or two sentences, in plain words.",
        error_messages={"required": "Please add a short summary."},
    )
    description = forms.CharField(widget=forms.Textarea, max_length=5000, required=False)
    delivery = forms.ChoiceField(
        choices=MeetingDelivery.choices, widget=forms.RadioSelect, label="How does it meet?", initial="in_person"
    )
    venue_name = forms.CharField(max_length=150, required=False, label="Venue")
    address = forms.CharField(max_length=300, required=False)
    town = forms.CharField(max_length=80, required=False, label="Town or city")
    postcode = forms.CharField(max_length=10, required=False)
    experience_focus = forms.CharField(
        max_length=150,
        required=False,
        label="Who it's for",
        help_text="e.g. hearing voices, low mood. Leave blank if it's for anyone.",
    )
    is_public = forms.BooleanField(
        required=False,
        initial=True,
        label="Show this group in the directory",
        help_text="Untick for a private group: only its members and your organisation's coordinators will see it.",
    )
    is_grassroots = forms.BooleanField(
        required=False,
        label="This is a grassroots group, run by its own members",
        help_text="The organisation hosts the listing; the group's own facilitators run it.",
    )
    what_to_expect = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        label="What to expect",
        help_text="For someone coming for the first time: what happens, how long, whether they can just listen.",
    )
    ground_rules = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        required=False,
        help_text="e.g. What's said here stays here. Everyone can pass. We listen without fixing.",
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class JoinForm(forms.Form):
    acknowledge = forms.BooleanField(
        label="I've read the ground rules and I'll do my best to keep to them",
        error_messages={"required": "Please tick the box to say you've read the ground rules."},
    )


class RulesForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        label="Ground rules",
        help_text="Saving makes a new version. Everyone in the group will be asked to read it again.",
        error_messages={"required": "Please write the ground rules."},
    )


class FirstChatForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea, max_length=1000, required=False, label="Anything you'd like them to know (optional)"
    )
    how_to_reach = forms.CharField(
        max_length=200,
        required=False,
        label="How would you like them to get in touch? (optional)",
        help_text="e.g. a message here on Kindred, or a phone call in the afternoon.",
    )


class FollowUpOptOutForm(forms.Form):
    opt_out = forms.BooleanField(
        required=False,
        label="Please don't ask the facilitator or welcome buddy to get in touch after my first meeting",
    )


class SeriesForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices, label="How often", widget=forms.RadioSelect)
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day of the week")
    nth = forms.TypedChoiceField(
        choices=NTHS,
        coerce=int,
        empty_value=None,
        required=False,
        label="Which week of the month",
        help_text="Only for “monthly, on the nth weekday”.",
    )
    start_time = forms.TimeField(
        widget=TimeInput,
        label="Start time",
        error_messages={"required": "Please give a start time.", "invalid": "Please give a time like 19:00."},
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=720, initial=90, label="Length in minutes")
    starts_on = forms.DateField(
        widget=DateInput, label="Starting from", error_messages={"invalid": "Please give a date like 2026-01-31."}
    )
    ends_on = forms.DateField(widget=DateInput, required=False, label="Until (optional)")
    delivery = forms.ChoiceField(
        choices=MeetingDelivery.choices, widget=forms.RadioSelect, initial="in_person", label="Where"
    )
    place = forms.CharField(max_length=300, required=False, label="Place", help_text="e.g. the room and building.")
    video_link = forms.URLField(
        required=False, label="Video link", help_text="Only members see it.", assume_scheme="https"
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=500, required=False, label="Places (optional)", help_text="Leave empty for no limit."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("frequency") == Frequency.MONTHLY_NTH and not data.get("nth"):
            self.add_error("nth", "Please choose which week of the month.")
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data


class SeriesChangeForm(forms.Form):
    """Change the day or time of a regular meeting in place (how often it meets stays the same)."""

    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day of the week")
    nth = forms.TypedChoiceField(
        choices=NTHS,
        coerce=int,
        empty_value=None,
        required=False,
        label="Which week of the month",
        help_text="Only for “monthly, on the nth weekday”.",
    )
    start_time = forms.TimeField(
        widget=TimeInput,
        label="New start time",
        error_messages={"required": "Please give a start time.", "invalid": "Please give a time like 19:00."},
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=720, label="Length in minutes")
    note = forms.CharField(
        max_length=300,
        required=False,
        label="A note for members (optional)",
        help_text="e.g. why it's changing. Everyone in the group is told about the new time.",
    )

    def __init__(self, *args: Any, frequency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frequency = frequency
        if frequency != Frequency.MONTHLY_NTH:
            del self.fields["nth"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.frequency == Frequency.MONTHLY_NTH and not data.get("nth"):
            self.add_error("nth", "Please choose which week of the month.")
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, widget=forms.RadioSelect, initial="social", label="What kind")
    title = forms.CharField(max_length=150, required=False, help_text="e.g. Summer picnic")
    description = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)
    day = forms.DateField(
        widget=DateInput,
        label="Date",
        error_messages={"required": "Please give a date.", "invalid": "Please give a date like 2026-01-31."},
    )
    start_time = forms.TimeField(
        widget=TimeInput, label="Start time", error_messages={"required": "Please give a start time."}
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=720, initial=120, label="Length in minutes")
    delivery = forms.ChoiceField(
        choices=MeetingDelivery.choices, widget=forms.RadioSelect, initial="in_person", label="Where"
    )
    place = forms.CharField(max_length=300, required=False)
    video_link = forms.URLField(required=False, assume_scheme="https")
    capacity = forms.IntegerField(min_value=1, max_value=500, required=False, label="Places (optional)")


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(
        choices=RSVPAnswer.choices,
        widget=forms.RadioSelect,
        label="Are you coming?",
        error_messages={"required": "Please choose going, maybe or can't come."},
    )


class CancelForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="A short note for members (optional)")


class MoveForm(forms.Form):
    day = forms.DateField(widget=DateInput, label="New date", error_messages={"required": "Please give the new date."})
    start_time = forms.TimeField(
        widget=TimeInput, label="New start time", error_messages={"required": "Please give the new start time."}
    )
    note = forms.CharField(max_length=300, required=False, label="A short note for members (optional)")

    def new_start(self) -> datetime:
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"])


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=GroupRole.choices, label="Role in the group")
    committee_role = forms.ChoiceField(choices=CommitteeRole.choices, required=False, label="Committee role")


class AddMemberForm(forms.Form):
    email = forms.EmailField(label="Their email address", help_text="They need a Kindred account already.")


class NoteForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea, max_length=5000, label="Note", error_messages={"required": "Please write the note."}
    )


class IncidentForm(forms.Form):
    what_happened = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        label="What happened",
        error_messages={"required": "Please say briefly what happened."},
    )
    action_taken = forms.CharField(widget=forms.Textarea, max_length=3000, required=False, label="What was done")
    needs_follow_up = forms.BooleanField(required=False, label="A coordinator should follow this up")


class HandoverForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        label="Handover note",
        error_messages={"required": "Please write the handover note."},
    )
    recipient = forms.ChoiceField(required=False, label="For (optional)")

    def __init__(self, *args: Any, facilitators: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "Everyone who facilitates")] + [
            (str(p.public_id), p.display_name) for p in (facilitators or [])
        ]


class FollowUpForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Your message",
        initial=(
            "It was lovely to meet you at the group. I hope it felt OK — we'd be glad to see you again, "
            "whenever suits you."
        ),
        error_messages={"required": "Please write a short message."},
    )


class NearForm(forms.Form):
    place = forms.CharField(max_length=60, required=False, label="Town, city or postcode")
    radius = forms.TypedChoiceField(
        choices=[(5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km")],
        coerce=int,
        initial=10,
        required=False,
        label="Within",
    )


def week_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now, now + timedelta(days=7)


def default_starts_on() -> date:
    return timezone.localdate()
