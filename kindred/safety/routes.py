"""UK-wide routes to urgent help, shown on every crisis page whatever organisation a person is in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisRoute:
    name: str
    how: str
    detail: str
    tel: str = ""
    sms: str = ""


UK_ROUTES: tuple[CrisisRoute, ...] = (
    CrisisRoute(
        name="999 or A&E",
        how="Call 999 or go to A&E",
        detail="If your life or someone else's is in danger now, or you have seriously hurt yourself.",
        tel="999",
    ),
    CrisisRoute(
        name="NHS 111, option 2",
        how="Call 111 and choose option 2",
        detail="Urgent mental health help from the NHS, any time of day or night, for you or someone you care for.",
        tel="111",
    ),
    CrisisRoute(
        name="Samaritans",
        how="Call 116 123 (free)",
        detail="Someone to talk to, any time, about whatever is on your mind. You don't have to be suicidal.",
        tel="116123",
    ),
    CrisisRoute(
        name="Shout",
        how="Text SHOUT to 85258",
        detail="Free, confidential text support, any time, if talking on the phone feels too much.",
        sms="85258",
    ),
)
