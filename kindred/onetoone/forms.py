"""Forms for one-to-one pages. They only shape input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import (
    AVAILABILITY_SLOTS,
    Channel,
    ConnectionRole,
    LayerVisibility,
    MatchEndReason,
    MatchingMode,
    SchemeKind,
    SupporterProfile,
    SupporterStatus,
)
from .services import IDENTITY_DIMENSIONS

IDENTITY_LABELS = {
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "sexuality": "Sexuality",
    "age_band": "Age",
    "faith": "Faith or belief",
}
STRENGTHS = [("", "No preference"), ("prefer", "I would prefer"), ("must", "This matters: it must be")]


class DescribedForm(forms.Form):
    """Ties help text and errors to inputs with aria-describedby."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            ids = [f"id_{self.add_prefix(name)}_helptext"] if field.help_text else []
            if name in self._errors:
                ids.append(f"id_{self.add_prefix(name)}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_helptext"


class ConnectForm(DescribedForm):
    where_met = forms.CharField(
        label="Where did you meet? (optional)",
        max_length=150,
        required=False,
        help_text="e.g. the Tuesday walking group",
    )
    note = forms.CharField(
        label="A short hello (optional)", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    role = forms.ChoiceField(
        label="How do you see this connection?",
        choices=ConnectionRole.choices,
        initial=ConnectionRole.BOTH,
        widget=forms.RadioSelect,
        help_text="Only you see this. It helps you look back on your own giving and receiving.",
    )


class RespondForm(DescribedForm):
    role = forms.ChoiceField(
        label="How do you see this connection?",
        choices=ConnectionRole.choices,
        initial=ConnectionRole.BOTH,
        widget=forms.RadioSelect,
        help_text="Only you see this.",
    )


class MessageForm(DescribedForm):
    body = forms.CharField(label="Your message", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


def _slots_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=list(AVAILABILITY_SLOTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the times in a usual week that suit you.",
    )


class SchemeForm(DescribedForm):
    title = forms.CharField(label="Name of the scheme", max_length=150)
    summary = forms.CharField(label="In a sentence or two", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label="More about it (optional)", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    kind = forms.ChoiceField(label="Kind of scheme", choices=SchemeKind.choices)
    matching_mode = forms.ChoiceField(
        label="How matches are made", choices=MatchingMode.choices, widget=forms.RadioSelect
    )
    channels = forms.MultipleChoiceField(
        label="Ways to be in touch", choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    default_capacity = forms.IntegerField(
        label="How many people a supporter usually supports at once", min_value=1, max_value=50, initial=2
    )
    session_limit = forms.IntegerField(
        label="Session limit (optional)",
        min_value=1,
        max_value=500,
        required=False,
        help_text="Leave empty for no limit. Peer support works best without a fixed number of sessions.",
    )
    eligibility = forms.CharField(
        label="Who it's for (optional)",
        max_length=300,
        required=False,
        help_text="Leave empty if it's open to everyone.",
    )
    caseload_cap = forms.IntegerField(
        label="Caseload cap for each worker (peer support worker services)",
        min_value=1,
        max_value=200,
        required=False,
        help_text="Coordinators can only go past it by recording a reason.",
    )
    supervisor_reads_notes = forms.BooleanField(
        label="Supervisors may read the private session notes of the people they supervise in this scheme",
        help_text="Off by default. Authors are told who can read their notes, and every read is recorded.",
        required=False,
    )
    town = forms.CharField(label="Town (optional)", max_length=80, required=False)


class SchemeSettingsForm(SchemeForm):
    accepting_requests = forms.BooleanField(label="Taking new requests", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "summary", "description", "kind", "town"):
            del self.fields[name]


class IdentityMixin(forms.Form):
    @classmethod
    def identity_fields(cls) -> dict[str, forms.Field]:
        return {
            f"identity_{dim}": forms.CharField(label=IDENTITY_LABELS[dim], max_length=80, required=False)
            for dim in IDENTITY_DIMENSIONS
        }


class MatchRequestForm(DescribedForm):
    about = forms.CharField(
        label="In your own words, what would you like support with? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say as much or as little as you like. You don't need a diagnosis.",
    )
    experience_tags = forms.CharField(
        label="Experiences you'd like to share with someone (optional)",
        max_length=300,
        required=False,
        help_text="Separate with commas, e.g. hearing voices, grief, being a carer",
    )
    interest_tags = forms.CharField(
        label="Interests (optional)", max_length=300, required=False, help_text="e.g. music, walking, football"
    )
    value_tags = forms.CharField(
        label="Things that matter to you (optional)", max_length=300, required=False, help_text="e.g. faith, family"
    )
    languages = forms.CharField(label="Languages you speak", max_length=200, initial="English")
    channels = forms.MultipleChoiceField(
        label="How you'd like to be in touch",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = _slots_field("When you're usually free")
    postcode = forms.CharField(
        label="Town or postcode (optional)",
        max_length=10,
        required=False,
        help_text="Only used to find someone near you.",
    )
    max_distance_km = forms.IntegerField(
        label="How far could you travel to meet? (km, optional)", min_value=1, max_value=500, required=False
    )

    def __init__(self, *args: Any, scheme: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scheme is not None:
            self.fields["channels"].choices = [(c, label) for c, label in Channel.choices if c in scheme.channels]
        for dim in IDENTITY_DIMENSIONS:
            self.fields[f"pref_{dim}"] = forms.CharField(
                label=f"Supporter's {IDENTITY_LABELS[dim].lower()} (optional)", max_length=80, required=False
            )
            self.fields[f"pref_{dim}_strength"] = forms.ChoiceField(
                label=f"How much the supporter's {IDENTITY_LABELS[dim].lower()} matters",
                choices=STRENGTHS,
                required=False,
            )

    def preference_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"pref_{dim}"], self[f"pref_{dim}_strength"]) for dim in IDENTITY_DIMENSIONS]

    def preferences(self) -> dict[str, dict[str, str]]:
        out = {}
        for dim in IDENTITY_DIMENSIONS:
            value = self.cleaned_data.get(f"pref_{dim}", "").strip()
            strength = self.cleaned_data.get(f"pref_{dim}_strength") or "prefer"
            if value:
                out[dim] = {"value": value, "strength": strength}
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for dim in IDENTITY_DIMENSIONS:
            if data.get(f"pref_{dim}_strength") and not (data.get(f"pref_{dim}") or "").strip():
                self.add_error(f"pref_{dim}", "Please say what you'd like, or choose 'No preference'.")
        return data


class SupporterProfileForm(DescribedForm):
    experience_distress = forms.CharField(
        label="Your experience of distress (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    experience_distress_visibility = forms.ChoiceField(label="Who may see this", choices=LayerVisibility.choices)
    experience_services = forms.CharField(
        label="Your experience of services (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    experience_services_visibility = forms.ChoiceField(label="Who may see this", choices=LayerVisibility.choices)
    wider_life = forms.CharField(
        label="Your wider life (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    wider_life_visibility = forms.ChoiceField(label="Who may see this", choices=LayerVisibility.choices)
    interests_values = forms.CharField(
        label="Your interests and values (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    interests_values_visibility = forms.ChoiceField(label="Who may see this", choices=LayerVisibility.choices)
    experience_tags = forms.CharField(
        label="Experiences you're happy to be matched on (optional)",
        max_length=300,
        required=False,
        help_text="Separate with commas. These may appear in a match's reasons.",
    )
    interest_tags = forms.CharField(label="Interests (optional)", max_length=300, required=False)
    value_tags = forms.CharField(label="Values (optional)", max_length=300, required=False)
    languages = forms.CharField(label="Languages you speak", max_length=200, initial="English")
    channels = forms.MultipleChoiceField(
        label="Ways you can be in touch", choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = _slots_field("When you're usually free")
    postcode = forms.CharField(label="Town or postcode (optional)", max_length=10, required=False)
    capacity = forms.IntegerField(label="How many people you can support at once", min_value=1, max_value=50)
    quiet_hours_start = forms.TimeField(
        label="Quiet hours start (optional)",
        required=False,
        help_text=(
            "e.g. 21:00. Your quiet hours for all of Kindred (the same as in your profile): emails wait until they "
            "end, and messages wait in Kindred."
        ),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    quiet_hours_end = forms.TimeField(
        label="Quiet hours end (optional)", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dim in IDENTITY_DIMENSIONS:
            self.fields[f"identity_{dim}"] = forms.CharField(
                label=f"{IDENTITY_LABELS[dim]} (optional, used only for people's wishes)", max_length=80, required=False
            )

    def layer_rows(self) -> list[tuple[Any, Any]]:
        return [(self[layer], self[f"{layer}_visibility"]) for layer, _ in SupporterProfile.LAYERS]

    def identity_rows(self) -> list[Any]:
        return [self[f"identity_{dim}"] for dim in IDENTITY_DIMENSIONS]

    def identity(self) -> dict[str, str]:
        return {dim: self.cleaned_data.get(f"identity_{dim}", "") for dim in IDENTITY_DIMENSIONS}


# A general profile is not bound to a scheme, so there are no coordinators: the narrowest circle is the person alone.
GENERAL_VISIBILITY_CHOICES = [
    (LayerVisibility.COORDINATORS, "Only me for now"),
    (LayerVisibility.MATCHED, "People I'm connected with"),
    (LayerVisibility.SEEKERS, "People who share a group, space or organisation with me"),
]


class GeneralSupporterProfileForm(SupporterProfileForm):
    """A person's general supporter profile, for informal connections: what they share, in layers, who sees each,
    when they're usually free, how many people they can be there for, quiet hours. No matching fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("experience_tags", "interest_tags", "value_tags", "postcode"):
            del self.fields[name]
        for dim in IDENTITY_DIMENSIONS:
            del self.fields[f"identity_{dim}"]
        for layer, _ in SupporterProfile.LAYERS:
            self.fields[f"{layer}_visibility"].choices = GENERAL_VISIBILITY_CHOICES
        self.fields["capacity"].label = "How many people you can be there for at once"
        help_text = "Counts your connections. When you reach it, new requests wait until a place is free."
        self.fields["capacity"].help_text = help_text

    def identity_rows(self) -> list[Any]:
        return []

    def identity(self) -> dict[str, str]:
        return {}


class SupporterStatusForm(DescribedForm):
    status = forms.ChoiceField(label="Your status", choices=SupporterStatus.choices, widget=forms.RadioSelect)
    end_current = forms.BooleanField(
        label="Also end my current matches (only if you're stepping back and want to)", required=False
    )


class EndMatchForm(DescribedForm):
    reason = forms.ChoiceField(label="Why is it ending?", choices=MatchEndReason.choices)


class ProposeForm(DescribedForm):
    cap_override_reason = forms.CharField(
        label="Reason for going past the caseload cap (only if needed)", max_length=500, required=False
    )
