"""Staying in touch, funds and closing well over the API (parts 5-7), on the groups router.

Exactly the page rules: everything here belongs to the group's members (404 to everyone else, public group
or not); editing the newsletter, closing and the funds are 403 to members without the role. Receipts are
uploaded on the funds page; the API records and reads the ledger itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kindred.accounts.http import current_user
from kindred.accounts.names import display_name
from kindred.core.api import InputSchema, responses

from . import closure as closure_services
from . import funds as funds_services
from . import reports
from . import stay as stay_services
from .models import BoardPost, Group, LedgerCategory, LedgerDirection, NewsletterIssue


def _with(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    return responses(ok, *codes)


def _run(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except (stay_services.StayError, funds_services.FundsError, closure_services.ClosureError) as error:
        raise HttpError(400, str(error)) from error
    except reports.ReportError as error:
        raise HttpError(400, str(error)) from error


# --- Schemas --------------------------------------------------------------------------------------------------


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


class EntryOut(Schema):
    public_id: UUID
    direction: LedgerDirection
    category: LedgerCategory
    amount_pence: int
    on: date
    note: str
    has_receipt: bool
    balance_pence: int = Field(..., description="The balance after this entry.")


class LedgerOut(Schema):
    balance_pence: int
    entries: list[EntryOut]


class EntryIn(InputSchema):
    direction: LedgerDirection
    category: LedgerCategory
    amount_pence: int = Field(
        ..., gt=0, le=funds_services.MAX_AMOUNT_PENCE, description="Whole pence, always positive: 1250 is £12.50."
    )
    on: date
    note: str = Field("", max_length=300)


class RoleCountOut(Schema):
    role: str
    people: int


class GroupReportOut(Schema):
    start: date
    end: date
    meetings_held: int
    meetings_cancelled: int
    attendances: int
    unique_people: int
    first_timers: int
    average_per_meeting: float
    people_in_roles: int
    roles: list[RoleCountOut]
    opening_balance_pence: int
    income_pence: int
    spending_pence: int
    closing_balance_pence: int


class ReportQuery(Schema):
    start: date
    end: date


class AlternativeOut(Schema):
    slug: str
    title: str
    town: str
    url: str


class ClosureOut(Schema):
    status: Literal["active", "closing", "closed"]
    closes_on: date | None
    closed_at: datetime | None
    message: str
    archive_until: datetime | None
    archive_open: bool
    alternatives: list[AlternativeOut]


class GroupCloseIn(InputSchema):
    on: date | None = Field(None, description="Leave out (or today) to close now; a later date schedules it.")
    message: str = Field("", max_length=3000)


# --- Shapes ---------------------------------------------------------------------------------------------------


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


def _closure(group: Group) -> dict[str, Any]:
    record = group.closure if hasattr(group, "closure") else None
    offers = closure_services.alternatives_saved(record)
    return {
        "status": group.status,
        "closes_on": group.closes_on,
        "closed_at": group.closed_at,
        "message": record.message if record else "",
        "archive_until": record.archive_until if record else None,
        "archive_open": closure_services.archive_open(group),
        "alternatives": [
            {
                "slug": o.slug,
                "title": o.title,
                "town": o.town,
                "url": reverse("directory:offer", kwargs={"slug": o.slug}),
            }
            for o in offers
        ],
    }


def register(router: Router) -> None:
    """Add this module's operations to the groups router (called once by kindred.groups.api)."""

    # --- Noticeboard ---------------------------------------------------------------------------------------

    @router.get(
        "/{slug}/noticeboard", response=_with({200: list[GroupPostOut]}, 404), summary="The group's noticeboard"
    )
    def board_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
        user = current_user(request)
        group, viewer = stay_services.member_group_for(user, slug)
        closure_services.require_archive(viewer)
        return [_post(p, user) for p in stay_services.board_posts(group, user)[:200]]

    @router.post(
        "/{slug}/noticeboard",
        response=_with({201: GroupPostOut}, 400, 403, 404, 429),
        summary="Post on the noticeboard",
    )
    def board_add(request: HttpRequest, slug: str, payload: GroupPostIn) -> Any:
        user = current_user(request)
        _group, viewer = stay_services.member_group_for(user, slug)
        post = _run(stay_services.board_post_add, actor=user, viewer=viewer, body=payload.body)
        return Status(201, _post(post, user))

    # --- Newsletter ----------------------------------------------------------------------------------------

    @router.get("/{slug}/newsletter", response=_with({200: NewsletterOut}, 404), summary="Newsletter archive")
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
        response=_with({200: NewsletterOut}, 404),
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

    @router.get("/{slug}/newsletter/issues/{issue_id}", response=_with({200: IssueOut}, 404), summary="One sent issue")
    def newsletter_issue(request: HttpRequest, slug: str, issue_id: UUID) -> dict[str, Any]:
        user = current_user(request)
        group, viewer = stay_services.member_group_for(user, slug)
        closure_services.require_archive(viewer)
        return _issue(group, stay_services.get_sent_issue(group, issue_id), full=True)

    @router.post(
        "/{slug}/newsletter/items",
        response=_with({201: ItemOut}, 400, 403, 404, 429),
        summary="Send something for the next newsletter",
    )
    def newsletter_item(request: HttpRequest, slug: str, payload: ItemIn) -> Any:
        user = current_user(request)
        _group, viewer = stay_services.member_group_for(user, slug)
        item = _run(stay_services.newsletter_item_submit, actor=user, viewer=viewer, **payload.model_dump())
        return Status(201, {"title": item.title, "body": item.body, "author": user.display_name})

    @router.post(
        "/{slug}/newsletter/send",
        response=_with({200: GroupSentOut}, 400, 403, 404),
        summary="Send the draft issue to subscribers (facilitators)",
    )
    def newsletter_send(request: HttpRequest, slug: str) -> dict[str, Any]:
        user = current_user(request)
        group, viewer = stay_services.member_group_for(user, slug, facilitate=True)
        result = _run(stay_services.issue_send, actor=user, viewer=viewer)
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
        "/{slug}/keep-in-touch", response=_with({200: GroupCheckInOut}, 404), summary="Your absence check-in, if any"
    )
    def check_in(request: HttpRequest, slug: str) -> dict[str, Any]:
        user = current_user(request)
        group, _viewer = stay_services.member_group_for(user, slug)
        return _check_in(group, user)

    @router.put(
        "/{slug}/keep-in-touch",
        response=_with({200: GroupCheckInOut}, 400, 403, 404),
        summary="Ask a member you trust to get in touch if you miss meetings",
        description="Only the trusted member is ever told. Kindred never messages you about your absence.",
    )
    def check_in_set(request: HttpRequest, slug: str, payload: GroupCheckInIn) -> dict[str, Any]:
        user = current_user(request)
        group, viewer = stay_services.member_group_for(user, slug)
        _run(
            stay_services.absence_check_in_set,
            actor=user,
            viewer=viewer,
            trusted_public_id=str(payload.trusted),
            after_missed=payload.after_missed,
        )
        return _check_in(group, user)

    @router.delete("/{slug}/keep-in-touch", response=_with({204: None}, 404), summary="Stop the absence check-in")
    def check_in_remove(request: HttpRequest, slug: str) -> Any:
        user = current_user(request)
        _group, viewer = stay_services.member_group_for(user, slug)
        stay_services.absence_check_in_remove(actor=user, viewer=viewer)
        return Status(204, None)

    # --- Funds ---------------------------------------------------------------------------------------------

    def _funds(user: Any, slug: str) -> Any:
        group, viewer = stay_services.member_group_for(user, slug)
        funds_services.require_funds(viewer)
        return group, viewer

    @router.get("/{slug}/funds", response=_with({200: LedgerOut}, 403, 404), summary="The ledger and balance")
    def ledger(request: HttpRequest, slug: str) -> dict[str, Any]:
        group, _viewer = _funds(current_user(request), slug)
        lines = funds_services.ledger_lines(group.pk)
        return {
            "balance_pence": lines[-1].balance_pence if lines else 0,
            "entries": [
                {
                    "public_id": line.entry.public_id,
                    "direction": line.entry.direction,
                    "category": line.entry.category,
                    "amount_pence": line.entry.amount_pence,
                    "on": line.entry.on,
                    "note": line.entry.note,
                    "has_receipt": line.entry.has_receipt,
                    "balance_pence": line.balance_pence,
                }
                for line in lines
            ],
        }

    @router.post("/{slug}/funds", response=_with({201: EntryOut}, 400, 403, 404), summary="Record money in or out")
    def ledger_add(request: HttpRequest, slug: str, payload: EntryIn) -> Any:
        user = current_user(request)
        group, viewer = _funds(user, slug)
        entry = _run(funds_services.ledger_entry_add, actor=user, viewer=viewer, **payload.model_dump())
        balance = funds_services.balance_pence(group.pk)
        return Status(
            201,
            {
                "public_id": entry.public_id,
                "direction": entry.direction,
                "category": entry.category,
                "amount_pence": entry.amount_pence,
                "on": entry.on,
                "note": entry.note,
                "has_receipt": False,
                "balance_pence": balance,
            },
        )

    @router.get(
        "/{slug}/funds/report",
        response=_with({200: GroupReportOut}, 400, 403, 404),
        summary="The funder report for a period, as figures",
        description="The same report as a PDF or CSV is at /groups/{slug}/funds/report.pdf?start=…&end=….",
    )
    def funder_report(request: HttpRequest, slug: str, period: Query[ReportQuery]) -> dict[str, Any]:
        group, _viewer = _funds(current_user(request), slug)
        report = _run(reports.funder_report, group=group, start=period.start, end=period.end)
        return {
            "start": report.start,
            "end": report.end,
            "meetings_held": report.meetings_held,
            "meetings_cancelled": report.meetings_cancelled,
            "attendances": report.attendances,
            "unique_people": report.unique_people,
            "first_timers": report.first_timers,
            "average_per_meeting": report.average_per_meeting,
            "people_in_roles": report.people_in_roles,
            "roles": [{"role": label, "people": count} for label, count in report.role_counts],
            "opening_balance_pence": report.opening_balance_pence,
            "income_pence": report.income_pence,
            "spending_pence": report.spending_pence,
            "closing_balance_pence": report.closing_balance_pence,
        }

    @router.delete("/{slug}/funds/{entry_id}", response=_with({204: None}, 400, 403, 404), summary="Remove an entry")
    def ledger_remove(request: HttpRequest, slug: str, entry_id: UUID) -> Any:
        user = current_user(request)
        _group, viewer = _funds(user, slug)
        entry = funds_services.get_entry_for(viewer, entry_id)
        _run(funds_services.ledger_entry_delete, actor=user, viewer=viewer, entry=entry)
        return Status(204, None)

    # --- Closing -------------------------------------------------------------------------------------------

    @router.get("/{slug}/closure", response=_with({200: ClosureOut}, 404), summary="Whether the group is closing")
    def closure(request: HttpRequest, slug: str) -> dict[str, Any]:
        group, _viewer = stay_services.member_group_for(current_user(request), slug)
        return _closure(group)

    @router.post(
        "/{slug}/close",
        response=_with({200: ClosureOut}, 400, 403, 404),
        summary="Close the group now, or on a date (facilitators and coordinators)",
        description="Every member is told by email and in Kindred, with three alternatives from the directory.",
    )
    def close(request: HttpRequest, slug: str, payload: GroupCloseIn) -> dict[str, Any]:
        user = current_user(request)
        _group, viewer = stay_services.member_group_for(user, slug)
        result = _run(closure_services.group_close, actor=user, viewer=viewer, on=payload.on, message=payload.message)
        return _closure(Group.objects.get(pk=result.group.pk))
