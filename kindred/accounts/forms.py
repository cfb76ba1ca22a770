"""Forms for the people pages. They validate input and say kindly what is wrong; services do the writing."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm

from .models import PROFILE_FIELDS, AgeBand, Profile, User, Visibility, normalise_email

# How each optional profile field is named on the page.
PROFILE_LABELS: dict[str, str] = {
    "experience": "My experience",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "sexuality": "Sexuality",
    "age_band": "Age",
    "faith": "Faith or beliefs",
    "interests": "Interests",
    "languages": "Languages",
    "values": "Values",
}

PROFILE_HELP: dict[str, str] = {
    "experience": "Your experience of mental or emotional distress, in your own words. "
    "No diagnosis needed — share only what you want to.",
    "interests": "Separate with commas, for example walking, music, gardening.",
    "languages": "Separate with commas.",
    "values": "What matters to you, separated with commas.",
}

_USER_DISPLAY_MAX = User._meta.get_field("display_name").max_length
_USER_REAL_MAX = User._meta.get_field("real_name").max_length
_TOO_LONG = "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."


class _PasswordConfirmMixin(forms.Form):
    """A current-password field for forms that change something important."""

    current_password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password isn't right. Please try again.")
        return password


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We'll send you a link to confirm it. We never show it to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=_USER_DISPLAY_MAX,
        error_messages={"max_length": _TOO_LONG, "required": "Please choose a display name."},
        help_text="The name other people see. It can be a pseudonym — it doesn't have to be your real name.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    real_name = forms.CharField(
        label="Real name (optional)",
        max_length=_USER_REAL_MAX,
        error_messages={"max_length": _TOO_LONG},
        required=False,
        help_text="Only you can see this here. You can leave it blank.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 10 characters. A few unrelated words together make a good password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        help_text="Type the same password again, so we know it's right.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label="I agree to the terms of use",
        error_messages={"required": "Please tick to agree to the terms of use. We can't create an account without it."},
    )
    accept_privacy = forms.BooleanField(
        label="I have read the privacy notice and agree to Kindred keeping the information I give",
        error_messages={
            "required": "Please tick to agree to the privacy notice. We can't create an account without it."
        },
    )
    research_contact = forms.BooleanField(
        label="I'm happy to be contacted about taking part in research (optional)",
        required=False,
        initial=False,
        help_text="You can change your mind at any time in your account settings.",
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError("Please choose a display name.")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords don't match. Please type them again.")
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                display_name=cleaned.get("display_name", ""),
                real_name=cleaned.get("real_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class NamesForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=_USER_DISPLAY_MAX,
        error_messages={"max_length": _TOO_LONG, "required": "Please choose a display name."},
        help_text="The name other people see. It can be a pseudonym.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    real_name = forms.CharField(
        label="Real name (optional)",
        max_length=_USER_REAL_MAX,
        error_messages={"max_length": _TOO_LONG},
        required=False,
        help_text="Never shown on your profile to other people.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError("Please choose a display name.")
        return name


class EmailChangeForm(_PasswordConfirmMixin):
    new_email = forms.EmailField(
        label="New email address",
        max_length=254,
        help_text="We'll send a link to this address. Nothing changes until you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["new_email", "current_password"]

    def clean_new_email(self) -> str:
        return normalise_email(self.cleaned_data["new_email"])


class ResearchConsentForm(forms.Form):
    research_contact = forms.BooleanField(
        label="I'm happy to be contacted about taking part in research",
        required=False,
        help_text="Untick to withdraw. Saying no never affects the support you get.",
    )


class AccountDeleteForm(_PasswordConfirmMixin):
    remove_writing = forms.BooleanField(
        label="Also remove the posts I wrote online",
        required=False,
        help_text=(
            'If you leave this unticked, your posts and chat messages stay where they are, shown as by "a former '
            'member", so conversations still make sense to others. If you tick it, each one is replaced by '
            '"This post was removed by its author". Other people\'s replies stay either way.'
        ),
    )
    understand = forms.BooleanField(
        label="I understand that my account, profile and history will be deleted and can't be brought back",
        error_messages={"required": "Please tick to show you understand that this can't be undone."},
    )


class KindredPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="If it belongs to an account, we'll send a link to choose a new password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class ProfileForm(forms.ModelForm):
    """Every optional profile field beside the choice of who may see it, plus contact preferences."""

    class Meta:
        model = Profile
        fields = [
            *(name for field in PROFILE_FIELDS for name in (field, f"{field}_visibility")),
            "email_notifications",
            "quiet_hours_start",
            "quiet_hours_end",
            "timezone",
        ]
        widgets = {
            "experience": forms.Textarea(attrs={"rows": 6}),
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "timezone": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        labels = {
            "email_notifications": "Send me emails about things I take part in",
            "quiet_hours_start": "Quiet hours start",
            "quiet_hours_end": "Quiet hours end",
            "timezone": "Time zone",
        }
        help_texts = {
            "email_notifications": "",
            "quiet_hours_start": "During quiet hours we won't send you notifications. For example 21:00.",
            "quiet_hours_end": "For example 08:00.",
            "timezone": "For example Europe/London.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in PROFILE_FIELDS:
            self.fields[field].label = PROFILE_LABELS[field]
            self.fields[field].help_text = PROFILE_HELP.get(field, "")
            visibility = self.fields[f"{field}_visibility"]
            visibility.label = f"Who can see this ({PROFILE_LABELS[field].lower()})"
            visibility.help_text = ""
            visibility.choices = Visibility.choices
        self.fields["age_band"].choices = AgeBand.choices
        for form_field in self.fields.values():
            if getattr(form_field, "max_length", None):
                form_field.error_messages["max_length"] = _TOO_LONG

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        if value not in _known_timezones():
            raise forms.ValidationError(
                "We don't recognise that time zone. Please use a name like Europe/London or America/New_York."
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_error("quiet_hours_start") or self.has_error("quiet_hours_end"):
            return cleaned
        start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
        if (start is None) != (end is None):
            missing = "quiet_hours_end" if end is None else "quiet_hours_start"
            self.add_error(missing, "Please give both a start and an end for quiet hours, or leave both empty.")
        elif start is not None and start == end:
            self.add_error("quiet_hours_end", "Quiet hours need to end at a different time from when they start.")
        return cleaned

    def profile_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Pairs of (field, its visibility) for the template, one fieldset each."""
        return [(self[field], self[f"{field}_visibility"]) for field in PROFILE_FIELDS]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("email_notifications", "quiet_hours_start", "quiet_hours_end", "timezone")]
