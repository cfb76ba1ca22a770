"""Forms for the organisation pages. They check input and say kindly what is wrong; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from kindred.accounts.models import normalise_email

from .models import CrisisResource, Organisation, Role
from .services import CRISIS_RESOURCE_FIELDS, ORGANISATION_DETAIL_FIELDS

ROLE_CHOICE_ERRORS = {
    "invalid_choice": "Please choose one of the roles in the list.",
    "required": "Please choose a role.",
}


class AccessibleForm(forms.Form):
    """Ties each field's help and error text to its input (aria-describedby) and marks invalid inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            described = [part for part in (attrs.get("aria-describedby", ""), f"{self[name].auto_id}-error") if part]
            attrs["aria-describedby"] = " ".join(described)
            attrs["aria-invalid"] = "true"


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label="Role", choices=Role.choices, error_messages=ROLE_CHOICE_ERRORS)

    def __init__(self, *args: Any, roles: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = roles


class InvitationForm(AccessibleForm):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="We'll email them a link that works once and lasts two weeks.",
        error_messages={
            "required": "Please enter the email address to send the invitation to.",
            "invalid": "Please enter an email address like name@example.org.",
            "max_length": "That email address is too long. Please check it.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.MEMBER,
        help_text="What they will be able to do here. You can change it later.",
        error_messages=ROLE_CHOICE_ERRORS,
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


ORGANISATION_LABELS = {
    "region": "Region",
    "description": "About the organisation",
    "safeguarding_policy": "Safeguarding policy",
}


class OrganisationDetailsForm(AccessibleForm):
    @classmethod
    def for_organisation(cls, organisation: Organisation, data: Any = None) -> OrganisationDetailsForm:
        initial = {field: getattr(organisation, field) for field in ORGANISATION_DETAIL_FIELDS}
        return cls(data, initial=initial)


def formfield_assuming_https(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """Web addresses typed without a scheme are taken as https://, not http://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def _model_fields(model: type, names: tuple[str, ...], labels: dict[str, str]) -> dict[str, forms.Field]:
    fields = forms.fields_for_model(
        model, fields=list(names), labels=labels, formfield_callback=formfield_assuming_https
    )
    for field in fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = (
                "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
            )
    return fields


OrganisationDetailsForm.base_fields.update(_model_fields(Organisation, ORGANISATION_DETAIL_FIELDS, ORGANISATION_LABELS))


CRISIS_RESOURCE_LABELS = {
    "name": "Name",
    "description": "What they offer",
    "phone": "Phone number",
    "text_number": "Text number",
    "url": "Website",
    "hours": "When they're open",
    "position": "Order on the crisis page",
}


class CrisisResourceForm(AccessibleForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(cleaned.get(field) for field in ("phone", "text_number", "url")):
            raise forms.ValidationError(
                "Please give at least one way to reach them: a phone number, text number or website."
            )
        return cleaned


CrisisResourceForm.base_fields.update(_model_fields(CrisisResource, CRISIS_RESOURCE_FIELDS, CRISIS_RESOURCE_LABELS))
CrisisResourceForm.base_fields["position"].help_text = "Lower numbers are shown first."
CrisisResourceForm.base_fields["name"].error_messages["required"] = "Please give the service a name."
CrisisResourceForm.base_fields["url"].error_messages["invalid"] = (
    "Please enter a full web address, like https://example.org."
)


class OrganisationCloseForm(forms.Form):
    """Closing asks for a reason members will read, and the organisation's name typed out, so it is never a slip."""

    reason = forms.CharField(
        label="Why is the organisation closing?",
        help_text="Every member reads this in the message telling them. A few kind, plain sentences are enough.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please say why the organisation is closing. Its members will read this."},
    )
    confirm_name = forms.CharField(
        label="Type the organisation's name to confirm",
        max_length=150,
        error_messages={"required": "Please type the organisation's name to confirm."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.fields["confirm_name"].help_text = f"Type {organisation.name} exactly as it is written here."
        self.fields["confirm_name"].widget.attrs["autocomplete"] = "off"

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed != " ".join(self.organisation.name.split()):
            raise forms.ValidationError(
                f"That isn't the organisation's name. Please type {self.organisation.name} to confirm."
            )
        return typed
