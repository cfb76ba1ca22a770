"""Forms for asking to join, referring someone, and handling requests. They check input kindly; services write."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from .models import Referral, ReferralKind, ReferralNote, ReferralStatus
from .referrals import NEXT_STATUSES

_SIGNER_SALT = "kindred.directory.referral-form"
# A person takes more than a few seconds to fill in a referral; a form sent back faster is almost surely a bot.
FORM_MIN_SECONDS = 3
FORM_MAX_AGE_SECONDS = 24 * 60 * 60


def _max(field: str) -> int:
    return Referral._meta.get_field(field).max_length  # type: ignore[return-value]


class ContactChoice:
    EMAIL = "email"
    PHONE = "phone"
    EITHER = "either"
    CHOICES = [
        (EMAIL, "By email, to the address on my account"),
        (PHONE, "By phone"),
        (EITHER, "Either is fine"),
    ]
    LABELS = {
        EMAIL: "By email",
        PHONE: "By phone",
        EITHER: "Email or phone",
    }


class SelfReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like?",
        choices=[
            (ReferralKind.JOIN.value, "I'd like to join"),
            (ReferralKind.TALK_FIRST.value, "I'd like to talk to someone first"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose whether you'd like to join or talk to someone first."},
    )
    message = forms.CharField(
        label="Anything you'd like them to know (optional)",
        help_text="In your own words. You don't need to explain anything you'd rather not — no diagnosis needed.",
        required=False,
        max_length=_max("message"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact = forms.ChoiceField(
        label="How would you like them to get in touch?",
        choices=ContactChoice.CHOICES,
        initial=ContactChoice.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how you'd like them to get in touch."},
    )
    contact_detail = forms.CharField(
        label="Phone number or good times to contact you (optional)",
        help_text="For example: 07700 900123, weekday mornings.",
        required=False,
        max_length=80,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("contact") in (ContactChoice.PHONE,) and not data.get("contact_detail", "").strip():
            self.add_error("contact_detail", "Please give a phone number so they can call you.")
        return data

    @property
    def preferred_contact(self) -> str:
        data = self.cleaned_data
        label = ContactChoice.LABELS[data["contact"]]
        detail = data.get("contact_detail", "").strip()
        return f"{label} — {detail}" if detail else label


def form_started_token() -> str:
    """A signed note of when the form was shown, so a form sent back within seconds (a bot) can be spotted."""
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(int(time.time())))


class ProfessionalReferralForm(forms.Form):
    referrer_name = forms.CharField(
        label="Your name", max_length=_max("referrer_name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    referrer_role = forms.CharField(
        label="Your role",
        max_length=_max("referrer_role"),
        help_text="For example: GP, community psychiatric nurse, social prescriber.",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    referrer_organisation = forms.CharField(
        label="Your organisation",
        max_length=_max("referrer_organisation"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    referrer_email = forms.EmailField(
        label="Your email address",
        max_length=_max("referrer_email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    referrer_phone = forms.CharField(
        label="Your phone number (optional)",
        required=False,
        max_length=_max("referrer_phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    person_name = forms.CharField(
        label="Their name", max_length=_max("person_name"), help_text="The name they'd like to be called."
    )
    person_email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=_max("person_email"),
        help_text="Give an email address, a phone number, or both.",
    )
    person_phone = forms.CharField(
        label="Their phone number",
        required=False,
        max_length=_max("person_phone"),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    message = forms.CharField(
        label="What they would like, in their own words",
        help_text="What they hope for from this, and anything that would help the first contact go well. "
        "No diagnosis is needed.",
        max_length=_max("message"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    person_agreed = forms.BooleanField(
        label="The person has agreed to this referral",
        error_messages={
            "required": "Please tick to confirm the person has agreed to this referral. "
            "We can only take a referral they have agreed to."
        },
    )
    # Spam guard: a field people never see (bots fill it in) and a signed note of when the form was shown.
    website = forms.CharField(label="Leave this empty", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started_ok = False
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def started_value(self) -> str:
        """The timestamp to send with the page: a fresh one, unless a good one came back with other mistakes."""
        if self.started_ok:
            return str(self.data["started"])
        return form_started_token()

    def _check_started(self, token: str) -> str | None:
        """Why the signed timestamp is not acceptable, or None if it is."""
        signer = signing.TimestampSigner(salt=_SIGNER_SALT)
        try:
            shown_at = int(signer.unsign(token, max_age=FORM_MAX_AGE_SECONDS))
        except signing.SignatureExpired:
            return "This form was open for a long time, so please check the details and send it again."
        except (signing.BadSignature, ValueError):
            return "Something went wrong with this form. Please check the details and send it again."
        if time.time() - shown_at < getattr(settings, "REFERRAL_FORM_MIN_SECONDS", FORM_MIN_SECONDS):
            return (
                "That was sent very quickly, so we couldn't be sure a person sent it. "
                "Please check the details and send it again."
            )
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Both spam checks speak to the whole form: the fields they concern are not visible to fix.
        if data.get("website"):
            self.add_error(None, "We couldn't send this. Please check the details and send it again.")
        problem = self._check_started(data.get("started", ""))
        if problem:
            self.add_error(None, problem)
        else:
            self.started_ok = True
        no_route = not (data.get("person_email", "").strip() or data.get("person_phone", "").strip())
        if no_route and "person_email" not in self.errors and "person_phone" not in self.errors:
            self.add_error(
                "person_email",
                "Please give an email address or a phone number for the person, so the organisation can reach them.",
            )
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=())
    reason = forms.CharField(
        label="Reason for closing (needed if you close it)",
        help_text="The person will see this, so please write it kindly.",
        required=False,
        max_length=_max("closed_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note for the team (optional)",
        required=False,
        max_length=ReferralNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in NEXT_STATUSES[ReferralStatus(current)]]
        self.fields["status"].error_messages["invalid_choice"] = (
            "That change isn't possible from here. Please choose one of the statuses in the list."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == ReferralStatus.CLOSED and not data.get("reason", "").strip():
            self.add_error("reason", "Please say why this request is being closed. The person will see it.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        help_text="Only coordinators of your organisation can see notes.",
        max_length=ReferralNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please write the note before saving it."},
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All requests"), *[(s.value, s.label) for s in ReferralStatus]],
    )
