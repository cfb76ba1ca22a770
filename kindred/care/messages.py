"""What supporter care sends, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

CHECKIN = reach.Kind("care.checkin", reach.Purpose.DUTY, "Someone you supervise shared a check-in or asked to talk")
STEP_BACK = reach.Kind("care.step_back", reach.Purpose.DUTY, "Someone in your organisation is stepping back")
COME_BACK = reach.Kind("care.come_back", reach.Purpose.DUTY, "Someone in your organisation is back")
YOU_STEPPED_BACK = reach.Kind("care.you_stepped_back", reach.Purpose.RESPONSE, "You've stepped back")
INCIDENT_INFORM = reach.Kind("care.incident_inform", reach.Purpose.UPDATE, "Important news about your group or space")
DEBRIEF = reach.Kind("care.debrief", reach.Purpose.UPDATE, "A debrief after a critical incident")
SUPPORT_RESOURCES = reach.Kind("care.support_resources", reach.Purpose.UPDATE, "Support after a loss")
INCIDENT_HANDLER = reach.Kind("care.incident_handler", reach.Purpose.DUTY, "You were asked to help with an incident")
