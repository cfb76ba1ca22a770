"""Pages for a group's money: the ledger, receipts and the funder report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.http import AuthenticatedRequest
from kindred.core.services import audit_record

from . import funds as funds_services
from . import reports
from .access import Viewer
from .forms_funds import (
    LedgerEntryForm,
    ReportPeriodForm,
)
from .models import Group, GroupStatus
from .pages import member_group, page_context

# --- Funds ---------------------------------------------------------------------------------------------------


def _funds_group(request: AuthenticatedRequest, slug: str) -> tuple[Group, Viewer]:
    group, viewer = member_group(request, slug)
    funds_services.require_funds(viewer)
    return group, viewer


@login_required
@require_http_methods(["GET", "POST"])
def funds(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    form = LedgerEntryForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"on": timezone.localdate(), "direction": "spending"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                funds_services.ledger_entry_add(
                    actor=request.user,
                    viewer=viewer,
                    direction=data["direction"],
                    category=data["category"],
                    amount_pence=data["amount"],
                    on=data["on"],
                    note=data["note"],
                    receipt=data["receipt"],
                )
            except funds_services.FundsError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Added to the ledger.")
                return redirect("groups:funds", slug=group.slug)
        else:
            status = 400
    lines = funds_services.ledger_lines(group.pk)
    today = timezone.localdate()
    period = ReportPeriodForm(initial={"start": today.replace(month=1, day=1), "end": today})
    return render(
        request,
        "groups/funds_ledger.html",
        page_context(
            group,
            viewer,
            form=form,
            lines=list(reversed(lines)),
            balance=lines[-1].balance_pence if lines else 0,
            period=period,
            closed=group.status == GroupStatus.CLOSED,
        ),
        status=status,
    )


@login_required
@require_GET
def funds_receipt(request: AuthenticatedRequest, slug: str, entry_id: str) -> HttpResponse:
    _group, viewer = _funds_group(request, slug)
    entry = funds_services.get_entry_for(viewer, entry_id)
    if not entry.has_receipt or entry.receipt is None:
        raise Http404("No receipt.")
    response = HttpResponse(bytes(entry.receipt), content_type=entry.receipt_type)
    response["Content-Disposition"] = f'attachment; filename="{entry.receipt_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def funds_remove(request: AuthenticatedRequest, slug: str, entry_id: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    entry = funds_services.get_entry_for(viewer, entry_id)
    try:
        funds_services.ledger_entry_delete(actor=request.user, viewer=viewer, entry=entry)
    except funds_services.FundsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed from the ledger.")
    return redirect("groups:funds", slug=group.slug)


@login_required
@require_GET
def funds_report(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    form = ReportPeriodForm(request.GET or None)
    report = None
    status = 200
    if request.GET:
        if form.is_valid():
            report = reports.funder_report(group, form.cleaned_data["start"], form.cleaned_data["end"])
        else:
            status = 400
    return render(
        request, "groups/funds_report.html", page_context(group, viewer, form=form, report=report), status=status
    )


@login_required
@require_GET
def funds_report_file(request: AuthenticatedRequest, slug: str, extension: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    form = ReportPeriodForm(request.GET)
    if not form.is_valid():
        return render(
            request, "groups/funds_report.html", page_context(group, viewer, form=form, report=None), status=400
        )
    report = reports.funder_report(group, form.cleaned_data["start"], form.cleaned_data["end"])
    audit_record(
        actor=request.user,
        action="groups.funder_report_downloaded",
        subject=group,
        organisation=group.organisation,
        detail={"format": extension, "start": report.start.isoformat(), "end": report.end.isoformat()},
    )
    if extension == "csv":
        response = HttpResponse(reports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{reports.report_filename(report, extension)}"'
    return response
