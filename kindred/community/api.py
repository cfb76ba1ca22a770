"""Online spaces over the API: spaces, threads, posts, reactions, follows, reports, moderation, appeals, blocks.

The same access helpers, services and selectors as the pages. Reading public spaces needs no account
(`auth=None`, like the pages); a token or session, if sent, still counts. Everything that writes needs a
signed-in person. A post that screening finds worrying comes back with `support`: the crisis routes to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError

from kindred.accounts.api_auth import BearerTokenAuth
from kindred.accounts.http import current_user
from kindred.accounts.models import User
from kindred.accounts.names import display_name
from kindred.core.api import ErrorOut, InputSchema, responses
from kindred.organisations.models import CrisisResource
from kindred.safety.routes import UK_ROUTES

from . import access, api_chat, chat, selectors, services
from . import moderation as mod
from .models import (
    ActionKind,
    Appeal,
    ModerationAction,
    PostStatus,
    ReactionKind,
    ReportReason,
    Space,
    Thread,
)

router = Router(tags=["online"])


def _viewer(request: HttpRequest) -> Any:
    if request.headers.get("Authorization"):
        user = BearerTokenAuth()(request)
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


def _ok(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    out = responses(ok, *codes)
    out.setdefault(400, ErrorOut)
    return out


# ---------------------------------------------------------------- schemas


class CommunityOrganisationRefOut(Schema):
    slug: str
    name: str


class SpaceOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    governance: str
    status: str
    organisation: CommunityOrganisationRefOut
    partner_organisations: list[CommunityOrganisationRefOut]
    offer_slug: str | None
    house_rules_version: int | None
    house_rules: str
    you_need_to_agree_to_rules: bool
    you_can_post: bool
    why_you_cannot_post: str
    you_moderate: bool
    url: str


class AuthorOut(Schema):
    public_id: UUID | None = Field(..., description="Null when the person has deleted their account.")
    display_name: str = Field(..., description="The name they chose to show, or 'a former member'.")


class ThreadSummaryOut(Schema):
    public_id: UUID
    title: str
    author: AuthorOut
    created_at: datetime
    last_post_at: datetime
    is_locked: bool
    lock_note: str = Field("", description="The moderators' note to readers when the conversation is closed.")
    url: str


class ReactionCountOut(Schema):
    kind: str
    label: str
    count: int
    mine: bool


class CommunityPostOut(Schema):
    public_id: UUID
    author: AuthorOut
    is_opening: bool
    body: str = Field(..., description="Markdown as written; empty when not shown.")
    body_html: str = Field(..., description="Sanitised HTML; empty when not shown.")
    content_warning: str
    status: PostStatus
    shown: bool
    placeholder: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    reactions: list[ReactionCountOut]


class ThreadOut(ThreadSummaryOut):
    space: str
    posts: list[CommunityPostOut]
    following: bool
    email_digest: bool


class RouteOut(Schema):
    name: str
    how: str
    detail: str
    tel: str
    sms: str


class CommunityResourceOut(Schema):
    name: str
    description: str
    phone: str
    text_number: str
    url: str
    hours: str


class SupportOut(Schema):
    message: str
    organisation: CommunityOrganisationRefOut
    resources: list[CommunityResourceOut]
    uk_routes: list[RouteOut]


class PostResultOut(Schema):
    post: CommunityPostOut
    thread_public_id: UUID
    held: bool
    held_reason: str
    screening_level: str
    support: SupportOut | None = Field(None, description="Show this at once when present: crisis routes.")


class ThreadIn(InputSchema):
    title: str = Field(..., max_length=services.MAX_TITLE_CHARS)
    body: str = Field(..., max_length=services.MAX_POST_CHARS)
    content_warning: str = Field("", max_length=services.MAX_CW_CHARS)


class CommunityPostIn(InputSchema):
    body: str = Field(..., max_length=services.MAX_POST_CHARS)
    content_warning: str = Field("", max_length=services.MAX_CW_CHARS)


class RulesIn(InputSchema):
    version: int = Field(..., description="The version you read (house_rules_version).")


class ReactionIn(InputSchema):
    kind: ReactionKind


class ReactionResultOut(Schema):
    on: bool


class FollowIn(InputSchema):
    following: bool
    email_digest: bool = False


class ReportIn(InputSchema):
    reason: ReportReason
    note: str = Field("", max_length=2000)


class CommunityReportOut(Schema):
    public_id: UUID
    reason: str
    reason_label: str
    note: str
    status: str
    created_at: datetime
    target_type: str
    target_public_id: str
    target_author: AuthorOut | None
    target_excerpt: str
    other_reports: int = 0


class HeldPostOut(Schema):
    post_public_id: UUID
    thread_public_id: UUID
    space: str
    author: AuthorOut
    body: str
    screening_level: str
    created_at: datetime


class AppealOut(Schema):
    public_id: UUID
    status: str
    text: str
    decision_reason: str
    created_at: datetime
    decided_at: datetime | None


class ActionOut(Schema):
    public_id: UUID
    kind: ActionKind
    reason: str = Field(..., description="The moderator's reason, shown to the person.")
    until: datetime | None
    created_at: datetime
    lifted_at: datetime | None
    organisation: CommunityOrganisationRefOut
    subject: AuthorOut
    appeal: AppealOut | None
    can_appeal: bool


class ContextMessageOut(Schema):
    id: UUID
    author: AuthorOut
    text: str
    created_at: datetime


class HeldMessageOut(Schema):
    message_public_id: UUID
    room_public_id: UUID
    room: str = Field(..., description="The room's name.")
    author: AuthorOut
    body: str = Field(..., description="Plain text. Show it as text, never as HTML.")
    screening_level: str
    created_at: datetime
    context: list[ContextMessageOut] = Field(..., description="The messages just before it in the room.")


class QueueOut(Schema):
    reports: list[CommunityReportOut]
    held_posts: list[HeldPostOut]
    held_messages: list[HeldMessageOut]
    appeals: list[AppealOut]
    on_duty: list[AuthorOut]
    you_are_on_duty: bool


class ActionIn(InputSchema):
    kind: ActionKind
    reason: str = Field(..., min_length=1, max_length=2000, description="The person will see this.")
    hours: int | None = Field(None, ge=1, le=24 * 365, description="For mute and suspend: how long.")


class AppealIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=3000)


class AppealDecisionIn(InputSchema):
    overturn: bool
    reason: str = Field(..., min_length=1, max_length=2000)


class DutyIn(InputSchema):
    on_duty: bool


# ---------------------------------------------------------------- shaping


def _author(user: User | None) -> dict[str, Any]:
    return {"public_id": user.public_id if user is not None else None, "display_name": display_name(user)}


def _space(space: Space, viewer: Any) -> dict[str, Any]:
    rules = space.current_rules
    refusal = access.posting_refusal(viewer, space)
    needs = services.needs_rules_acknowledgement(viewer, space) if viewer.is_authenticated else None
    return {
        "slug": space.slug,
        "name": space.name,
        "description": space.description,
        "visibility": space.visibility,
        "governance": space.governance,
        "status": space.status,
        "organisation": {"slug": space.organisation.slug, "name": space.organisation.name},
        "partner_organisations": [{"slug": o.slug, "name": o.name} for o in space.partner_organisations.all()],
        "offer_slug": space.offer.slug if space.offer_id else None,
        "house_rules_version": rules.version if rules else None,
        "house_rules": rules.text if rules else "",
        "you_need_to_agree_to_rules": needs is not None,
        "you_can_post": refusal is None and needs is None,
        "why_you_cannot_post": refusal or "",
        "you_moderate": access.can_moderate(viewer, space),
        "url": reverse("community:space", args=[space.slug]),
    }


def _thread_summary(thread: Thread) -> dict[str, Any]:
    return {
        "public_id": thread.public_id,
        "title": thread.title,
        "author": _author(thread.author),
        "created_at": thread.created_at,
        "last_post_at": thread.last_post_at,
        "is_locked": thread.is_locked,
        "lock_note": thread.lock_note,
        "url": reverse("community:thread", args=[thread.public_id]),
    }


def _post(view: selectors.PostView) -> dict[str, Any]:
    post = view.post
    return {
        "public_id": post.public_id,
        "author": _author(post.author),
        "is_opening": post.is_opening,
        "body": post.body if view.shown else "",
        "body_html": post.body_html if view.shown else "",
        "content_warning": post.content_warning if view.shown else "",
        "status": post.status,
        "shown": view.shown,
        "placeholder": view.placeholder,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted": post.deleted_at is not None,
        "reactions": [
            {"kind": k, "label": label, "count": n, "mine": mine} for k, label, n, mine in view.reaction_rows
        ],
    }


def _support(space: Space) -> dict[str, Any]:
    organisation = space.organisation
    return {
        "message": (
            "It sounds like things may be really hard right now. You don't have to go through this alone: "
            "these people are there for you, and a moderator has been let know."
        ),
        "organisation": {"slug": organisation.slug, "name": organisation.name},
        "resources": [
            {
                "name": r.name,
                "description": r.description,
                "phone": r.phone,
                "text_number": r.text_number,
                "url": r.url,
                "hours": r.hours,
            }
            for r in CrisisResource.objects.filter(organisation=organisation)
        ],
        "uk_routes": [
            {"name": r.name, "how": r.how, "detail": r.detail, "tel": r.tel, "sms": r.sms} for r in UK_ROUTES
        ],
    }


def _post_result(outcome: services.PostOutcome, viewer: User) -> dict[str, Any]:
    post = outcome.post
    space = post.thread.space
    view = selectors.PostView(post=post)
    needs_support = outcome.screening.needs_support or post.status == PostStatus.HELD
    return {
        "post": _post(view),
        "thread_public_id": post.thread.public_id,
        "held": post.status == PostStatus.HELD,
        "held_reason": post.held_reason,
        "screening_level": post.screening_level,
        "support": _support(space) if needs_support else None,
    }


def _report(report: Any, others: int = 0) -> dict[str, Any]:
    return {
        "public_id": report.public_id,
        "reason": report.reason,
        "reason_label": report.get_reason_display(),
        "note": report.note,
        "status": report.status,
        "created_at": report.created_at,
        "target_type": report.target_type.model,
        "target_public_id": str(getattr(report.target, "public_id", report.target_id)),
        "target_author": _author(report.target_author),
        "target_excerpt": report.target_excerpt,
        "other_reports": others,
    }


def _appeal(appeal: Appeal | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {
        "public_id": appeal.public_id,
        "status": appeal.status,
        "text": appeal.text,
        "decision_reason": appeal.decision_reason,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
    }


def _action(action: ModerationAction, viewer: User) -> dict[str, Any]:
    appeal = Appeal.objects.filter(action=action).first()
    return {
        "public_id": action.public_id,
        "kind": action.kind,
        "reason": action.reason,
        "until": action.until,
        "created_at": action.created_at,
        "lifted_at": action.lifted_at,
        "organisation": {"slug": action.organisation.slug, "name": action.organisation.name},
        "subject": _author(action.subject),
        "appeal": _appeal(appeal),
        "can_appeal": action.subject_id == viewer.pk and appeal is None and action.kind != ActionKind.RESTORE,
    }


# ---------------------------------------------------------------- spaces and threads


@router.get("/spaces", auth=None, response=_ok({200: list[SpaceOut]}), summary="Spaces you can read")
def space_list(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    return [_space(s, viewer) for s in selectors.spaces_visible_to(viewer).prefetch_related("partner_organisations")]


@router.get("/spaces/{slug}", auth=None, response=_ok({200: SpaceOut}, 404), summary="A space")
def space_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    viewer = _viewer(request)
    return _space(access.get_space_for(viewer, slug), viewer)


@router.get(
    "/spaces/{slug}/threads", auth=None, response=_ok({200: list[ThreadSummaryOut]}, 404), summary="Conversations"
)
def thread_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    space = access.get_space_for(viewer, slug)
    if viewer.is_authenticated:
        services.space_read(user=viewer, space=space)
    moderator = access.can_moderate(viewer, space)
    return [_thread_summary(t) for t in selectors.threads_of(space, viewer, moderator=moderator)[:200]]


@router.post(
    "/spaces/{slug}/rules/acknowledge",
    response=_ok({204: None}, 403, 404),
    summary="Agree to the space's house rules (needed before your first post)",
)
def rules_acknowledge(request: HttpRequest, slug: str, payload: RulesIn) -> Status:
    user = current_user(request)
    space = access.get_space_for(user, slug, require="post")
    services.house_rules_acknowledge(user=user, space=space, version=payload.version)
    return Status(204, None)


@router.post(
    "/spaces/{slug}/threads",
    response=_ok({201: PostResultOut}, 403, 404),
    summary="Start a conversation (screened before it is shown)",
)
def thread_create(request: HttpRequest, slug: str, payload: ThreadIn) -> Status:
    user = current_user(request)
    space = access.get_space_for(user, slug, require="post")
    _thread, outcome = services.thread_create(author=user, space=space, **payload.dict())
    return Status(201, _post_result(outcome, user))


@router.get("/threads/{public_id}", auth=None, response=_ok({200: ThreadOut}, 404), summary="A conversation")
def thread_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    viewer = _viewer(request)
    thread = access.get_thread_for(viewer, str(public_id))
    moderator = access.can_moderate(viewer, thread.space)
    follow = selectors.follow_of(viewer, thread)
    if viewer.is_authenticated:
        services.space_read(user=viewer, space=thread.space)
    return {
        **_thread_summary(thread),
        "space": thread.space.slug,
        "posts": [_post(v) for v in selectors.posts_of(thread, viewer, moderator=moderator)],
        "following": follow is not None,
        "email_digest": bool(follow and follow.email_digest),
    }


@router.post(
    "/threads/{public_id}/posts", response=_ok({201: PostResultOut}, 403, 404), summary="Reply (screened first)"
)
def reply_create(request: HttpRequest, public_id: UUID, payload: CommunityPostIn) -> Status:
    user = current_user(request)
    thread = access.get_thread_for(user, str(public_id), require="post")
    outcome = services.reply_create(author=user, thread=thread, **payload.dict())
    return Status(201, _post_result(outcome, user))


class ThreadLockIn(InputSchema):
    locked: bool
    note: str = Field("", max_length=services.LOCK_NOTE_MAX, description="Shown to everyone reading. Optional.")


@router.put(
    "/threads/{public_id}/lock",
    response=_ok({200: ThreadSummaryOut}, 403, 404),
    summary="Close a conversation to new replies, or reopen it (moderators)",
)
def thread_lock(request: HttpRequest, public_id: UUID, payload: ThreadLockIn) -> dict[str, Any]:
    user = current_user(request)
    thread = access.get_thread_for(user, str(public_id), require="moderate")
    thread = services.thread_lock_set(moderator=user, thread=thread, locked=payload.locked, note=payload.note)
    return _thread_summary(thread)


@router.put("/threads/{public_id}/follow", response=_ok({204: None}, 404), summary="Follow or stop following")
def thread_follow(request: HttpRequest, public_id: UUID, payload: FollowIn) -> Status:
    user = current_user(request)
    thread = access.get_thread_for(user, str(public_id))
    services.follow_set(user=user, thread=thread, following=payload.following, email_digest=payload.email_digest)
    return Status(204, None)


@router.patch("/posts/{public_id}", response=_ok({200: PostResultOut}, 403, 404), summary="Edit your post")
def post_edit(request: HttpRequest, public_id: UUID, payload: CommunityPostIn) -> dict[str, Any]:
    user = current_user(request)
    post = access.get_post_for(user, str(public_id), require="author")
    outcome = services.post_edit(author=user, post=post, **payload.dict())
    return _post_result(outcome, user)


@router.delete("/posts/{public_id}", response=_ok({204: None}, 403, 404), summary="Delete your post")
def post_delete(request: HttpRequest, public_id: UUID) -> Status:
    user = current_user(request)
    post = access.get_post_for(user, str(public_id), require="author")
    services.post_delete(author=user, post=post)
    return Status(204, None)


@router.post(
    "/posts/{public_id}/reactions",
    response=_ok({200: ReactionResultOut}, 404),
    summary="Add a supportive reaction, or take it back",
)
def post_react(request: HttpRequest, public_id: UUID, payload: ReactionIn) -> dict[str, Any]:
    user = current_user(request)
    post = access.get_post_for(user, str(public_id))
    on = services.reaction_toggle(user=user, post=post, kind=payload.kind)
    return {"on": on}


# ---------------------------------------------------------------- reports and moderation


@router.post("/posts/{public_id}/reports", response=_ok({201: None}, 404), summary="Report a post")
def post_report(request: HttpRequest, public_id: UUID, payload: ReportIn) -> Status:
    user = current_user(request)
    post = access.get_post_for(user, str(public_id))
    mod.report_create(reporter=user, target=post, reason=payload.reason, note=payload.note)
    return Status(201, None)


@router.get("/moderation/{org_slug}/queue", response=_ok({200: QueueOut}, 403, 404), summary="The moderation queue")
def queue(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    user = current_user(request)
    organisation = access.get_organisation_to_moderate(user, org_slug)
    items = mod.queue_for(organisation)
    return {
        "reports": [_report(i.report, i.others) for i in items if i.report is not None],
        "held_posts": [
            {
                "post_public_id": i.post.public_id,
                "thread_public_id": i.post.thread.public_id,
                "space": i.post.thread.space.slug,
                "author": _author(i.post.author),
                "body": i.post.body,
                "screening_level": i.post.screening_level,
                "created_at": i.post.created_at,
            }
            for i in items
            if i.post is not None
        ],
        "held_messages": [
            {
                "message_public_id": i.message.public_id,
                "room_public_id": i.message.room.public_id,
                "room": i.message.room.name,
                "author": _author(i.message.author),
                "body": i.message.body,
                "screening_level": i.message.screening_level,
                "created_at": i.message.created_at,
                "context": [
                    {"id": c.public_id, "author": _author(c.author), "text": c.body, "created_at": c.created_at}
                    for c in i.context
                ],
            }
            for i in items
            if i.message is not None
        ],
        "appeals": [_appeal(a) for a in mod.pending_appeals(organisation)],
        "on_duty": [_author(m) for m in mod.moderators_on_duty(organisation)],
        "you_are_on_duty": mod.is_on_duty(user, organisation),
    }


@router.put("/moderation/{org_slug}/duty", response=_ok({204: None}, 403, 404), summary="Go on or off duty")
def duty(request: HttpRequest, org_slug: str, payload: DutyIn) -> Status:
    user = current_user(request)
    organisation = access.get_organisation_to_moderate(user, org_slug)
    if payload.on_duty:
        mod.shift_start(moderator=user, organisation=organisation)
    else:
        mod.shift_end(moderator=user, organisation=organisation)
    return Status(204, None)


def _until(payload: ActionIn) -> datetime | None:
    return timezone.now() + timedelta(hours=payload.hours) if payload.hours else None


@router.post("/posts/{public_id}/actions", response=_ok({201: ActionOut}, 403, 404), summary="Moderate a post")
def post_action(request: HttpRequest, public_id: UUID, payload: ActionIn) -> Status:
    user = current_user(request)
    post = access.get_post_for(user, str(public_id), require="moderate")
    action = mod.action_take(
        moderator=user,
        kind=payload.kind,
        reason=payload.reason,
        target=post,
        until=_until(payload),
        may_bypass_role=True,  # access.get_post_for(require="moderate") checked it
    )
    return Status(201, _action(action, user))


@router.post("/messages/{public_id}/reports", response=_ok({201: None}, 404), summary="Report a chat message")
def message_report(request: HttpRequest, public_id: UUID, payload: ReportIn) -> Status:
    user = current_user(request)
    message = chat.get_message_for(user, public_id)
    mod.report_create(reporter=user, target=message, reason=payload.reason, note=payload.note)
    return Status(201, None)


@router.post(
    "/messages/{public_id}/actions",
    response=_ok({201: ActionOut}, 403, 404),
    summary="Moderate a chat message (restore lets a held one through to the room; hide removes it)",
)
def message_action(request: HttpRequest, public_id: UUID, payload: ActionIn) -> Status:
    user = current_user(request)
    message = chat.get_message_for(user, public_id, require="moderate")
    action = mod.action_take(
        moderator=user,
        kind=payload.kind,
        reason=payload.reason,
        target=message,
        until=_until(payload),
        may_bypass_role=True,  # chat.get_message_for(require="moderate") checked it
    )
    return Status(201, _action(action, user))


@router.post("/reports/{public_id}/actions", response=_ok({201: ActionOut}, 403, 404), summary="Act on a report")
def report_action(request: HttpRequest, public_id: UUID, payload: ActionIn) -> Status:
    user = current_user(request)
    report = access.get_report_for(user, str(public_id))
    action = mod.action_take(
        moderator=user, kind=payload.kind, reason=payload.reason, report=report, until=_until(payload)
    )
    return Status(201, _action(action, user))


@router.post("/reports/{public_id}/dismiss", response=_ok({204: None}, 403, 404), summary="Close with no action")
def report_dismiss(request: HttpRequest, public_id: UUID) -> Status:
    user = current_user(request)
    report = access.get_report_for(user, str(public_id))
    mod.report_dismiss(moderator=user, report=report)
    return Status(204, None)


@router.get("/decisions", response=_ok({200: list[ActionOut]}), summary="Moderators' decisions about you")
def my_decisions(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    return [_action(a, user) for a in mod.actions_about(user)[:100]]


@router.get("/decisions/{public_id}", response=_ok({200: ActionOut}, 404), summary="A decision")
def decision(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = current_user(request)
    return _action(access.get_action_for(user, str(public_id)), user)


@router.post("/decisions/{public_id}/appeal", response=_ok({201: AppealOut}, 404), summary="Appeal a decision (once)")
def appeal_create(request: HttpRequest, public_id: UUID, payload: AppealIn) -> Status:
    user = current_user(request)
    action = access.get_action_for(user, str(public_id), as_author=True)
    appeal = mod.appeal_create(appellant=user, action=action, text=payload.text)
    return Status(201, _appeal(appeal))


@router.post(
    "/appeals/{public_id}/decision",
    response=_ok({200: AppealOut}, 403, 404),
    summary="Decide an appeal (not the moderator who acted)",
)
def appeal_decide(request: HttpRequest, public_id: UUID, payload: AppealDecisionIn) -> dict[str, Any]:
    user = current_user(request)
    appeal = access.get_appeal_for(user, str(public_id))
    appeal = mod.appeal_decide(moderator=user, appeal=appeal, overturn=payload.overturn, reason=payload.reason)
    return _appeal(appeal)  # type: ignore[return-value]


# ---------------------------------------------------------------- blocks


router.add_router("", api_chat.router)
