"""Pages for staying in touch between meetings: absence check-ins, the noticeboard and the newsletter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.http import AuthenticatedRequest
from kindred.core.ratelimit import RateLimited

from . import closure as closure_services
from . import stay as stay_services
from .forms_stay import (
    AbsenceCheckInForm,
    BoardPostForm,
    NewsletterIssueForm,
    NewsletterItemEditForm,
    NewsletterItemForm,
    SubscriptionForm,
)
from .pages import busy_message, member_group, page_context

# --- Keeping in touch ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stay(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    people = [
        (str(m.person.public_id), m.person.display_name)
        for m in stay_services.active_members(group).exclude(person=request.user).order_by("person__display_name")
    ]
    current = stay_services.absence_check_in_of(group, request.user)
    initial = {"trusted": str(current.trusted.public_id), "after_missed": current.after_missed} if current else None
    form = AbsenceCheckInForm(request.POST if request.method == "POST" else None, people=people, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.absence_check_in_set(
                    actor=request.user,
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
        page_context(group, viewer, form=form, current=current, has_people=bool(people)),
        status=status,
    )


@login_required
@require_POST
def stay_remove(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    if stay_services.absence_check_in_remove(actor=request.user, viewer=viewer):
        messages.success(request, "Done. Nobody will be asked to check in on you.")
    return redirect("groups:stay", slug=group.slug)


# --- Noticeboard ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    closure_services.require_archive(viewer)
    form = BoardPostForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.board_post_add(actor=request.user, viewer=viewer, body=form.cleaned_data["body"])
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            except RateLimited as exc:
                form.add_error(None, busy_message(exc))
                status = 429
            else:
                messages.success(request, "Posted on the noticeboard.")
                return redirect("groups:board", slug=group.slug)
        else:
            status = 400
    posts = list(stay_services.board_posts(group, request.user)[:200])
    return render(request, "groups/board_list.html", page_context(group, viewer, form=form, posts=posts), status=status)


@login_required
@require_POST
def board_remove(request: AuthenticatedRequest, slug: str, post_id: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    try:
        stay_services.board_post_remove(actor=request.user, viewer=viewer, public_id=post_id)
    except stay_services.StayError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The post has been taken down.")
    return redirect("groups:board", slug=group.slug)


# --- Newsletter ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def newsletter(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    closure_services.require_archive(viewer)
    subscribed = stay_services.is_subscribed(group, request.user)
    form = SubscriptionForm(initial={"subscribed": "yes" if subscribed else "no"})
    return render(
        request,
        "groups/newsletter_list.html",
        page_context(group, viewer, issues=stay_services.sent_issues(group), subscribed=subscribed, form=form),
    )


@login_required
@require_POST
def newsletter_subscription(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose yes or no.")
        return redirect("groups:newsletter", slug=group.slug)
    stay_services.subscription_set(actor=request.user, viewer=viewer, subscribed=form.cleaned_data["subscribed"])
    if form.cleaned_data["subscribed"]:
        messages.success(request, "You'll get the newsletter by email.")
    else:
        messages.success(request, "You won't get the newsletter by email. You can still read it here.")
    return redirect("groups:newsletter", slug=group.slug)


@login_required
@require_GET
def newsletter_issue(request: AuthenticatedRequest, slug: str, issue_id: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    closure_services.require_archive(viewer)
    issue = stay_services.get_sent_issue(group, issue_id)
    items = list(issue.items.order_by("position", "created_at").select_related("author"))
    return render(request, "groups/newsletter_issue.html", page_context(group, viewer, issue=issue, items=items))


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_submit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug)
    form = NewsletterItemForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.newsletter_item_submit(actor=request.user, viewer=viewer, **form.cleaned_data)
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            except RateLimited as exc:
                form.add_error(None, busy_message(exc))
                status = 429
            else:
                messages.success(request, "Thank you — your item has gone to the facilitators for the next newsletter.")
                return redirect("groups:newsletter", slug=group.slug)
        else:
            status = 400
    return render(request, "groups/newsletter_submit.html", page_context(group, viewer, form=form), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug, facilitate=True)
    draft = stay_services.draft_issue(group)
    initial = {"title": draft.title, "introduction": draft.introduction} if draft else None
    form = NewsletterIssueForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.issue_draft_save(actor=request.user, viewer=viewer, **form.cleaned_data)
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
        page_context(
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
def newsletter_item(request: AuthenticatedRequest, slug: str, item_id: str) -> HttpResponse:
    group, viewer = member_group(request, slug, facilitate=True)
    item = stay_services.get_item_for(viewer, item_id)
    form = NewsletterItemEditForm(
        request.POST if request.method == "POST" else None,
        initial={"title": item.title, "body": item.body, "decision": "include"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stay_services.item_edit(actor=request.user, viewer=viewer, item=item, **form.cleaned_data)
            except stay_services.StayError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Saved.")
                return redirect("groups:newsletter_edit", slug=group.slug)
        else:
            status = 400
    return render(
        request, "groups/newsletter_item.html", page_context(group, viewer, form=form, item=item), status=status
    )


@login_required
@require_POST
def newsletter_send(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group, viewer = member_group(request, slug, facilitate=True)
    try:
        result = stay_services.issue_send(actor=request.user, viewer=viewer)
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
