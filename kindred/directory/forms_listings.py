"""Forms for listing a grassroots group and reviewing listings. They check input kindly; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from kindred.organisations.models import Organisation

from .listings import DECLINE_REASON_MAX, LISTING_FIELDS, LISTING_KINDS
from .models import Delivery, Offer, OfferKind, Weekday

# Offers met in a place: they need a town or postcode so people can find them.
PLACE_DELIVERIES = (Delivery.IN_PERSON, Delivery.HYBRID)

_MAYBE = [("", "Not sure"), ("true", "Yes"), ("false", "No")]


def _maybe(value: Any) -> bool | None:
    return {"true": True, "false": False, True: True, False: False}.get(value)


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ListingForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation or network should it be listed with?",
        help_text="A coordinator there will give your listing a quick check before it appears. "
        "Choose the one nearest to you or closest to what your group does.",
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose an organisation",
        error_messages={"required": "Please choose an organisation to list it with."},
    )
    can_bring_someone = forms.TypedChoiceField(
        label="Can people bring someone with them?", choices=_MAYBE, coerce=_maybe, empty_value=None, required=False
    )
    can_just_listen = forms.TypedChoiceField(
        label="Can people just listen, without having to speak?",
        choices=_MAYBE,
        coerce=_maybe,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Offer
        fields = list(LISTING_FIELDS)
        formfield_callback = _formfield
        labels = {
            "title": "Name of the group",
            "summary": "In a sentence or two, what is it?",
            "description": "More about it",
            "kind": "What kind of support is it?",
            "delivery": "How does it meet?",
            "venue_name": "Venue (optional)",
            "address": "Address (optional)",
            "town": "Town or city",
            "postcode": "Postcode",
            "region": "Region (optional)",
            "cost": "Cost (optional)",
            "is_free": "It's free",
            "access_notes": "Anything else about access (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact email",
            "contact_phone": "Contact phone",
            "website": "Website (optional)",
            "format": "What's it like?",
            "typical_size": "How many people usually come? (optional)",
            "typical_mix": "Who usually comes? (optional)",
            "finding_the_room": "How to find it (optional)",
            "first_visit": "What happens the first time someone comes (optional)",
        }
        help_texts = {
            "summary": "Plain words help people most, for example: “A friendly weekly walk and chat for anyone "
            "feeling low.”",
            "description": "Who it's for, what happens, and anything a newcomer might worry about.",
            "town": "Needed if it meets in person.",
            "cost": "For example: free, or £2 towards tea.",
            "contact_email": "Give an email address or a phone number, or both, so people can ask before coming.",
            "first_visit": "For example: someone will say hello at the door; you don't have to say anything.",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "finding_the_room": forms.Textarea(attrs={"rows": 3}),
            "first_visit": forms.Textarea(attrs={"rows": 3}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, include_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not include_organisation:
            del self.fields["organisation"]
        self.fields["kind"].choices = [(k.value, k.label) for k in OfferKind if k in LISTING_KINDS]
        self.fields["delivery"].choices = [c for c in self.fields["delivery"].choices if c[0]]
        for name in ("kind", "delivery"):
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)
        for name, field in self.fields.items():
            if field.required and name not in ("organisation",):
                field.error_messages["required"] = f"Please fill in “{field.label}”."
        self.fields["kind"].error_messages["required"] = "Please choose what kind of support it is."
        self.fields["delivery"].error_messages["required"] = "Please choose how it meets."
        self.fields["format"].choices = [("", "Not sure / something else"), *self.fields["format"].choices[1:]]
        if self.instance.pk:
            self.initial.setdefault("can_bring_someone", _as_choice(self.instance.can_bring_someone))
            self.initial.setdefault("can_just_listen", _as_choice(self.instance.can_just_listen))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("delivery") in PLACE_DELIVERIES and not (data.get("town") or data.get("postcode")):
            self.add_error("town", "Please give the town or postcode, so people can find it.")
        if not (data.get("contact_email") or data.get("contact_phone")):
            self.add_error(
                "contact_email", "Please give an email address or a phone number so people can get in touch."
            )
        return data

    def _post_clean(self) -> None:
        # Validation of the model is the service's job (it sets the organisation, status and slug).
        pass

    @property
    def details(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in LISTING_FIELDS}


def _as_choice(value: bool | None) -> str:
    return {True: "true", False: "false"}.get(value, "")  # type: ignore[arg-type]


class TimeForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label="Day", choices=[("", "Choose a day"), *Weekday.choices], coerce=int, empty_value=None, required=False
    )
    starts_at = forms.TimeField(
        label="Starts", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label="Ends (optional)", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=120, help_text="For example: first Tuesday of the month."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = any(data.get(name) not in (None, "") for name in ("weekday", "starts_at", "ends_at", "note"))
        if filled:
            if data.get("weekday") is None:
                self.add_error("weekday", "Please choose the day.")
            if data.get("starts_at") is None:
                self.add_error("starts_at", "Please give the starting time, for example 18:30.")
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "Please make the finishing time later than the starting time.")
        return data

    @property
    def values(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("weekday") is None:
            return None
        return {
            "weekday": data["weekday"],
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
            "note": data.get("note", ""),
        }


class _BaseTimeFormSet(forms.BaseFormSet):
    @property
    def times(self) -> list[dict[str, Any]]:
        return [values for form in self.forms if (values := form.values) is not None]


TIME_ROWS = 3


def time_formset(data: Any = None, offer: Offer | None = None) -> Any:
    initial = []
    if offer is not None:
        initial = [
            {"weekday": t.weekday, "starts_at": t.starts_at, "ends_at": t.ends_at, "note": t.note}
            for t in offer.times.all()
        ]
    formset_class = forms.formset_factory(
        TimeForm,
        formset=_BaseTimeFormSet,
        extra=max(TIME_ROWS - len(initial), 1),
        max_num=7,
        validate_max=True,
        absolute_max=7,
    )
    return formset_class(data, initial=initial, prefix="times")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why it isn't being listed",
        help_text="The person who listed it will see this, so please write it kindly and say what would help.",
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please give a short, kind reason. The person who listed it will see it."},
    )
