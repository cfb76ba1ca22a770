"""My data: online spaces and chat — what the person wrote, their reactions and follows, reports they made, the
moderation of their own posts and messages (with their appeals).

Not here: other people's posts and chat messages, and reports others made about the person (and who made them);
those are other people's data or the organisation's moderation records.
"""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import iso
from kindred.accounts.personal_data import register

from .models import (
    Appeal,
    ChatMessage,
    Follow,
    ModerationAction,
    ModeratorShift,
    Post,
    Reaction,
    Report,
    RoomPresence,
    SpaceMembership,
    Thread,
)
from .services import writing_remove_for


def _where(target: Any) -> str:
    """A place, never the words of someone else's post: "a post in Low mood" or "a message in the Evening room"."""
    if isinstance(target, Post):
        return f"a post in {target.thread.space.name}"
    if isinstance(target, ChatMessage):
        return f"a chat message in {target.room.name}"
    return "something that has since been removed"


def _appeal(appeal: Appeal | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {
        "your_appeal": appeal.text,
        "status": appeal.get_status_display(),
        "decision_reason": appeal.decision_reason,
        "appealed_at": iso(appeal.created_at),
        "decided_at": iso(appeal.decided_at),
    }


def export_person(user: User) -> dict[str, Any]:
    appeals = {a.action_id: a for a in Appeal.objects.filter(appellant=user)}
    return {
        "space_memberships": [
            {"space": m.space.name, "role": m.get_role_display(), "joined_at": iso(m.joined_at)}
            for m in SpaceMembership.objects.filter(user=user).select_related("space").order_by("joined_at")
        ],
        "threads_you_started": [
            {"space": t.space.name, "title": t.title, "started_at": iso(t.created_at), "locked": t.is_locked}
            for t in Thread.objects.filter(author=user).select_related("space").order_by("created_at", "id")
        ],
        "posts": [
            {
                "space": p.thread.space.name,
                "thread": p.thread.title,
                "opening_post": p.is_opening,
                "text": p.body,
                "content_warning": p.content_warning,
                "status": p.get_status_display(),
                "safety_check": p.screening_level,
                "held_because": p.held_reason,
                "posted_at": iso(p.created_at),
                "edited_at": iso(p.edited_at),
                "deleted_at": iso(p.deleted_at),
            }
            for p in Post.objects.filter(author=user).select_related("thread__space").order_by("created_at", "id")
        ],
        "reactions": [
            {"reaction": r.get_kind_display(), "thread": r.post.thread.title, "at": iso(r.created_at)}
            for r in Reaction.objects.filter(user=user).select_related("post__thread").order_by("created_at", "id")
        ],
        "threads_you_follow": [
            {"thread": f.thread.title, "email_digest": f.email_digest, "since": iso(f.created_at)}
            for f in Follow.objects.filter(user=user).select_related("thread").order_by("created_at", "id")
        ],
        "chat_messages": [
            {
                "room": m.room.name,
                "text": m.body,
                "status": m.get_status_display(),
                "safety_check": m.screening_level,
                "sent_at": iso(m.created_at),
            }
            for m in ChatMessage.objects.filter(author=user).select_related("room").order_by("id")
        ],
        "chat_room_settings": [
            {"room": p.room.name, "show_your_name_to_others": p.show_name, "last_seen": iso(p.last_seen)}
            for p in RoomPresence.objects.filter(user=user).select_related("room").order_by("room__name")
        ],
        "reports_you_made": [
            {
                "about": _where(r.target),
                "reason": r.get_reason_display(),
                "your_note": r.note,
                "status": r.get_status_display(),
                "reported_at": iso(r.created_at),
                "resolved_at": iso(r.resolved_at),
            }
            for r in Report.objects.filter(reporter=user).prefetch_related("target").order_by("created_at", "id")
        ],
        # What moderators did about the person's own posts and messages, with the reason they were shown.
        "moderation_of_your_content": [
            {
                "action": a.get_kind_display(),
                "organisation": a.organisation.name,
                "about": _where(a.target) if a.target_id else "your account",
                "reason": a.reason,
                "until": iso(a.until),
                "at": iso(a.created_at),
                "lifted_at": iso(a.lifted_at),
                "appeal": _appeal(appeals.get(a.pk)),
            }
            for a in ModerationAction.objects.filter(subject=user)
            .select_related("organisation")
            .prefetch_related("target")
            .order_by("created_at", "id")
        ],
        # For moderators: when they were on duty (their own working record; what they moderated is the org's).
        "moderator_shifts": [
            {"organisation": s.organisation.name, "from": iso(s.started_at), "until": iso(s.ended_at)}
            for s in ModeratorShift.objects.filter(moderator=user).select_related("organisation").order_by("started_at")
        ],
    }


register(
    key="community",
    order=100,
    label="Online spaces and chat",
    about=(
        "Threads and posts you wrote, reactions, follows, chat messages, reports you made, moderation of your"
        " own posts and your appeals. If you delete your account, what you wrote stays, shown as by a former"
        " member, unless you choose to remove it too."
    ),
    export=export_person,
    remove_writing=writing_remove_for,
)
