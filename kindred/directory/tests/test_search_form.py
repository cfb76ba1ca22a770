"""The search form's widgets render in Python for speed; they must give exactly Django's own markup."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from kindred.directory import forms_search
from kindred.directory.forms_search import SearchForm

CASES = [
    None,
    {},
    {"q": "hearing voices", "place": "Bolton", "radius": "10", "for_whom": "women", "sort": "nearest"},
    {"q": "tea & <cake> \"quoted\" 'single'", "place": "<b>Leeds</b>", "language": "Urdu & Punjabi", "free": "on"},
    {"age": "34", "radius": "100", "for_whom": "global_majority", "sort": "soonest", "free": "on"},
    {"age": "banana", "radius": "7", "for_whom": "martians", "sort": "random", "place": "x" * 80, "language": "y" * 50},
    {"age": "9", "free": "yes please"},
]


def _query(case: dict[str, str] | None) -> QueryDict | None:
    if case is None:
        return None
    data = QueryDict(mutable=True)
    data.update(case)
    return data


@pytest.mark.parametrize("case", CASES)
def test_every_widget_renders_as_djangos_templates_would(
    case: dict[str, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = SearchForm(_query(case))
    form.to_query()  # validates, as the page does, so invalid fields carry aria-invalid
    names = [name for name in form.fields if name not in ("kind", "delivery", "day", "time", "access")]
    fast = {name: str(form[name]) for name in names}
    monkeypatch.setattr(forms_search, "_FAST_TEMPLATES", {})
    form = SearchForm(_query(case))
    form.to_query()
    for name in names:
        assert fast[name] == str(form[name]), name
    assert fast["radius"].startswith('<select name="radius"')
    assert fast["q"].startswith('<input type="search" name="q"')


def test_widget_types_are_unchanged_for_the_field_partial() -> None:
    form = SearchForm()
    assert form["free"].widget_type == "checkbox"
    assert form["radius"].widget_type == "select"
    assert form["place"].widget_type == "text"
    assert form["age"].widget_type == "number"
