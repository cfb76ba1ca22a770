"""iCalendar feeds: one per group (public if the group is public) and a private one per person.

Times are written in UTC so every calendar client agrees; cancelled meetings stay in the feed with
STATUS:CANCELLED so calendars remove them rather than keep a stale copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from kindred.accounts.models import User

from .models import Group, Meeting, MeetingStatus
from .selectors import person_meetings

PAST_DAYS = 60
FUTURE_DAYS = 366


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Kindred//Peer support groups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    return cal


def _event(meeting: Meeting, *, private: bool) -> Event:
    event = Event()
    event.add("uid", f"{meeting.public_id}@kindred")
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    title = meeting.display_title
    if meeting.title and meeting.title != meeting.group.name:
        title = f"{meeting.group.name}: {meeting.title}"
    if meeting.status == MeetingStatus.CANCELLED:
        title = f"Cancelled: {title}"
    event.add("summary", title)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    lines = []
    if meeting.description:
        lines.append(meeting.description)
    if meeting.change_note:
        lines.append(meeting.change_note)
    if private and meeting.video_link and meeting.delivery in ("video", "hybrid"):
        lines.append(f"Video link: {meeting.video_link}")
    url = settings.SITE_URL + reverse("groups:meeting", args=[meeting.public_id])
    lines.append(url)
    event.add("description", "\n\n".join(lines))
    event.add("url", url)
    if meeting.place:
        event.add("location", meeting.place)
    elif private and meeting.video_link:
        event.add("location", meeting.video_link)
    # A moved meeting is the same event with a new time: bump the sequence so clients update it.
    event.add("sequence", 1 if meeting.moved_from else 0)
    return event


def _ical(cal: Calendar, meetings: Iterable[Meeting], *, private: bool) -> bytes:
    for meeting in meetings:
        cal.add_component(_event(meeting, private=private))
    return cal.to_ical()


def group_feed(group: Group) -> bytes:
    now = timezone.now()
    meetings = (
        Meeting.objects.filter(
            group=group,
            starts_at__gte=now - timedelta(days=PAST_DAYS),
            starts_at__lte=now + timedelta(days=FUTURE_DAYS),
        )
        .select_related("group", "series")
        .order_by("starts_at")
    )
    return _ical(_calendar(group.name), meetings, private=False)


def person_feed(user: User) -> bytes:
    now = timezone.now()
    meetings = person_meetings(user, start=now - timedelta(days=PAST_DAYS), end=now + timedelta(days=FUTURE_DAYS))
    return _ical(_calendar("My groups on Kindred"), meetings, private=True)
