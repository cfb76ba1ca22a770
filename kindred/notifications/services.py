"""The one way to tell a person something: a notification in Kindred, and an email that respects quiet hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.core.tasks import send_email

from .models import Notification


def quiet_hours_end(profile: Profile | None, now: datetime) -> datetime | None:
    """If `now` falls in the person's quiet hours, when they end; otherwise None."""
    if profile is None or profile.quiet_hours_start is None or profile.quiet_hours_end is None:
        return None
    try:
        zone = ZoneInfo(profile.timezone or settings.TIME_ZONE)
    except (KeyError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    start, end = profile.quiet_hours_start, profile.quiet_hours_end
    clock = local.time()
    overnight = start > end  # e.g. 21:00 → 08:00
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    end_date = local.date()
    if overnight and clock >= start:
        end_date += timedelta(days=1)
    return datetime.combine(end_date, end, tzinfo=zone)


def notify(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = False,
) -> Notification:
    """Record a notification; if `email` and the person wants emails, send one after commit.

    Emails never arrive in quiet hours: they are queued to run when quiet hours end.

    Supporter care (kindred.care): nothing at all is recorded or sent for a person recorded as having died (an
    unsaved notification is returned); a person who has stepped back gets the in-app notice but no email.
    """
    from kindred.care.selectors import STEPPED_BACK, SUPPRESSED, suppression_of

    suppression = suppression_of(user)
    if suppression == SUPPRESSED:
        return Notification(user=user, kind=kind, title=title[:200], body=body, url=url)
    notification = Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url)
    if suppression == STEPPED_BACK:
        email = False
    profile = Profile.objects.filter(user=user).first()
    if email and user.is_active and (profile is None or profile.email_notifications):
        link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        text = f"{body}\n\n{link}\n\nYou can change which emails Kindred sends you in your profile." if link else body
        run_after = quiet_hours_end(profile, timezone.now())
        if run_after is None:
            transaction.on_commit(lambda: send_email.enqueue(subject=title, body=text, to=[user.email]))
        elif send_email.get_backend().supports_defer:
            deferred = send_email.using(run_after=run_after)
            transaction.on_commit(lambda: deferred.enqueue(subject=title, body=text, to=[user.email]))
        # else: a backend that can't wait (only the immediate one used in tests) sends nothing in quiet
        # hours; the notification in Kindred is still there.
    return notification


def notifications_mark_read(*, user: User, public_ids: list[str] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if public_ids is not None:
        rows = rows.filter(public_id__in=public_ids)
    return rows.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
