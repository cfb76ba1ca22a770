"""My data: a person's groups — memberships, replies to meetings, their own attendance, what they wrote, choices.

Not here: facilitator, handover and incident notes (the group's and organisation's records, which can be about
other members), the funds ledger, and follow-up prompts about newcomers.
"""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .models import (
    RSVP,
    AbsenceCheckIn,
    Attendance,
    BoardPost,
    CalendarToken,
    FirstVisitChat,
    GroupMembership,
    NewsletterItem,
    NewsletterSubscription,
)


def export_person(user: User) -> dict[str, Any]:
    calendar = CalendarToken.objects.filter(person=user).first()
    return {
        "group_memberships": [
            {
                "group": m.group.name,
                "organisation": m.group.organisation.name,
                "role": m.get_role_display(),
                "committee_role": m.get_committee_role_display() if m.committee_role else "",
                "status": m.get_status_display(),
                "joined_at": iso(m.joined_at),
                "paused_at": iso(m.paused_at),
                "left_at": iso(m.left_at),
                "no_follow_up_after_first_meeting": m.follow_up_opt_out,
            }
            for m in GroupMembership.objects.filter(person=user)
            .select_related("group__organisation")
            .order_by("joined_at", "id")
        ],
        "meeting_replies": [
            {
                "group": r.meeting.group.name,
                "meeting": r.meeting.title or r.meeting.group.name,
                "starts_at": iso(r.meeting.starts_at),
                "answer": r.get_answer_display(),
                "waiting_list_place": r.waitlist_position,
                "answered_at": iso(r.updated_at),
            }
            for r in RSVP.objects.filter(person=user).select_related("meeting__group").order_by("meeting__starts_at")
        ],
        "your_attendance": [
            {
                "group": a.meeting.group.name,
                "meeting": a.meeting.title or a.meeting.group.name,
                "starts_at": iso(a.meeting.starts_at),
                "present": a.present,
                "first_visit": a.first_visit,
            }
            for a in Attendance.objects.filter(person=user)
            .select_related("meeting__group")
            .order_by("meeting__starts_at")
        ],
        "first_visit_chats_you_asked_for": [
            {
                "group": c.group.name,
                "with": display_name(c.helper),
                "your_message": c.message,
                "how_to_reach_you": c.how_to_reach,
                "status": c.get_status_display(),
                "asked_at": iso(c.created_at),
            }
            for c in FirstVisitChat.objects.filter(person=user).select_related("group", "helper").order_by("created_at")
        ],
        "noticeboard_posts": [
            {
                "group": p.group.name,
                "text": p.body,
                "posted_at": iso(p.created_at),
                "taken_down_at": iso(p.removed_at),
            }
            for p in BoardPost.objects.filter(author=user).select_related("group").order_by("created_at", "id")
        ],
        "newsletter_items_you_wrote": [
            {
                "group": i.group.name,
                "title": i.title,
                "text": i.body,
                "status": i.get_status_display(),
                "in_issue": i.issue.title if i.issue_id else None,
                "sent_at": iso(i.created_at),
                "edited_by_editor_at": iso(i.edited_at),
            }
            for i in NewsletterItem.objects.filter(author=user).select_related("group", "issue").order_by("created_at")
        ],
        "newsletter_choices": [
            {"group": s.group.name, "subscribed": s.subscribed, "changed_at": iso(s.changed_at)}
            for s in NewsletterSubscription.objects.filter(person=user).select_related("group").order_by("changed_at")
        ],
        # "If I miss meetings, ask this person to get in touch": the person's own request, and whom they trusted.
        "keep_in_touch_settings": [
            {
                "group": c.group.name,
                "ask": display_name(c.trusted),
                "after_missed_meetings": c.after_missed,
                "last_asked_at": iso(c.prompted_at),
                "set_at": iso(c.created_at),
            }
            for c in AbsenceCheckIn.objects.filter(member=user)
            .select_related("group", "trusted")
            .order_by("created_at")
        ],
        "calendar_feed": {
            "has_private_link": calendar is not None,
            "created_at": iso(calendar.created_at) if calendar else None,
        },
    }


register(
    key="groups",
    order=80,
    label="Groups",
    about=(
        "Your group memberships, replies to meetings, your own attendance, noticeboard posts, newsletter "
        "items you wrote, newsletter choices and keep-in-touch settings."
    ),
    export=export_person,
)
