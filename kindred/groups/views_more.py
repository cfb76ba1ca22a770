"""Pages for staying in touch, funds and closing well. Thin: access helpers, forms, then services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core.ratelimit import RateLimited
from kindred.core.services import audit_record

from . import closure as closure_services
from . import funds as funds_services
from . import reports
from . import stay as stay_services
from .access import Viewer
from .forms_more import (
    AbsenceCheckInForm,
    BoardPostForm,
    CloseGroupForm,
    LedgerEntryForm,
    NewsletterIssueForm,
    NewsletterItemEditForm,
    NewsletterItemForm,
    ReportPeriodForm,
    SubscriptionForm,
)
from .models import Group, GroupClosure, GroupStatus


def _busy(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after_seconds / 60))
    return (
        "You've posted a lot in a short time, so we've paused posting for a while. "
        f"Please try again in about {minutes} minutes."
    )


def _member_group(request: HttpRequest, slug: str, *, facilitate: bool = False) -> tuple[Group, Viewer]:
    return stay_services.member_group_for(request.user, slug, facilitate=facilitate)  # type: ignore[arg-type]


def _ctx(group: Group, viewer: Viewer, **extra: Any) -> dict[str, Any]:
    return {"group": group, "viewer": viewer, "group_url": stay_services.group_url(group), **extra}


# --- Keeping in touch ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stay(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    people = [
        (str(m.person.public_id), m.person.display_name)
        for m in stay_services.active_members(group).exclude(person=request.user).order_by("person__display_name")
    ]
    current = stay_services.absence_check_in_of(group, request.user)  # type: ignore[arg-type]
    initial = {"trusted": str(current.trusted.public_id), "after_missed": current.after_missed} if current else None
    form = AbsenceCheckInForm(request.POST if request.method == "POST" else None, people=people, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.absence_check_in_set(
                    actor=request.user,  # type: ignore[arg-type]
                    viewer=viewer,
                    trusted_public_id=form.cleaned_data["trusted"],
                    after_missed=form.cleaned_data["after_missed"],
                )
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Saved. If you miss that many meetings in a row, we'll let them know.")
                return redirect("groups:stay", slug=group.slug)
        else:
            status = 400
    return render(
        request,
        "groups/stay_check_in.html",
        _ctx(group, viewer, form=form, current=current, has_people=bool(people)),
        status=status,
    )


@login_required
@require_POST
def stay_remove(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    if stay_services.absence_check_in_remove(actor=request.user, viewer=viewer):  # type: ignore[arg-type]
        messages.success(request, "Done. Nobody will be asked to check in on you.")
    return redirect("groups:stay", slug=group.slug)


# --- Noticeboard ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    closure_services.require_archive(viewer)
    form = BoardPostForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.board_post_add(actor=request.user, viewer=viewer, body=form.cleaned_data["body"])  # type: ignore[arg-type]
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            except RateLimited as exc:
                form.add_error(None, _busy(exc))
                status = 429
            else:
                messages.success(request, "Posted on the noticeboard.")
                return redirect("groups:board", slug=group.slug)
        else:
            status = 400
    posts = list(stay_services.board_posts(group, request.user)[:200])
    return render(request, "groups/board_list.html", _ctx(group, viewer, form=form, posts=posts), status=status)


@login_required
@require_POST
def board_remove(request: HttpRequest, slug: str, post_id: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    try:
        stay_services.board_post_remove(actor=request.user, viewer=viewer, public_id=post_id)  # type: ignore[arg-type]
    except stay_services.StayError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The post has been taken down.")
    return redirect("groups:board", slug=group.slug)


# --- Newsletter ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def newsletter(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    closure_services.require_archive(viewer)
    subscribed = stay_services.is_subscribed(group, request.user)  # type: ignore[arg-type]
    form = SubscriptionForm(initial={"subscribed": "yes" if subscribed else "no"})
    return render(
        request,
        "groups/newsletter_list.html",
        _ctx(group, viewer, issues=stay_services.sent_issues(group), subscribed=subscribed, form=form),
    )


@login_required
@require_POST
def newsletter_subscription(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose yes or no.")
        return redirect("groups:newsletter", slug=group.slug)
    stay_services.subscription_set(actor=request.user, viewer=viewer, subscribed=form.cleaned_data["subscribed"])  # type: ignore[arg-type]
    if form.cleaned_data["subscribed"]:
        messages.success(request, "You'll get the newsletter by email.")
    else:
        messages.success(request, "You won't get the newsletter by email. You can still read it here.")
    return redirect("groups:newsletter", slug=group.slug)


@login_required
@require_GET
def newsletter_issue(request: HttpRequest, slug: str, issue_id: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    closure_services.require_archive(viewer)
    issue = stay_services.get_sent_issue(group, issue_id)
    items = list(issue.items.order_by("position", "created_at").select_related("author"))
    return render(request, "groups/newsletter_issue.html", _ctx(group, viewer, issue=issue, items=items))


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_submit(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    form = NewsletterItemForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.newsletter_item_submit(actor=request.user, viewer=viewer, **form.cleaned_data)  # type: ignore[arg-type]
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            except RateLimited as exc:
                form.add_error(None, _busy(exc))
                status = 429
            else:
                messages.success(request, "Thank you — your item has gone to the facilitators for the next newsletter.")
                return redirect("groups:newsletter", slug=group.slug)
        else:
            status = 400
    return render(request, "groups/newsletter_submit.html", _ctx(group, viewer, form=form), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug, facilitate=True)
    draft = stay_services.draft_issue(group)
    initial = {"title": draft.title, "introduction": draft.introduction} if draft else None
    form = NewsletterIssueForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.issue_draft_save(actor=request.user, viewer=viewer, **form.cleaned_data)  # type: ignore[arg-type]
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Draft saved.")
                return redirect("groups:newsletter_edit", slug=group.slug)
        else:
            status = 400
    items = list(draft.items.order_by("position", "created_at").select_related("author")) if draft else []
    return render(
        request,
        "groups/newsletter_edit.html",
        _ctx(
            group,
            viewer,
            form=form,
            draft=draft,
            items=items,
            waiting=list(stay_services.submitted_items(group)),
            subscriber_count=len(stay_services.subscribers(group)),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_item(request: HttpRequest, slug: str, item_id: str) -> HttpResponse:
    group, viewer = _member_group(request, slug, facilitate=True)
    item = stay_services.get_item_for(viewer, item_id)
    form = NewsletterItemEditForm(
        request.POST if request.method == "POST" else None,
        initial={"title": item.title, "body": item.body, "decision": "include"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.item_edit(actor=request.user, viewer=viewer, item=item, **form.cleaned_data)  # type: ignore[arg-type]
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Saved.")
                return redirect("groups:newsletter_edit", slug=group.slug)
        else:
            status = 400
    return render(request, "groups/newsletter_item.html", _ctx(group, viewer, form=form, item=item), status=status)


@login_required
@require_POST
def newsletter_send(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug, facilitate=True)
    try:
        result = stay_services.issue_send(actor=request.user, viewer=viewer)  # type: ignore[arg-type]
    except stay_services.StayError as error:
        messages.error(request, str(error))
        return redirect("groups:newsletter_edit", slug=group.slug)
    people = "person" if result.recipients == 1 else "people"
    messages.success(request, f"Sent to {result.recipients} {people}, and added to the archive.")
    return redirect("groups:newsletter_issue", slug=group.slug, issue_id=result.issue.public_id)


@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in needed: the link in the email is enough. GET asks, POST does (mail scanners follow GETs)."""
    subscription = stay_services.subscription_for_token(token)
    if subscription is None:
        return render(request, "groups/newsletter_unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        stay_services.unsubscribe_with_token(token)
        return render(request, "groups/newsletter_unsubscribe.html", {"done": True, "group": subscription.group})
    return render(
        request,
        "groups/newsletter_unsubscribe.html",
        {"group": subscription.group, "token": token, "already": not subscription.subscribed},
    )


# --- Funds ---------------------------------------------------------------------------------------------------


def _funds_group(request: HttpRequest, slug: str) -> tuple[Group, Viewer]:
    group, viewer = _member_group(request, slug)
    funds_services.require_funds(viewer)
    return group, viewer


@login_required
@require_http_methods(["GET", "POST"])
def funds(request: HttpRequest, slug: str) -> HttpResponse:
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
                    actor=request.user,  # type: ignore[arg-type]
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
        _ctx(
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
def funds_receipt(request: HttpRequest, slug: str, entry_id: str) -> HttpResponse:
    _group, viewer = _funds_group(request, slug)
    entry = funds_services.get_entry_for(viewer, entry_id)
    if not entry.has_receipt:
        raise Http404("No receipt.")
    response = HttpResponse(bytes(entry.receipt), content_type=entry.receipt_type)
    response["Content-Disposition"] = f'attachment; filename="{entry.receipt_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def funds_remove(request: HttpRequest, slug: str, entry_id: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    entry = funds_services.get_entry_for(viewer, entry_id)
    try:
        funds_services.ledger_entry_delete(actor=request.user, viewer=viewer, entry=entry)  # type: ignore[arg-type]
    except funds_services.FundsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed from the ledger.")
    return redirect("groups:funds", slug=group.slug)


@login_required
@require_GET
def funds_report(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    form = ReportPeriodForm(request.GET or None)
    report = None
    status = 200
    if request.GET:
        if form.is_valid():
            report = reports.funder_report(group, form.cleaned_data["start"], form.cleaned_data["end"])
        else:
            status = 400
    return render(request, "groups/funds_report.html", _ctx(group, viewer, form=form, report=report), status=status)


@login_required
@require_GET
def funds_report_file(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    group, viewer = _funds_group(request, slug)
    form = ReportPeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "groups/funds_report.html", _ctx(group, viewer, form=form, report=None), status=400)
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


# --- Closing well --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closure(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    if request.method == "POST" and not viewer.can_facilitate:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the group's facilitators and the organisation's coordinators can close it.")
    form = CloseGroupForm(request.POST if request.method == "POST" else None) if viewer.can_facilitate else None
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            on = None if form.cleaned_data["when"] == "now" else form.cleaned_data["on"]
            try:
                result = closure_services.group_close(
                    actor=request.user,  # type: ignore[arg-type]
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
        _ctx(
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
def closure_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug, facilitate=True)
    try:
        closure_services.group_closure_cancel(actor=request.user, viewer=viewer)  # type: ignore[arg-type]
    except closure_services.ClosureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{group.name} isn't closing after all. Members have been told.")
    return redirect("groups:closure", slug=group.slug)


@login_required
@require_GET
def closure_download(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = _member_group(request, slug)
    data = closure_services.archive_zip(actor=request.user, viewer=viewer)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-archive.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
