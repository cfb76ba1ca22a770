"""Pages for closing a group well: the plan, cancelling it, and the archive download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.http import AuthenticatedRequest

from . import closure as closure_services
from .forms_closure import (
    CloseGroupForm,
)
from .models import GroupClosure, GroupStatus
from .pages import member_group, page_context

# --- Closing well --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closure(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    if request.method == "POST" and not viewer.can_facilitate:
        raise PermissionDenied("Only the group's facilitators and the organisation's coordinators can close it.")
    form = CloseGroupForm(request.POST if request.method == "POST" else None) if viewer.can_facilitate else None
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            on = None if form.cleaned_data["when"] == "now" else form.cleaned_data["on"]
            try:
                result = closure_services.group_close(
                    actor=request.user,
                    viewer=viewer,
                    on=on,
                    message=form.cleaned_data["message"],
                )
            except closure_services.ClosureError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                if result.closed_now:
                    messages.success(request, f"{group.name} has closed. We've told {result.told} members.")
                else:
                    messages.success(
                        request, f"{group.name} will close on {on:%-d %B %Y}. We've told {result.told} members."
                    )
                return redirect("groups:closure", slug=group.slug)
        else:
            status = 400
    record = GroupClosure.objects.filter(group=group).first()
    suggestions = (
        closure_services.alternatives_saved(record)
        if group.status != GroupStatus.ACTIVE
        else (closure_services.alternatives_for(group) if viewer.can_facilitate else [])
    )
    return render(
        request,
        "groups/closure_page.html",
        page_context(
            group,
            viewer,
            form=form,
            record=record,
            alternatives=suggestions,
            archive_open=closure_services.archive_open(group),
        ),
        status=status,
    )


@login_required
@require_POST
def closure_cancel(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug, facilitate=True)
    try:
        closure_services.group_closure_cancel(actor=request.user, viewer=viewer)
    except closure_services.ClosureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{group.name} isn't closing after all. Members have been told.")
    return redirect("groups:closure", slug=group.slug)


@login_required
@require_GET
def closure_download(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    data = closure_services.archive_zip(actor=request.user, viewer=viewer)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-archive.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
