"""What well-being sends, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

SAFEGUARDING = reach.Kind("wellbeing_safeguarding", reach.Purpose.DUTY, "A check-in needs a safeguarding follow-up")
REMINDER = reach.Kind("wellbeing_reminder", reach.Purpose.REMINDER, "A reminder about your well-being check-in")
SHARED = reach.Kind("wellbeing_shared", reach.Purpose.UPDATE, "Someone shared a well-being summary with you")
