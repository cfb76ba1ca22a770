"""What organisations send, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

INVITATION = reach.Kind("organisations.invitation", reach.Purpose.RESPONSE, "An invitation to join an organisation")
