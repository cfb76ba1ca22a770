"""Closing a group well: tell every member, suggest three alternatives, keep what was shared for a year.

(The early warning when a group's last facilitator steps back lives with membership, in services.py.)
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.accounts.names import display_name
from kindred.commons import reach
from kindred.commons.models import EndReason
from kindred.commons.spine import engagements_end_for_subject
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.directory.models import Offer, OfferKind, OfferStatus
from kindred.directory.places import haversine_km

from .access import Viewer
from .messages import CLOSING, CLOSING_CANCELLED
from .models import (
    BoardPost,
    Group,
    GroupClosure,
    GroupMembership,
    GroupStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MembershipStatus,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterItem,
)

ARCHIVE_DAYS = 365
ALTERNATIVES = 3


class ClosureError(AppError):
    """Something we can explain to the person; nothing was changed."""


# --- Alternatives --------------------------------------------------------------------------------------------


_WORD = re.compile(r"[a-z]{3,}")


def _words(text: str) -> set[str]:
    return set(_WORD.findall((text or "").lower())) - {"and", "the", "for", "with", "people", "who", "group"}


def alternatives_for(group: Group, *, limit: int = ALTERNATIVES) -> list[Offer]:
    """Up to `limit` other listed groups that fit: same form, nearby (or same region), similar focus.

    Scored in plain terms — focus shared, same town, same region, same way of meeting, distance — so the
    suggestion can be explained. Groups run over video count as near to everyone.
    """
    offer = group.offer
    candidates = (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, kind=OfferKind.GROUP)
        .exclude(pk=offer.pk)
        .exclude(group__status=GroupStatus.CLOSED)
        .select_related("organisation")
    )
    focus = _words(offer.experience_focus) | _words(offer.identity_focus) | _words(offer.title)
    scored: list[tuple[float, str, Offer]] = []
    for other in candidates.filter(
        Q(region=offer.region) | Q(town=offer.town) | Q(delivery__in=["video", "hybrid"]) | Q(latitude__isnull=False)
    )[:500]:
        score = 0.0
        shared = focus & (_words(other.experience_focus) | _words(other.identity_focus) | _words(other.title))
        score += 3 * min(len(shared), 2)
        if offer.town and other.town.lower() == offer.town.lower():
            score += 3
        if offer.region and other.region == offer.region:
            score += 2
        if other.delivery == offer.delivery:
            score += 1
        if other.delivery in ("video", "hybrid"):
            score += 1
        if None not in (offer.latitude, offer.longitude, other.latitude, other.longitude):
            km = haversine_km(offer.latitude, offer.longitude, other.latitude, other.longitude)  # type: ignore[arg-type]
            score += 2 if km <= 10 else 1 if km <= 30 else 0
        if other.organisation_id == offer.organisation_id:
            score += 0.5
        scored.append((-score, other.title, other))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in scored[:limit]]


def alternatives_saved(closure: GroupClosure | None) -> list[Offer]:
    if closure is None or not closure.alternatives:
        return []
    found = {o.pk: o for o in Offer.objects.filter(pk__in=closure.alternatives, status=OfferStatus.PUBLISHED)}
    return [found[pk] for pk in closure.alternatives if pk in found]


# --- Closing -------------------------------------------------------------------------------------------------


def _require_closer(viewer: Viewer) -> None:
    if not viewer.can_facilitate:
        raise PermissionDenied("Only the group's facilitators and the organisation's coordinators can close it.")


def _members_to_tell(group: Group) -> list[User]:
    places = GroupMembership.objects.filter(
        group=group, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PAUSED], person__is_active=True
    ).select_related("person")
    return [p.person for p in places]


def _alternatives_text(offers: list[Offer]) -> str:
    from django.conf import settings

    if not offers:
        return "You can look for other groups in the Kindred directory."
    lines = ["Some other groups you might like to try:"]
    for o in offers:
        where = o.town or o.get_delivery_display()
        lines.append(
            f"• {o.title} ({where}) — {settings.SITE_URL}{reverse('directory:offer', kwargs={'slug': o.slug})}"
        )
    return "\n".join(lines)


def _tell_members(group: Group, closure: GroupClosure, *, when: date | None) -> int:
    offers = alternatives_saved(closure)
    archive = reverse("groups:closure", kwargs={"slug": group.slug})
    if when is None:
        title = f"{group.name} has closed"
        opening = (
            f"{group.name} has now closed. Thank you for being part of it. What was shared on the noticeboard "
            f"and in the newsletters stays here for you to read and download for a year."
        )
    else:
        title = f"{group.name} will close on {when:%-d %B %Y}"
        opening = (
            f"{group.name} will close on {when:%-d %B %Y}. Meetings carry on until then. Afterwards, what was "
            "shared on the noticeboard and in the newsletters stays here for you to read and download for a year."
        )
    message = f"\n\nA message from the group:\n{closure.message}" if closure.message else ""
    body = f"{opening}{message}\n\n{_alternatives_text(offers)}"
    people = _members_to_tell(group)
    for person in people:
        reach.send(to=person, kind=CLOSING, title=title, body=body, url=archive, email=True)
    return len(people)


@dataclass
class CloseResult:
    group: Group
    closed_now: bool
    told: int


def group_close(*, actor: User, viewer: Viewer, on: date | None = None, message: str = "") -> CloseResult:
    """Close the group now (`on` is None or today or earlier) or schedule it for a later date.

    Either way every member is told, by email and in Kindred, with three alternatives from the directory.
    """
    _require_closer(viewer)
    group = viewer.group
    if group.status == GroupStatus.CLOSED:
        raise ClosureError("This group has already closed.")
    today = timezone.localdate()
    if on is not None and on > today + timedelta(days=366):
        raise ClosureError("Please choose a closing date within the next year.")
    message = (message or "").strip()
    if len(message) > 3000:
        raise ClosureError("Please keep the message to 3,000 characters or fewer.")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        closure, _ = GroupClosure.objects.get_or_create(group=group)
        closure.message = message
        closure.scheduled_by = actor
        closure.alternatives = [o.pk for o in alternatives_for(group)]
        closure.save()
        if on is None or on <= today:
            told = _close(group, closure, actor=actor, tell=True)
            return CloseResult(group=group, closed_now=True, told=told)
        group.status = GroupStatus.CLOSING
        group.closes_on = on
        group.save(update_fields=["status", "closes_on"])
        told = _tell_members(group, closure, when=on)
        closure.members_told_at = timezone.now()
        closure.save(update_fields=["members_told_at", "updated_at"])
        audit_record(
            actor=actor,
            action="groups.closure_scheduled",
            subject=group,
            organisation=group.organisation,
            detail={"closes_on": on.isoformat(), "told": told},
        )
    return CloseResult(group=group, closed_now=False, told=told)


def group_closure_cancel(*, actor: User, viewer: Viewer) -> Group:
    _require_closer(viewer)
    group = viewer.group
    if group.status != GroupStatus.CLOSING:
        raise ClosureError("This group isn't due to close.")
    with transaction.atomic():
        group.status, group.closes_on = GroupStatus.ACTIVE, None
        group.save(update_fields=["status", "closes_on"])
        for person in _members_to_tell(group):
            reach.send(
                to=person,
                kind=CLOSING_CANCELLED,
                sender=actor,
                title=f"Good news: {group.name} isn't closing after all",
                body="The group will carry on meeting as usual.",
                url=reverse("groups:closure", kwargs={"slug": group.slug}),
                email=True,
            )
        audit_record(actor=actor, action="groups.closure_cancelled", subject=group, organisation=group.organisation)
    return group


def _close(group: Group, closure: GroupClosure, *, actor: User | None, tell: bool) -> int:
    now = timezone.now()
    group.status = GroupStatus.CLOSED
    group.closed_at = now
    group.save(update_fields=["status", "closed_at"])
    Offer.objects.filter(pk=group.offer_id).update(status=OfferStatus.ARCHIVED)
    # Nothing still on in calendars: future meetings are cancelled and the schedules stop.
    Meeting.objects.filter(group=group, starts_at__gt=now).exclude(status=MeetingStatus.CANCELLED).update(
        status=MeetingStatus.CANCELLED, change_note="The group has closed."
    )
    MeetingSeries.objects.filter(group=group).update(is_active=False)
    closure.closed_by = actor
    closure.archive_until = now + timedelta(days=ARCHIVE_DAYS)
    told = 0
    if tell:
        told = _tell_members(group, closure, when=None)
        closure.members_told_at = now
    closure.save()
    ended = engagements_end_for_subject(subject=group, reason=EndReason.CLOSED)
    ended += engagements_end_for_subject(subject=group.offer, reason=EndReason.CLOSED)
    audit_record(
        actor=actor,
        action="groups.closed",
        subject=group,
        organisation=group.organisation,
        detail={"told": told, "engagements_ended": ended},
    )
    return told


def group_closures_run(*, today: date | None = None) -> int:
    """Close groups whose scheduled date has come. Members were told when it was scheduled; tell them again."""
    today = today or timezone.localdate()
    closed = 0
    for group in Group.objects.filter(status=GroupStatus.CLOSING, closes_on__lte=today):
        with transaction.atomic():
            closure, _ = GroupClosure.objects.get_or_create(group=group)
            if not closure.alternatives:
                closure.alternatives = [o.pk for o in alternatives_for(group)]
            _close(group, closure, actor=closure.scheduled_by, tell=True)
        closed += 1
    return closed


# --- The archive ---------------------------------------------------------------------------------------------


def archive_open(group: Group, *, now: datetime | None = None) -> bool:
    """Whether a closed group's archive can still be read (twelve months from closing)."""
    if group.status != GroupStatus.CLOSED:
        return True
    closure = GroupClosure.objects.filter(group=group).first()
    until = closure.archive_until if closure and closure.archive_until else None
    if until is None and group.closed_at:
        until = group.closed_at + timedelta(days=ARCHIVE_DAYS)
    return until is None or (now or timezone.now()) < until


def require_archive(viewer: Viewer) -> None:
    from django.http import Http404

    if not archive_open(viewer.group):
        raise Http404("This group's archive has been removed.")


def _stamp(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y, %H:%M") if moment else ""


def archive_zip(*, actor: User, viewer: Viewer) -> bytes:
    """The noticeboard, every newsletter and the person's own posts and items, as plain text in a zip."""
    if not (viewer.is_member or viewer.is_coordinator):
        raise PermissionDenied("Only the group's members can download what was shared in it.")
    require_archive(viewer)
    group = viewer.group
    buffer = io.BytesIO()
    posts = list(
        BoardPost.objects.filter(group=group, removed_at__isnull=True).select_related("author").order_by("created_at")
    )
    issues = list(
        NewsletterIssue.objects.filter(group=group, status=NewsletterIssueStatus.SENT)
        .prefetch_related("items")
        .order_by("sent_at")
    )
    mine_items = list(NewsletterItem.objects.filter(group=group, author=actor).order_by("created_at"))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "README.txt",
            f"{group.name}\n\nWhat was shared in the group, downloaded on {_stamp(timezone.now())}.\n"
            "noticeboard.txt — every post on the noticeboard\n"
            "newsletters/ — every newsletter that was sent\n"
            "my-posts.txt — the posts and newsletter items you wrote\n",
        )
        zf.writestr(
            "noticeboard.txt",
            "\n\n".join(f"{display_name(p.author)} — {_stamp(p.created_at)}\n{p.body}" for p in posts)
            or "Nothing was posted on the noticeboard.",
        )
        for number, issue in enumerate(issues, start=1):
            parts = [issue.title, _stamp(issue.sent_at), "", issue.introduction]
            for item in issue.items.all():
                parts += ["", item.title, item.body]
            zf.writestr(f"newsletters/{number:02d}-{issue.sent_at:%Y-%m-%d}.txt", "\n".join(parts))
        own = [f"Noticeboard — {_stamp(p.created_at)}\n{p.body}" for p in posts if p.author_id == actor.pk]
        own += [f"Newsletter item — {_stamp(i.created_at)}\n{i.title}\n{i.body}" for i in mine_items]
        zf.writestr("my-posts.txt", "\n\n".join(own) or "You didn't post anything here.")
    audit_record(
        actor=actor,
        action="groups.archive_downloaded",
        subject=group,
        organisation=group.organisation,
        detail={"posts": len(posts), "newsletters": len(issues)},
    )
    return buffer.getvalue()


def between_meetings_daily(*, now: datetime | None = None) -> dict[str, int]:
    """The daily work between meetings: absence check-ins and scheduled closures (run beside groups_daily)."""
    from .stay import absence_check_ins_run

    now = now or timezone.now()
    return {
        "absence_prompts": absence_check_ins_run(now=now),
        "groups_closed": group_closures_run(today=timezone.localdate(now)),
    }
