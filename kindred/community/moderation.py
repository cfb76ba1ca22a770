"""Moderation for posts AND chat messages: reports, the queue, actions, appeals, shifts, blocks, crisis alerts.

A target (a Post, a chat message) is any model with an `author` foreign key and these two methods:

    moderation_context() -> {"organisation", "space" (or None), "excerpt", "url", "where"}
    moderation_set_hidden(hidden: bool) -> None

Everything here is audited. Reasons for actions are shown to the person they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.core import ratelimit
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Membership, Organisation

from .access import MODERATING_ROLES, is_organisation_moderator, roles_in_space_organisations
from .messages import APPEAL, CRISIS, MODERATION, REPORT
from .models import (
    RESTRICTING_KINDS,
    ActionKind,
    Appeal,
    AppealStatus,
    ChatMessage,
    MessageStatus,
    ModerationAction,
    ModeratorShift,
    Post,
    PostStatus,
    Report,
    ReportReason,
    ReportStatus,
)


class ModerationError(AppError):
    """A kind, plain message; nothing was changed."""


def _target_key(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


# ---------------------------------------------------------------- reports


def report_create(*, reporter: User, target: models.Model, reason: str, note: str = "") -> Report:
    if reason not in ReportReason.values:
        raise ModerationError("Please choose what worries you about this.")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ModerationError("Please keep your note under 2,000 characters.")
    if getattr(target, "author_id", None) == reporter.pk:
        raise ModerationError("You can't report your own post. You can edit or delete it instead.")
    try:
        ratelimit.check("community_report", str(reporter.pk))
    except ratelimit.RateLimited as exc:
        raise ModerationError("You've sent a lot of reports just now. Please wait a little and try again.") from exc
    context: dict[str, Any] = target.moderation_context()  # type: ignore[attr-defined]
    target_type, target_id = _target_key(target)
    existing = Report.objects.filter(
        reporter=reporter, target_type=target_type, target_id=target_id, status=ReportStatus.OPEN
    ).first()
    if existing is not None:
        return existing  # already in the queue: a second click changes nothing
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                organisation=context["organisation"],
                space=context.get("space"),
                target_type=target_type,
                target_id=target_id,
                target_author_id=getattr(target, "author_id", None),
                target_excerpt=(context.get("excerpt") or "")[:10000],
                reason=reason,
                note=note,
            )
            audit_record(
                actor=reporter,
                action="community.report_create",
                subject=report,
                organisation=context["organisation"],
                detail={"reason": reason},
            )
    except IntegrityError:
        return Report.objects.get(
            reporter=reporter, target_type=target_type, target_id=target_id, status=ReportStatus.OPEN
        )
    queue_url = reverse("community:queue", args=[context["organisation"].slug])
    on_duty = on_duty_for(context["organisation"], context.get("space"))
    transaction.on_commit(
        lambda: reach.send_to_team(
            people=on_duty,
            kind=REPORT,
            title="A new report is waiting",
            body=f"{report.get_reason_display()} — in {context.get('where', '')}",
            url=queue_url,
        )
    )
    return report


@transaction.atomic
def report_dismiss(*, moderator: User, report: Report, note: str = "") -> Report:
    _require_moderator(moderator, report.organisation, report.space)
    if report.status != ReportStatus.OPEN:
        raise ModerationError("Someone has already dealt with this report.")
    _resolve_reports(report.target_type, report.target_id, moderator, ReportStatus.DISMISSED, only=report)
    audit_record(
        actor=moderator,
        action="community.report_dismiss",
        subject=report,
        organisation=report.organisation,
        detail={"note": note[:500]},
    )
    report.refresh_from_db()
    return report


def _resolve_reports(
    target_type: ContentType, target_id: str, moderator: User, status: str, only: Report | None = None
) -> int:
    rows = Report.objects.filter(target_type=target_type, target_id=target_id, status=ReportStatus.OPEN)
    if only is not None:
        rows = rows.filter(pk=only.pk)
    return rows.update(status=status, resolved_by=moderator, resolved_at=timezone.now())


# ---------------------------------------------------------------- actions


def _require_moderator(user: User, organisation: Organisation, space: Any | None = None) -> None:
    """Moderators of the organisation; for a network-wide space, moderators of any organisation sharing it."""
    if is_organisation_moderator(user, organisation):
        return
    if space is not None and roles_in_space_organisations(user, space) & MODERATING_ROLES:
        return
    raise ModerationError("Only this organisation's moderators can do that.")


AUTHOR_TITLES = {
    ActionKind.HIDE: "A moderator hid one of your {noun}s",
    ActionKind.RESTORE: "A moderator has put your {noun} back",
    ActionKind.WARN: "A moderator has sent you a warning",
    ActionKind.MUTE: "A moderator has paused your posting for a while",
    ActionKind.SUSPEND: "A moderator has suspended your posting",
    ActionKind.BAN: "A moderator has stopped your posting",
}


def content_noun(target: Any) -> str:
    """What people call the thing: a "message" in a chat room, a "post" in a space."""
    return "message" if isinstance(target, ChatMessage) else "post"


def action_take(
    *,
    moderator: User,
    kind: str,
    reason: str,
    target: models.Model | None = None,
    subject: User | None = None,
    organisation: Organisation | None = None,
    space: Any | None = None,
    report: Report | None = None,
    until: datetime | None = None,
    may_bypass_role: bool = False,
) -> ModerationAction:
    """Act on a post or message (hide/restore) or on a person (warn/mute/suspend/ban), with a reason they see.

    `may_bypass_role` is for peer hosts of a peer-led space (the caller checked access.can_moderate).
    """
    reason = (reason or "").strip()
    if kind not in ActionKind.values:
        raise ModerationError("Please choose an action.")
    if not reason:
        raise ModerationError("Please write a reason. The person will see it, so keep it kind and plain.")
    if report is not None:
        target = target or report.target
        organisation = organisation or report.organisation
    context: dict[str, Any] = target.moderation_context() if target is not None else {}  # type: ignore[attr-defined]
    organisation = organisation or context.get("organisation")
    space = space if space is not None else context.get("space")
    if subject is None and target is not None:
        subject = getattr(target, "author", None)
    if organisation is None or subject is None:
        raise ModerationError("We couldn't tell who or what this action is about.")
    if not may_bypass_role:
        _require_moderator(moderator, organisation, space)
    elif kind in {ActionKind.SUSPEND, ActionKind.BAN} and not is_organisation_moderator(moderator, organisation):
        raise ModerationError("Suspending or banning someone is for the organisation's moderators. Please report it.")
    if subject.pk == moderator.pk:
        raise ModerationError("You can't take a moderation action about yourself. Please ask another moderator.")
    if kind in {ActionKind.HIDE, ActionKind.RESTORE} and target is None:
        raise ModerationError("Hiding and restoring need a post or message.")
    if kind in {ActionKind.MUTE, ActionKind.SUSPEND}:
        if until is None or until <= timezone.now():
            raise ModerationError("Please choose when this ends (a time in the future).")
    elif kind != ActionKind.BAN:
        until = None
    if kind in RESTRICTING_KINDS and is_organisation_moderator(subject, organisation):
        raise ModerationError("Moderators can't be muted, suspended or banned here. Please talk to a coordinator.")
    with transaction.atomic():
        target_type, target_id = _target_key(target) if target is not None else (None, "")
        action = ModerationAction.objects.create(
            organisation=organisation,
            space=space,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            subject=subject,
            moderator=moderator,
            report=report,
            reason=reason,
            until=until,
        )
        if target is not None and kind == ActionKind.HIDE:
            target.moderation_set_hidden(True)  # type: ignore[attr-defined]
        if target is not None and kind == ActionKind.RESTORE:
            was_held = isinstance(target, Post) and target.status == PostStatus.HELD
            target.moderation_set_hidden(False)  # type: ignore[attr-defined]
            if was_held:
                from .services import post_release

                post_release(target)  # type: ignore[arg-type]
        if target_type is not None:
            _resolve_reports(target_type, target_id, moderator, ReportStatus.ACTIONED)
        elif report is not None:
            _resolve_reports(report.target_type, report.target_id, moderator, ReportStatus.ACTIONED, only=report)
        audit_record(
            actor=moderator,
            action=f"community.action_{kind}",
            subject=action,
            organisation=organisation,
            detail={
                "subject": str(subject.public_id),
                "target": target_id,
                "until": until.isoformat() if until else "",
            },
        )
        reach.send(
            to=subject,
            kind=MODERATION,
            title=AUTHOR_TITLES[ActionKind(kind)].format(noun=content_noun(target)),
            body=f"The moderator's reason: {reason}",
            url=reverse("community:action", args=[action.public_id]),
            email=kind in RESTRICTING_KINDS,
        )
    return action


# ---------------------------------------------------------------- appeals


def appeal_create(*, appellant: User, action: ModerationAction, text: str) -> Appeal:
    text = (text or "").strip()
    if action.subject_id != appellant.pk:
        raise ModerationError("Only the person an action is about can appeal it.")
    if action.kind == ActionKind.RESTORE:
        raise ModerationError(f"There's nothing to appeal: your {content_noun(action.target)} was put back.")
    if not text:
        raise ModerationError("Please say in a few words why you think the decision should change.")
    if len(text) > 3000:
        raise ModerationError("Please keep your appeal under 3,000 characters.")
    if Appeal.objects.filter(action=action).exists():
        raise ModerationError("You've already appealed this decision. Each decision can be appealed once.")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, appellant=appellant, text=text)
            audit_record(
                actor=appellant, action="community.appeal_create", subject=appeal, organisation=action.organisation
            )
    except IntegrityError as exc:
        raise ModerationError("You've already appealed this decision. Each decision can be appealed once.") from exc
    # Every moderator who may decide it is told: the host's, and for a network-wide space each partner's.
    organisations = [action.organisation]
    if action.space is not None:
        organisations += [o for o in action.space.partner_organisations.all() if o.pk != action.organisation_id]
    told: set[int] = {action.moderator_id} if action.moderator_id else set()
    for organisation in organisations:
        queue_url = reverse("community:queue", args=[organisation.slug])
        others = list(moderators_of(organisation).exclude(pk__in=told))
        told.update(m.pk for m in others)
        transaction.on_commit(
            lambda people=others, url=queue_url: reach.send_to_team(
                people=people, kind=APPEAL, title="An appeal needs another moderator", url=url
            )
        )
    return appeal


@transaction.atomic
def appeal_decide(*, moderator: User, appeal: Appeal, overturn: bool, reason: str) -> Appeal:
    appeal = Appeal.objects.select_for_update().select_related("action").get(pk=appeal.pk)
    action = appeal.action
    # In a network-wide space, a moderator of any organisation sharing it may decide (as they may act there).
    _require_moderator(moderator, action.organisation, action.space)
    if appeal.status != AppealStatus.PENDING:
        raise ModerationError("This appeal has already been decided.")
    if moderator.pk == action.moderator_id:
        raise ModerationError("Another moderator needs to decide this appeal, not the one who took the action.")
    if moderator.pk == appeal.appellant_id:
        raise ModerationError("You can't decide your own appeal.")
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Please write a reason. The person will see it.")
    appeal.status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.decision_reason = moderator, timezone.now(), reason
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if overturn:
        action.lifted_at, action.lifted_by = timezone.now(), moderator
        action.save(update_fields=["lifted_at", "lifted_by"])
        target = action.target if action.target_type_id else None
        if target is not None and action.kind == ActionKind.HIDE:
            target.moderation_set_hidden(False)
    audit_record(
        actor=moderator,
        action="community.appeal_decide",
        subject=appeal,
        organisation=action.organisation,
        detail={"status": appeal.status},
    )
    reach.send(
        to=appeal.appellant,
        kind=APPEAL,
        title="Your appeal: the decision has been reversed" if overturn else "Your appeal: the decision stands",
        body=f"Another moderator looked again. Their reason: {reason}",
        url=reverse("community:action", args=[action.public_id]),
        email=True,
    )
    return appeal


# ---------------------------------------------------------------- shifts


def shift_start(*, moderator: User, organisation: Organisation) -> ModeratorShift:
    _require_moderator(moderator, organisation)
    with transaction.atomic():
        shift = ModeratorShift.objects.filter(organisation=organisation, moderator=moderator, ended_at__isnull=True)
        existing = shift.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                created = ModeratorShift.objects.create(
                    organisation=organisation, moderator=moderator, started_at=timezone.now()
                )
        except IntegrityError:
            return shift.get()
        audit_record(actor=moderator, action="community.shift_start", subject=created, organisation=organisation)
        return created


@transaction.atomic
def shift_end(*, moderator: User, organisation: Organisation) -> int:
    count = ModeratorShift.objects.filter(organisation=organisation, moderator=moderator, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if count:
        audit_record(actor=moderator, action="community.shift_end", organisation=organisation)
    return count


def moderators_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role__in=MODERATING_ROLES, is_active=True
    ).distinct()


def moderators_on_duty(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        moderator_shifts__organisation=organisation, moderator_shifts__ended_at__isnull=True, is_active=True
    ).distinct()


def on_duty_for(organisation: Organisation, space: Any | None = None) -> list[User]:
    """Moderators on duty for this organisation and, for a network-wide space, every organisation sharing it."""
    org_ids = [organisation.pk]
    if space is not None:
        org_ids += list(space.partner_organisations.values_list("pk", flat=True))
    return list(
        User.objects.filter(
            moderator_shifts__organisation_id__in=org_ids, moderator_shifts__ended_at__isnull=True, is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def is_on_duty(user: User, organisation: Organisation) -> bool:
    return ModeratorShift.objects.filter(organisation=organisation, moderator=user, ended_at__isnull=True).exists()


# ---------------------------------------------------------------- crisis alerts


def screening_alert(
    *,
    author: User,
    organisation: Organisation,
    level: str,
    triggers: list[str],
    held: bool,
    url: str,
    where: str,
    subject: models.Model | None = None,
    noun: str = "post",
    space: Any | None = None,
) -> int:
    """Tell the moderators on duty (in Kindred and by email) that someone may need support now.

    In a network-wide space, moderators on duty in any organisation sharing it are told: the space pools their
    cover. If nobody is on duty, every moderator of the hosting organisation is told so it is not missed.
    `noun` is what the author wrote: a "post" in a space, a "message" in a chat room. Returns how many were told.
    """
    recipients = on_duty_for(organisation, space) or list(moderators_of(organisation))
    recipients = [m for m in recipients if m.pk != author.pk]
    title = ("Urgent: " if level == "urgent" else "") + f"{author.display_name} may need support now"
    body = (
        f"A {noun} in {where} suggests {author.display_name} may be struggling ({level}). "
        + ("It is held until a moderator looks. " if held else "")
        + "Please look soon and follow your safeguarding policy."
    )
    for moderator in recipients:
        reach.send(to=moderator, kind=CRISIS, title=title, body=body, url=url, email=True)
    audit_record(
        actor=None,
        action="community.crisis_alert",
        subject=subject,
        organisation=organisation,
        detail={"level": level, "triggers": triggers[:20], "held": held, "alerted": len(recipients), "noun": noun},
    )
    return len(recipients)


# ---------------------------------------------------------------- queue selectors


@dataclass
class QueueItem:
    kind: str  # "report", "held" (a post) or "held_message" (a chat message)
    created_at: datetime
    report: Report | None = None
    post: Post | None = None
    others: int = 0  # other open reports on the same target
    message: ChatMessage | None = None
    # For a held chat message: the few messages before it in the room, so the moderator sees the conversation.
    context: list[ChatMessage] = field(default_factory=list)


CHAT_CONTEXT_MESSAGES = 5


def chat_context(message: ChatMessage, count: int = CHAT_CONTEXT_MESSAGES) -> list[ChatMessage]:
    """The messages just before this one in its room (shown ones only), oldest first."""
    earlier = (
        ChatMessage.objects.filter(room_id=message.room_id, id__lt=message.pk, status=MessageStatus.VISIBLE)
        .select_related("author")
        .order_by("-id")[:count]
    )
    return list(reversed(earlier))


def _shared_with(organisation: Organisation, space_path: str) -> Q:
    """Things hosted by the organisation, or in a network-wide space it shares."""
    return Q(**{f"{space_path}__organisation": organisation}) | Q(
        **{f"{space_path}__partner_organisations": organisation}
    )


def queue_for(organisation: Organisation) -> list[QueueItem]:
    """Open reports (one line per target, oldest first), held posts and held chat messages for an organisation's
    moderators. A network-wide space's reports and held posts and messages are in the queue of every organisation
    sharing it: they pool their moderators' cover, and each may already read and moderate the space."""
    items: list[QueueItem] = []
    seen: dict[tuple[int, str], QueueItem] = {}
    reports = (
        Report.objects.filter(
            Q(organisation=organisation) | Q(space__partner_organisations=organisation), status=ReportStatus.OPEN
        )
        .distinct()
        .select_related("reporter", "target_author", "space", "target_type")
    )
    for report in reports:
        key = (report.target_type_id, report.target_id)
        if key in seen:
            seen[key].others += 1
            continue
        item = QueueItem(kind="report", created_at=report.created_at, report=report)
        seen[key] = item
        items.append(item)
    held = (
        Post.objects.filter(status=PostStatus.HELD, deleted_at__isnull=True)
        .filter(_shared_with(organisation, "thread__space"))
        .select_related("author", "thread", "thread__space")
        .distinct()
    )
    items.extend(QueueItem(kind="held", created_at=p.created_at, post=p) for p in held)
    held_messages = (
        ChatMessage.objects.filter(status=MessageStatus.HELD)
        .filter(Q(room__organisation=organisation) | Q(room__space__partner_organisations=organisation))
        .select_related("author", "room", "room__space")
        .distinct()
    )
    items.extend(
        QueueItem(kind="held_message", created_at=m.created_at, message=m, context=chat_context(m))
        for m in held_messages
    )
    items.sort(key=lambda i: i.created_at)
    return items


def pending_appeals(organisation: Organisation) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(
            Q(action__organisation=organisation) | Q(action__space__partner_organisations=organisation),
            status=AppealStatus.PENDING,
        )
        .distinct()
        .select_related("action", "appellant", "action__moderator")
    )


def recent_actions(organisation: Organisation, limit: int = 20) -> QuerySet[ModerationAction]:
    return (
        ModerationAction.objects.filter(Q(organisation=organisation) | Q(space__partner_organisations=organisation))
        .distinct()
        .select_related("subject", "moderator")[:limit]
    )


def actions_about(user: User) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(subject=user).select_related("organisation").prefetch_related("appeal")


def organisations_moderated_by(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=MODERATING_ROLES).values("organisation")
    )
