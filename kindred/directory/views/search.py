"""Find support: the search page, offer pages, and the coordinators' synonyms list. Thin: forms, selectors, services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from kindred.directory.access import get_offer_for
from kindred.directory.cards import result_cards
from kindred.directory.forms_search import SearchForm, SynonymForm
from kindred.directory.models import Synonym
from kindred.directory.search import search_offers
from kindred.directory.selectors import can_edit_synonyms, offer_page, synonyms
from kindred.directory.services import SynonymError, synonym_create, synonym_delete, synonym_update


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if request.GET else None)
    query = form.to_query(page=request.GET.get("page", 1))
    page = search_offers(query)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "cards": result_cards(page.results),
            "searched": form.is_bound,
            "notices": [*form.ignored, *page.notices],
            "filters_open": form.filters_chosen,
            "can_edit_synonyms": can_edit_synonyms(request.user),
        },
    )


@require_GET
def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_offer_for(request.user, slug)
    return render(request, "directory/offer.html", {"page": offer_page(offer, viewer=request.user)})


def _require_synonym_editor(request: HttpRequest) -> None:
    if not can_edit_synonyms(request.user):
        raise PermissionDenied("Only coordinators can change the synonyms list.")


@login_required
@require_http_methods(["GET", "POST"])
def synonym_list(request: HttpRequest) -> HttpResponse:
    _require_synonym_editor(request)
    form = SynonymForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            synonym = synonym_create(actor=request.user, terms=form.cleaned_data["terms"])
        except SynonymError as error:
            form.add_error("terms", str(error))
        else:
            messages.success(request, f"Added: {synonym.terms}. Search now treats these as the same.")
            return redirect("directory:synonyms")
    return render(
        request,
        "directory/synonyms.html",
        {"synonyms": synonyms(), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_synonym_editor(request)
    synonym = get_object_or_404(Synonym, public_id=public_id)
    form = SynonymForm(request.POST if request.method == "POST" else None, initial={"terms": synonym.terms})
    if request.method == "POST" and form.is_valid():
        try:
            synonym = synonym_update(actor=request.user, synonym=synonym, terms=form.cleaned_data["terms"])
        except SynonymError as error:
            form.add_error("terms", str(error))
        else:
            messages.success(request, f"Saved: {synonym.terms}.")
            return redirect("directory:synonyms")
    return render(
        request,
        "directory/synonyms_edit.html",
        {"synonym": synonym, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_synonym_editor(request)
    synonym = get_object_or_404(Synonym, public_id=public_id)
    if request.method == "POST":
        terms = synonym.terms
        synonym_delete(actor=request.user, synonym=synonym)
        messages.success(request, f"Removed: {terms}.")
        return redirect("directory:synonyms")
    return render(request, "directory/synonyms_delete.html", {"synonym": synonym})


urlpatterns: list[URLPattern] = [
    path("", search, name="search"),
    path("offers/<slug:slug>/", offer_detail, name="offer"),
    path("synonyms/", synonym_list, name="synonyms"),
    path("synonyms/<uuid:public_id>/", synonym_edit, name="synonym_edit"),
    path("synonyms/<uuid:public_id>/delete/", synonym_remove, name="synonym_delete"),
]
