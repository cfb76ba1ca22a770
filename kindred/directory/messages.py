"""What the directory sends, each kind declared once for the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from kindred.commons import reach

REFERRAL_NEW = reach.Kind("directory.referral_new", reach.Purpose.DUTY, "A new request for support or referral")
LISTING_SUBMITTED = reach.Kind("directory.listing_submitted", reach.Purpose.DUTY, "A new listing to review")
LISTING_DECIDED = reach.Kind("directory.listing_decided", reach.Purpose.RESPONSE, "A decision on your listing")
