"""What one-to-one support sends (not the conversations themselves): each kind declared once for the reach gate
(`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

CONNECTION_REQUEST = reach.Kind("onetoone.connection_request", reach.Purpose.UPDATE, "Someone would like to connect")
CONNECTION_ACCEPTED = reach.Kind("onetoone.connection_accepted", reach.Purpose.UPDATE, "A connection was accepted")
CONNECTION_PAUSED = reach.Kind("onetoone.connection_paused", reach.Purpose.UPDATE, "A connection was paused")
CONNECTION_RESUMED = reach.Kind("onetoone.connection_resumed", reach.Purpose.UPDATE, "A connection was picked up")
CONNECTION_ENDED = reach.Kind("onetoone.connection_ended", reach.Purpose.UPDATE, "A connection came to an end")
MESSAGE = reach.Kind("onetoone.message", reach.Purpose.UPDATE, "A new message in a conversation")
MATCH_REMATCHING = reach.Kind("onetoone.match_rematching", reach.Purpose.UPDATE, "Still looking for a match")
SUPPORTER_STEPPING_BACK = reach.Kind(
    "onetoone.supporter_stepping_back", reach.Purpose.DUTY, "A supporter is stepping back from a scheme"
)
MATCH_REQUEST = reach.Kind("onetoone.match_request", reach.Purpose.DUTY, "A new request for a scheme")
MATCH_OFFERED = reach.Kind("onetoone.match_offered", reach.Purpose.UPDATE, "A possible match")
MATCH_ACTIVE = reach.Kind("onetoone.match_active", reach.Purpose.UPDATE, "You are matched")
MATCH_DECLINED = reach.Kind("onetoone.match_declined", reach.Purpose.DUTY, "A match won't go ahead")
MATCH_ENDED = reach.Kind("onetoone.match_ended", reach.Purpose.UPDATE, "A match came to an end")
SESSION = reach.Kind("onetoone.session", reach.Purpose.UPDATE, "A session was added")
SUPERVISION = reach.Kind("onetoone.supervision", reach.Purpose.UPDATE, "Your supervision was recorded")
