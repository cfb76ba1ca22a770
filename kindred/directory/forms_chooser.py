"""Forms for the chooser and for coordinators' practical resources. They check input and say kindly what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from kindred.organisations.forms import AccessibleForm
from kindred.organisations.models import Organisation

from . import chooser
from .models import PracticalResource, ResourceCategory
from .resources import RESOURCE_FIELDS

PICK_FROM_LIST = "Please choose from the options shown."


class ChooserForm(AccessibleForm):
    """Every question is optional: leaving one out means "anything is fine"."""

    connect = forms.ChoiceField(
        label="How would you like to connect with others?",
        choices=chooser.CONNECT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": PICK_FROM_LIST},
    )
    where = forms.ChoiceField(
        label="In person, or from home?",
        choices=chooser.WHERE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": PICK_FROM_LIST},
    )
    when = forms.MultipleChoiceField(
        label="When suits you?",
        choices=chooser.WHEN_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick as many as you like.",
        error_messages={"invalid_choice": PICK_FROM_LIST, "invalid_list": PICK_FROM_LIST},
    )
    place = forms.CharField(
        label="Town or postcode",
        required=False,
        max_length=chooser.MAX_PLACE_CHARS,
        help_text="For things that meet in person, so we can suggest somewhere near. For example Leeds, or LS6.",
        error_messages={"max_length": "Please keep this to %(limit_value)d characters or fewer."},
    )
    region = forms.ChoiceField(
        label="Or choose your area",
        required=False,
        choices=[("", "Anywhere")],
        error_messages={"invalid_choice": "Please choose an area from the list, or leave it as 'Anywhere'."},
    )
    who = forms.MultipleChoiceField(
        label="Does anything matter to you about who is there, or how it works?",
        choices=chooser.WHO_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only tick what matters to you. We'll put the closest matches first.",
        error_messages={"invalid_choice": PICK_FROM_LIST, "invalid_list": PICK_FROM_LIST},
    )
    language = forms.CharField(
        label="A language you'd like to use, if not English",
        required=False,
        max_length=chooser.MAX_LANGUAGE_CHARS,
        help_text="For example Urdu, Polish or Welsh.",
        error_messages={"max_length": "Please keep this to %(limit_value)d characters or fewer."},
    )

    def __init__(self, *args: Any, regions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Anywhere"), *[(r, r) for r in regions or []]]

    def clean_place(self) -> str:
        return " ".join(self.cleaned_data.get("place", "").split())

    def clean_language(self) -> str:
        return " ".join(self.cleaned_data.get("language", "").split())


class PracticalResourceForm(AccessibleForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
        help_text="The organisation that keeps this entry up to date.",
        error_messages={"invalid_choice": "Please choose one of your organisations."},
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            not (cleaned.get("phone") or cleaned.get("url"))
            and not self.has_error("phone")
            and not self.has_error("url")
        ):
            raise forms.ValidationError("Please give at least one way to reach them: a phone number or a website.")
        return cleaned


_LABELS = {
    "region": "Region it serves",
    "category": "Kind of help",
    "name": "Name",
    "description": "What they offer",
    "phone": "Phone number",
    "url": "Website",
    "hours": "When they're open",
}


def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


PracticalResourceForm.base_fields.update(
    forms.fields_for_model(PracticalResource, fields=RESOURCE_FIELDS, labels=_LABELS, formfield_callback=_formfield)
)
for _field in PracticalResourceForm.base_fields.values():
    if isinstance(_field, forms.CharField) and _field.max_length:
        _field.error_messages["max_length"] = (
            "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        )
PracticalResourceForm.base_fields["region"].help_text = "For example North West, or UK for help available everywhere."
PracticalResourceForm.base_fields["region"].error_messages["required"] = "Please say which region it serves, or UK."
PracticalResourceForm.base_fields["name"].error_messages["required"] = "Please give the service a name."
PracticalResourceForm.base_fields["category"].error_messages["required"] = "Please choose the kind of help."
PracticalResourceForm.base_fields["category"].error_messages["invalid_choice"] = PICK_FROM_LIST
PracticalResourceForm.base_fields["category"].choices = ResourceCategory.choices
PracticalResourceForm.base_fields["url"].error_messages["invalid"] = (
    "Please enter a full web address, like https://example.org."
)
PracticalResourceForm.base_fields["hours"].help_text = "For example 24 hours, or Mon–Fri 9am–5pm."
