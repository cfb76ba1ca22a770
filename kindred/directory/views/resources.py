"""Coordinators' list of practical help (crisis lines, benefits and debt advice, housing) for their regions.

Coordinators only: others who are signed in get 403; another organisation's entries are 404 (never "it exists").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from kindred.directory.forms_chooser import PracticalResourceForm
from kindred.directory.models import PracticalResource
from kindred.directory.resources import (
    RESOURCE_FIELDS,
    ResourceError,
    get_resource_for,
    managed_organisations,
    practical_resource_delete,
    practical_resource_save,
    resources_of,
)

NOT_A_COORDINATOR = "Only coordinators can look after an organisation's list of practical help."


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _organisations_or_403(request: HttpRequest) -> Any:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(NOT_A_COORDINATOR)
    return organisations


@login_required
@require_http_methods(["GET", "POST"])
def resource_list(request: HttpRequest) -> HttpResponse:
    organisations = _organisations_or_403(request)
    form = PracticalResourceForm(_posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in RESOURCE_FIELDS}
        try:
            resource = practical_resource_save(
                actor=request.user, organisation=form.cleaned_data["organisation"], values=values
            )
        except ResourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{resource.name} is added. People in {resource.region} will see it.")
            return redirect("directory:resources")
    return render(
        request,
        "directory/resources.html",
        {"form": form, "resources": list(resources_of(organisations)), "organisations": list(organisations)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    _organisations_or_403(request)
    resource = get_resource_for(request.user, resource_id)
    initial = {field: getattr(resource, field) for field in RESOURCE_FIELDS}
    form = PracticalResourceForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in RESOURCE_FIELDS}
        try:
            practical_resource_save(
                actor=request.user, organisation=resource.organisation, resource=resource, values=values
            )
        except ResourceError as error:
            form.add_error(None, str(error))
            resource = PracticalResource.objects.select_related("organisation").get(pk=resource.pk)
        else:
            messages.success(request, f"{resource.name} is updated.")
            return redirect("directory:resources")
    return render(request, "directory/resource_edit.html", {"form": form, "resource": resource})


@login_required
@require_POST
def resource_delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    _organisations_or_403(request)
    resource = get_resource_for(request.user, resource_id)
    name = resource.name
    try:
        practical_resource_delete(actor=request.user, resource=resource)
    except ResourceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{name} is removed from your practical help list.")
    return redirect("directory:resources")


urlpatterns: list[URLPattern] = [
    path("resources/", resource_list, name="resources"),
    path("resources/<int:resource_id>/", resource_edit, name="resource_edit"),
    path("resources/<int:resource_id>/delete/", resource_delete, name="resource_delete"),
]
