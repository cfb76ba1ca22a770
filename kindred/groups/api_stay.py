"""Staying in touch between meetings over the API: the noticeboard, the newsletter and the absence check-in.

The page rules exactly: everything here belongs to the group's members (404 to everyone else, public group or
not); editing and sending the newsletter are 403 to members who don't facilitate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from kindred.accounts.http import current_user
from kindred.accounts.names import display_name
from kindred.core.api import InputSchema, responses

from . import closure as closure_services
from . import stay as stay_services
from .models import BoardPost, Group, NewsletterIssue

router = Router(tags=["groups"])


class GroupPostOut(Schema):
    public_id: UUID
    author: str = Field(..., description="The author's display name, or 'a former member'.")
    body: str
    created_at: datetime
    mine: bool


class GroupPostIn(InputSchema):
    body: str = Field(..., min_length=1, max_length=4000)


class IssueSummaryOut(Schema):
    public_id: UUID
    title: str
    sent_at: datetime | None
    url: str


class ItemOut(Schema):
    title: str
    body: str
    author: str


class IssueOut(IssueSummaryOut):
    introduction: str
    items: list[ItemOut]


class NewsletterOut(Schema):
    subscribed: bool = Field(..., description="Whether you get it by email. Every issue is readable here either way.")
    issues: list[IssueSummaryOut]


class SubscriptionIn(InputSchema):
    subscribed: bool


class ItemIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=150)
    body: str = Field(..., min_length=1, max_length=4000)


class GroupSentOut(Schema):
    issue: IssueSummaryOut
    recipients: int


class GroupCheckInOut(Schema):
    trusted: UUID | None = Field(None, description="The public id of the member who would be asked.")
    trusted_name: str = ""
    after_missed: int | None = None


class GroupCheckInIn(InputSchema):
    trusted: UUID
    after_missed: int = Field(..., ge=1, le=stay_services.MAX_AFTER_MISSED)


def _post(post: BoardPost, user: Any) -> dict[str, Any]:
    return {
        "public_id": post.public_id,
        "author": display_name(post.author),
        "body": post.body,
        "created_at": post.created_at,
        "mine": post.author_id == user.pk,
    }


def _issue(group: Group, issue: NewsletterIssue, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "public_id": issue.public_id,
        "title": issue.title,
        "sent_at": issue.sent_at,
        "url": reverse("groups:newsletter_issue", kwargs={"slug": group.slug, "issue_id": issue.public_id}),
    }
    if full:
        out["introduction"] = issue.introduction
        out["items"] = [
            {"title": i.title, "body": i.body, "author": i.author.display_name if i.author else ""}
            for i in issue.items.order_by("position", "created_at").select_related("author")
        ]
    return out


# --- Noticeboard ---------------------------------------------------------------------------------------


@router.get(
    "/{slug}/noticeboard", response=responses({200: list[GroupPostOut]}, 404), summary="The group's noticeboard"
)
def board_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug)
    closure_services.require_archive(viewer)
    return [_post(p, user) for p in stay_services.board_posts(group, user)[:200]]


@router.post(
    "/{slug}/noticeboard",
    response=responses({201: GroupPostOut}, 400, 403, 404, 429),
    summary="Post on the noticeboard",
)
def board_add(request: HttpRequest, slug: str, payload: GroupPostIn) -> Any:
    user = current_user(request)
    _group, viewer = stay_services.member_group_for(user, slug)
    post = stay_services.board_post_add(actor=user, viewer=viewer, body=payload.body)
    return Status(201, _post(post, user))


# --- Newsletter ----------------------------------------------------------------------------------------


@router.get("/{slug}/newsletter", response=responses({200: NewsletterOut}, 404), summary="Newsletter archive")
def newsletter(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug)
    closure_services.require_archive(viewer)
    return {
        "subscribed": stay_services.is_subscribed(group, user),
        "issues": [_issue(group, i) for i in stay_services.sent_issues(group)],
    }


@router.put(
    "/{slug}/newsletter/subscription",
    response=responses({200: NewsletterOut}, 404),
    summary="Choose whether you get the newsletter by email",
)
def newsletter_subscription(request: HttpRequest, slug: str, payload: SubscriptionIn) -> dict[str, Any]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug)
    stay_services.subscription_set(actor=user, viewer=viewer, subscribed=payload.subscribed)
    return {
        "subscribed": payload.subscribed,
        "issues": [_issue(group, i) for i in stay_services.sent_issues(group)],
    }


@router.get("/{slug}/newsletter/issues/{issue_id}", response=responses({200: IssueOut}, 404), summary="One sent issue")
def newsletter_issue(request: HttpRequest, slug: str, issue_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug)
    closure_services.require_archive(viewer)
    return _issue(group, stay_services.get_sent_issue(group, issue_id), full=True)


@router.post(
    "/{slug}/newsletter/items",
    response=responses({201: ItemOut}, 400, 403, 404, 429),
    summary="Send something for the next newsletter",
)
def newsletter_item(request: HttpRequest, slug: str, payload: ItemIn) -> Any:
    user = current_user(request)
    _group, viewer = stay_services.member_group_for(user, slug)
    item = stay_services.newsletter_item_submit(actor=user, viewer=viewer, **payload.model_dump())
    return Status(201, {"title": item.title, "body": item.body, "author": user.display_name})


@router.post(
    "/{slug}/newsletter/send",
    response=responses({200: GroupSentOut}, 400, 403, 404),
    summary="Send the draft issue to subscribers (facilitators)",
)
def newsletter_send(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug, facilitate=True)
    result = stay_services.issue_send(actor=user, viewer=viewer)
    return {"issue": _issue(group, result.issue), "recipients": result.recipients}


# --- Absence check-in ----------------------------------------------------------------------------------


def _check_in(group: Group, user: Any) -> dict[str, Any]:
    current = stay_services.absence_check_in_of(group, user)
    if current is None:
        return {"trusted": None, "trusted_name": "", "after_missed": None}
    return {
        "trusted": current.trusted.public_id,
        "trusted_name": current.trusted.display_name,
        "after_missed": current.after_missed,
    }


@router.get(
    "/{slug}/keep-in-touch", response=responses({200: GroupCheckInOut}, 404), summary="Your absence check-in, if any"
)
def check_in(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = current_user(request)
    group, _viewer = stay_services.member_group_for(user, slug)
    return _check_in(group, user)


@router.put(
    "/{slug}/keep-in-touch",
    response=responses({200: GroupCheckInOut}, 400, 403, 404),
    summary="Ask a member you trust to get in touch if you miss meetings",
    description="Only the trusted member is ever told. Kindred never messages you about your absence.",
)
def check_in_set(request: HttpRequest, slug: str, payload: GroupCheckInIn) -> dict[str, Any]:
    user = current_user(request)
    group, viewer = stay_services.member_group_for(user, slug)
    stay_services.absence_check_in_set(
        actor=user,
        viewer=viewer,
        trusted_public_id=str(payload.trusted),
        after_missed=payload.after_missed,
    )
    return _check_in(group, user)


@router.delete("/{slug}/keep-in-touch", response=responses({204: None}, 404), summary="Stop the absence check-in")
def check_in_remove(request: HttpRequest, slug: str) -> Any:
    user = current_user(request)
    _group, viewer = stay_services.member_group_for(user, slug)
    stay_services.absence_check_in_remove(actor=user, viewer=viewer)
    return Status(204, None)
