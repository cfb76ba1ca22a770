"""The "not sure where to start?" chooser: one page of gentle questions (a GET form), then suggestions with reasons."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from kindred.directory import chooser as chooser_logic
from kindred.directory.forms_chooser import ChooserForm


@require_GET
def chooser(request: HttpRequest) -> HttpResponse:
    submitted = "show" in request.GET
    form = ChooserForm(
        request.GET if submitted else None,
        regions=chooser_logic.known_regions(),
        initial={"connect": "unsure", "where": "either"},
    )
    result = None
    place_note = ""
    if submitted and form.is_valid():
        answers = chooser_logic.answers_from(form.cleaned_data)
        origin, place_note = chooser_logic.origin_for(answers)
        result = chooser_logic.chooser_suggestions(answers, origin=origin)
    return render(
        request,
        "directory/chooser.html",
        {"form": form, "result": result, "submitted": submitted, "place_note": place_note},
    )


urlpatterns: list[URLPattern] = [
    path("start/", chooser, name="chooser"),
]
