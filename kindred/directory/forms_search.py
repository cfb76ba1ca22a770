"""The search form (a GET form that forgives anything) and the synonym-set form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Delivery, OfferKind, Weekday
from .search import DEFAULT_RADIUS_KM, RADIUS_CHOICES_KM, ForWhom, SearchQuery, Sort, TimeOfDay
from .services import MAX_SET_LENGTH

ACCESS_CHOICES = (
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("bsl", "British Sign Language (BSL)"),
    ("quiet_room", "Quiet room"),
    ("accessible_toilet", "Accessible toilet"),
)

KIND_CHOICES = (
    (OfferKind.GROUP, "Groups"),
    (OfferKind.SCHEME, "One-to-one schemes (befriending, mentoring, pen-friends)"),
    (OfferKind.ONLINE_SPACE, "Online spaces to read and write"),
    (OfferKind.PSW_SERVICE, "Peer support worker services"),
)
DELIVERY_CHOICES = (
    (Delivery.IN_PERSON, "In person"),
    (Delivery.VIDEO, "By video"),
    (Delivery.HYBRID, "Both: in person and by video (hybrid)"),
    (Delivery.ONLINE, "Online, in writing"),
    (Delivery.PHONE, "By phone"),
)
RADIUS_CHOICES = [(str(km), f"Within {km} km (about {round(km * 0.621)} miles)") for km in RADIUS_CHOICES_KM]

# Fields whose values people can fix themselves, with what we tell them when we have to ignore one.
FIELD_NOTICES = {
    "kind": "a kind of support",
    "delivery": "a way of taking part",
    "day": "a day",
    "time": "a time of day",
    "radius": "a distance",
    "for_whom": "who it's for",
    "age": "an age (please use a number between 10 and 120)",
    "access": "an access need",
    "language": "a language (please keep it under 40 characters)",
    "sort": "an order",
    "place": "a place (please keep it under 60 characters)",
}


def _attrs_html(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


def _input_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html (text, search, number and checkbox inputs), in Python."""
    value = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + value
        + _attrs_html(widget["attrs"])
        + ">"
    )


def _select_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/select.html with select_option.html, in Python (no option groups here)."""
    html = format_html('<select name="{}"', widget["name"]) + _attrs_html(widget["attrs"]) + ">"
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            html += format_html('\n  <optgroup label="{}">', group_name)
        for option in options:
            html += format_html('\n  <option value="{}"', option["value"]) + _attrs_html(option["attrs"])
            html += format_html(">{}</option>\n", option["label"])
        if group_name:
            html += "\n  </optgroup>"
    return html + "\n</select>"


_FAST_TEMPLATES = {
    "django/forms/widgets/text.html": _input_html,
    "django/forms/widgets/search.html": _input_html,
    "django/forms/widgets/number.html": _input_html,
    "django/forms/widgets/checkbox.html": _input_html,
    "django/forms/widgets/select.html": _select_html,
}


class _FastRender:
    """Renders the widget as Django's default templates would, without the template engine.

    The search page shows this form on every search; rendering its selects option by option through
    templates (an include per option, and another per option's attributes) cost more than all twenty
    result cards. Same markup, byte for byte (tests/test_search_form.py compares them).
    """

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        fast = _FAST_TEMPLATES.get(template_name)
        if fast is None:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        return mark_safe(fast(context["widget"]).strip())  # noqa: S308 - every value escaped by format_html


# Named as Django's own, so BoundField.widget_type ("text", "select", "checkbox"…) is unchanged.
class TextInput(_FastRender, forms.TextInput):
    pass


class NumberInput(_FastRender, forms.NumberInput):
    pass


class CheckboxInput(_FastRender, forms.CheckboxInput):
    pass


class Select(_FastRender, forms.Select):
    pass


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        strip=True,
        label="What are you looking for?",
        help_text="In your own words — for example “hearing voices group”, “someone to talk to online” or "
        "“walking group for men”.",
        widget=TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "true"}),
    )
    kind = forms.MultipleChoiceField(
        required=False, choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple, label="Kind of support"
    )
    delivery = forms.MultipleChoiceField(
        required=False,
        choices=DELIVERY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="How you'd like to take part",
        help_text="Hybrid groups show under both in person and by video.",
    )
    day = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=Weekday.choices, widget=forms.CheckboxSelectMultiple, label="Days"
    )
    time = forms.MultipleChoiceField(
        required=False, choices=TimeOfDay.choices, widget=forms.CheckboxSelectMultiple, label="Time of day"
    )
    place = forms.CharField(
        required=False,
        max_length=60,
        widget=TextInput,
        label="Near",
        help_text="A town, city or postcode, like Bolton or LS6. Online and phone support is always included.",
    )
    radius = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=RADIUS_CHOICES,
        initial="25",
        label="How far",
        widget=Select,
    )
    for_whom = forms.ChoiceField(required=False, choices=ForWhom.choices, label="Just for", widget=Select)
    age = forms.IntegerField(
        required=False,
        min_value=10,
        max_value=120,
        widget=NumberInput,
        label="Your age (optional)",
        help_text="Only used to leave out groups for a different age range. It isn't stored.",
    )
    access = forms.MultipleChoiceField(
        required=False, choices=ACCESS_CHOICES, widget=forms.CheckboxSelectMultiple, label="Access"
    )
    free = forms.BooleanField(required=False, label="Free only", widget=CheckboxInput)
    language = forms.CharField(
        required=False,
        max_length=40,
        label="Language",
        help_text="For example Urdu or Polish.",
        widget=TextInput,
    )
    sort = forms.ChoiceField(required=False, choices=Sort.choices, label="Order", widget=Select)

    FILTER_FIELDS = (
        "kind",
        "delivery",
        "day",
        "time",
        "place",
        "radius",
        "for_whom",
        "age",
        "access",
        "free",
        "language",
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        if data is not None:
            data = _without_nul(data)
            if not data.get("radius"):
                # A bound form shows no initial value: without this the select would show (and send) 5 km.
                data["radius"] = str(DEFAULT_RADIUS_KM)
        super().__init__(data, **kwargs)
        self.ignored: list[str] = []

    def to_query(self, *, page: Any = 1) -> SearchQuery:
        """Whatever was valid, as a SearchQuery; anything invalid is dropped and noted in `self.ignored`."""
        if not self.is_bound:
            return SearchQuery(page=_page(page))
        self.is_valid()
        data = dict(self.cleaned_data)
        for name in self.errors:
            if name in FIELD_NOTICES:
                self.ignored.append(f"We left out {FIELD_NOTICES[name]} we couldn't use.")
            data.pop(name, None)
        return SearchQuery(
            text=data.get("q") or "",
            kinds=tuple(data.get("kind") or ()),
            deliveries=tuple(data.get("delivery") or ()),
            days=tuple(data.get("day") or ()),
            times=tuple(data.get("time") or ()),
            place=data.get("place") or "",
            radius_km=data.get("radius"),
            for_whom=data.get("for_whom") or "",
            age=data.get("age"),
            access=tuple(data.get("access") or ()),
            free_only=bool(data.get("free")),
            language=data.get("language") or "",
            sort=data.get("sort") or Sort.RELEVANCE,
            page=_page(page),
        )

    @cached_property
    def checkboxes(self) -> dict[str, list[tuple[str, str, str, bool]]]:
        """(id, value, label, checked) for each checkbox group, so the page renders them without widget templates.

        Rendering ~30 checkbox widgets through Django's form templates was half the page's render time.
        """
        groups: dict[str, list[tuple[str, str, str, bool]]] = {}
        for name in ("kind", "delivery", "day", "time", "access"):
            chosen = {str(v) for v in (self.data.getlist(name) if self.is_bound else [])}
            groups[name] = [
                (f"id_{name}_{i}", str(value), str(label), str(value) in chosen)
                for i, (value, label) in enumerate(self.fields[name].choices)
            ]
        return groups

    @property
    def filters_chosen(self) -> bool:
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.FILTER_FIELDS if name != "radius")


def _without_nul(data: Mapping[str, Any]) -> QueryDict:
    """A mutable copy with NUL characters removed (they can't be stored or searched, and Django rejects them)."""
    cleaned = QueryDict(mutable=True)
    getlist = getattr(data, "getlist", None)
    for key in data:
        if getlist is not None:
            values = getlist(key)
        else:
            value = data[key]
            values = list(value) if isinstance(value, (list, tuple)) else [value]
        cleaned.setlist(key, [str(v).replace("\x00", "") for v in values])
    return cleaned


def _page(value: Any) -> int:
    try:
        page = int(str(value).strip()[:6])
    except (TypeError, ValueError):
        return 1
    return max(1, page)


class SynonymForm(forms.Form):
    terms = forms.CharField(
        max_length=MAX_SET_LENGTH,
        label="Words or phrases that mean the same thing here",
        help_text="Separate them with commas, for example: self-help, mutual aid, support group, peer support. "
        "When someone searches for any one of them, Kindred looks for all of them.",
        error_messages={
            "required": "Please type at least two words or phrases, separated by commas.",
            "max_length": f"Please keep the whole set under {MAX_SET_LENGTH} characters, or split it into two sets.",
        },
    )
