"""What the online community sends, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

REPORT = reach.Kind("community.report", reach.Purpose.DUTY, "A new report for the moderators")
MODERATION = reach.Kind("community.moderation", reach.Purpose.UPDATE, "A moderator acted on something you wrote")
APPEAL = reach.Kind("community.appeal", reach.Purpose.DUTY, "An appeal for another moderator, and its decision")
CRISIS = reach.Kind("community.crisis", reach.Purpose.ALERT, "Someone may need support now")
REPLY = reach.Kind("community.reply", reach.Purpose.UPDATE, "A new reply in a conversation you follow")
DIGEST = reach.Kind("community.digest", reach.Purpose.MAILING, "Replies in conversations you follow, by email")
SPACE_INVITE = reach.Kind("community.space_invite", reach.Purpose.RESPONSE, "An invitation to a space")

DIGEST_TOPIC = "community.digest"


def _digest_name(rest: str) -> str:
    return "" if rest else "the email digest of new replies"


reach.register_topic_namer(DIGEST, _digest_name)
