"""What groups send, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

from .models import Group

NO_FACILITATOR = reach.Kind("groups.no_facilitator", reach.Purpose.DUTY, "A group has no facilitator now")
ADDED = reach.Kind("groups.added", reach.Purpose.UPDATE, "You were added to a group")
GROUND_RULES = reach.Kind("groups.ground_rules", reach.Purpose.UPDATE, "A group updated its ground rules")
SERIES_CHANGED = reach.Kind("groups.series_changed", reach.Purpose.UPDATE, "A group's regular time changed")
MEETING_CANCELLED = reach.Kind("groups.meeting_cancelled", reach.Purpose.UPDATE, "A meeting was cancelled")
MEETING_MOVED = reach.Kind("groups.meeting_moved", reach.Purpose.UPDATE, "A meeting moved")
WAITLIST_PLACE = reach.Kind("groups.waitlist_place", reach.Purpose.UPDATE, "A place came up at a meeting")
FIRST_VISIT_CHAT = reach.Kind("groups.first_visit_chat", reach.Purpose.DUTY, "A newcomer would like a chat")
FOLLOW_UP = reach.Kind("groups.follow_up", reach.Purpose.ASK, "Say hello to a newcomer")
FOLLOW_UP_MESSAGE = reach.Kind("groups.follow_up_message", reach.Purpose.UPDATE, "A message after your first visit")
ROTA_GAP = reach.Kind("groups.rota_gap", reach.Purpose.ASK, "A meeting needs a facilitator")
HANDOVER = reach.Kind("groups.handover", reach.Purpose.UPDATE, "A handover note for you")
INCIDENT = reach.Kind("groups.incident", reach.Purpose.DUTY, "An incident note needs follow-up")
CLOSING = reach.Kind("group.closing", reach.Purpose.UPDATE, "A group is closing")
CLOSING_CANCELLED = reach.Kind("group.closing_cancelled", reach.Purpose.UPDATE, "A group isn't closing after all")
NEWSLETTER_ITEM = reach.Kind("group.newsletter_item", reach.Purpose.DUTY, "A new item for a group newsletter")
ABSENCE_TRUSTED = reach.Kind(
    "group.absence_trusted", reach.Purpose.UPDATE, "Someone named you as their check-in person"
)
ABSENCE_CHECK_IN = reach.Kind("group.absence_check_in", reach.Purpose.ASK, "Someone hasn't been at a group for a while")
NEWSLETTER = reach.Kind("groups.newsletter", reach.Purpose.MAILING, "A group's newsletter")


def newsletter_topic(group_id: int) -> str:
    """The list a group's newsletter belongs to (one per group)."""
    return f"groups.newsletter:{group_id}"


def _newsletter_name(group_id: str) -> str:
    group = Group.objects.filter(pk=int(group_id)).only("name").first() if group_id.isdigit() else None
    return f"the {group.name} newsletter" if group is not None else ""


reach.register_topic_namer(NEWSLETTER, _newsletter_name)
