"""Staying in touch between meetings: absence check-ins, the noticeboard and the newsletter.

The absence check-in is the member's own arrangement. Kindred only ever prompts the trusted member they
named; it never messages the absent person (tests hold us to that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.commons.blocks import blocked_ids
from kindred.core import ratelimit
from kindred.core.errors import AppError
from kindred.core.hashing import digests_match, keyed_digest, new_token
from kindred.core.services import audit_record

from .access import Viewer, get_group_for
from .messages import ABSENCE_CHECK_IN, ABSENCE_TRUSTED, NEWSLETTER, NEWSLETTER_ITEM, newsletter_topic
from .models import (
    AbsenceCheckIn,
    Attendance,
    BoardPost,
    Group,
    GroupMembership,
    GroupStatus,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterItem,
    NewsletterItemStatus,
    NewsletterSubscription,
    NewsletterUnsubscribeToken,
)

TOKEN_PURPOSE = "groups.newsletter-unsubscribe"  # noqa: S105 - a digest purpose, not a secret
MAX_AFTER_MISSED = 12


class StayError(AppError):
    """Something we can explain to the person; nothing was changed."""


def group_url(group: Group) -> str:
    """The group's own page (the core pages name it); the noticeboard if that page isn't there."""
    from django.urls import NoReverseMatch

    for name in ("groups:group", "groups:detail"):
        try:
            return reverse(name, kwargs={"slug": group.slug})
        except NoReverseMatch:
            continue
    return reverse("groups:board", kwargs={"slug": group.slug})


def member_group_for(user: User, slug: str, *, facilitate: bool = False) -> tuple[Group, Viewer]:
    """A group for one of its members (or its organisation's coordinators); 404 to everyone else, even when
    the group is public — its noticeboard, newsletter, funds and archive are the members' own."""
    group, viewer = get_group_for(user, slug)
    if not (viewer.is_member or viewer.is_coordinator):
        raise Http404("No such group.")
    if facilitate and not viewer.can_facilitate:
        raise PermissionDenied("Only the group's facilitators can do that.")
    return group, viewer


def _require_open(group: Group) -> None:
    if group.status == GroupStatus.CLOSED:
        raise StayError("This group has closed. You can still read what was shared, but nothing new can be added.")


def _require_active_member(viewer: Viewer) -> GroupMembership:
    if not viewer.is_active_member or viewer.membership is None:
        if viewer.is_member:
            raise PermissionDenied("You're taking a break from this group. Come back to the group to do this.")
        raise PermissionDenied("Please join the group first.")
    return viewer.membership


def active_members(group: Group) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(group=group, status=MembershipStatus.ACTIVE).select_related("person")


# --- Absence check-in ----------------------------------------------------------------------------------------


def absence_check_in_of(group: Group, person: User) -> AbsenceCheckIn | None:
    return AbsenceCheckIn.objects.filter(group=group, member=person).select_related("trusted").first()


def absence_check_in_set(*, actor: User, viewer: Viewer, trusted_public_id: str, after_missed: int) -> AbsenceCheckIn:
    """Opt in (or change it): after `after_missed` meetings in a row, `trusted` is asked to get in touch."""
    _require_active_member(viewer)
    _require_open(viewer.group)
    if not isinstance(after_missed, int) or not 1 <= after_missed <= MAX_AFTER_MISSED:
        raise StayError(f"Please choose a number of meetings from 1 to {MAX_AFTER_MISSED}.")
    trusted_membership = (
        active_members(viewer.group).filter(person__public_id=trusted_public_id).first()
        if _is_uuid(trusted_public_id)
        else None
    )
    if trusted_membership is None:
        raise StayError("Please choose someone who is a member of this group.")
    trusted = trusted_membership.person
    if trusted.pk == actor.pk:
        raise StayError("Please choose someone else in the group — the idea is that they get in touch with you.")
    with transaction.atomic():
        existing = AbsenceCheckIn.objects.select_for_update().filter(group=viewer.group, member=actor).first()
        changed_person = existing is None or existing.trusted_id != trusted.pk
        if existing is None:
            check_in = AbsenceCheckIn.objects.create(
                group=viewer.group, member=actor, trusted=trusted, after_missed=after_missed
            )
        else:
            existing.trusted = trusted
            existing.after_missed = after_missed
            existing.save(update_fields=["trusted", "after_missed", "updated_at"])
            check_in = existing
        if changed_person:
            reach.send(
                to=trusted,
                kind=ABSENCE_TRUSTED,
                sender=actor,
                title=f"{actor.display_name} has named you as their check-in person in {viewer.group.name}",
                body=(
                    f"If {actor.display_name} misses {after_missed} meeting{'s' if after_missed != 1 else ''} in a "
                    "row, Kindred will let you know, so you can get in touch if you'd like to. They chose this "
                    "themselves. Kindred won't contact them."
                ),
                url=group_url(viewer.group),
                email=True,
            )
    return check_in


def absence_check_in_remove(*, actor: User, viewer: Viewer) -> bool:
    if not viewer.is_member:
        raise PermissionDenied("Please join the group first.")
    deleted, _ = AbsenceCheckIn.objects.filter(group=viewer.group, member=actor).delete()
    return bool(deleted)


def _is_uuid(value: object) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except (ValueError, TypeError):
        return False
    return True


def _held_meetings(group: Group, now: datetime) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(group=group, ends_at__lte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at", "-id")
    )


def absence_check_ins_run(*, now: datetime | None = None) -> int:
    """Prompt trusted members whose person has missed their chosen number of meetings in a row.

    Counts only meetings held since the person joined and since they set this up. One run of absence
    prompts once; it starts again only after they come to a meeting. Paused members are left alone:
    taking a break is a choice, not an absence. Returns how many prompts were sent.
    """
    now = now or timezone.now()
    sent = 0
    check_ins = AbsenceCheckIn.objects.filter(group__status__in=[GroupStatus.ACTIVE, GroupStatus.CLOSING])
    # Never prompt about (or ask) someone recorded as having died.
    gone = reach.deceased_ids()
    check_ins = check_ins.exclude(member_id__in=gone).exclude(trusted_id__in=gone)
    for check_in in check_ins.select_related("group", "member", "trusted", "prompted_after"):
        member_place = GroupMembership.objects.filter(group=check_in.group, person=check_in.member).first()
        trusted_place = GroupMembership.objects.filter(group=check_in.group, person=check_in.trusted).first()
        if member_place is None or member_place.status != MembershipStatus.ACTIVE:
            continue
        if trusted_place is None or trusted_place.status != MembershipStatus.ACTIVE or not check_in.trusted.is_active:
            continue
        since = max(member_place.joined_at, check_in.created_at)
        recent = list(_held_meetings(check_in.group, now).filter(starts_at__gte=since)[: check_in.after_missed])
        if len(recent) < check_in.after_missed:
            continue
        attended = Attendance.objects.filter(meeting__in=recent, person=check_in.member, present=True).exists()
        if attended:
            continue
        if check_in.prompted_after is not None:
            came_since = Attendance.objects.filter(
                meeting__group=check_in.group,
                person=check_in.member,
                present=True,
                meeting__starts_at__gt=check_in.prompted_after.starts_at,
            ).exists()
            if not came_since:
                continue  # already prompted for this run of absences
        with transaction.atomic():
            check_in.prompted_after = recent[0]
            check_in.prompted_at = now
            check_in.save(update_fields=["prompted_after", "prompted_at", "updated_at"])
            name = check_in.member.display_name
            reach.send(
                to=check_in.trusted,
                kind=ABSENCE_CHECK_IN,
                about=[check_in.member],
                title=f"{name} hasn't been at {check_in.group.name} for a while",
                body=(
                    f"{name} asked us to let you know if they missed {check_in.after_missed} "
                    f"meeting{'s' if check_in.after_missed != 1 else ''} in a row. If you'd like to, a friendly "
                    "message is all it takes. Kindred hasn't contacted them and won't — this is between you."
                ),
                url=group_url(check_in.group),
                email=True,
            )
        sent += 1
    return sent


# --- Noticeboard ---------------------------------------------------------------------------------------------


def board_posts(group: Group, reader: User) -> QuerySet[BoardPost]:
    """The noticeboard as `reader` sees it: posts by people they have blocked are hidden."""
    return (
        BoardPost.objects.filter(group=group, removed_at__isnull=True)
        .exclude(author_id__in=blocked_ids(reader))
        .select_related("author")
    )


def board_post_add(*, actor: User, viewer: Viewer, body: str) -> BoardPost:
    _require_active_member(viewer)
    _require_open(viewer.group)
    text = (body or "").strip()
    if not text:
        raise StayError("Please write something to post.")
    if len(text) > 4000:
        raise StayError("Please keep a post to 4,000 characters or fewer.")
    ratelimit.check("group_post", str(actor.public_id))
    return BoardPost.objects.create(group=viewer.group, author=actor, body=text)


def board_post_remove(*, actor: User, viewer: Viewer, public_id: object) -> None:
    post = get_board_post(viewer, public_id)
    if post.author_id != actor.pk and not viewer.can_facilitate:
        raise PermissionDenied("Only the person who wrote it, or a facilitator, can take a post down.")
    _require_open(viewer.group)
    with transaction.atomic():
        post.removed_at = timezone.now()
        post.save(update_fields=["removed_at"])
        if post.author_id != actor.pk:
            audit_record(
                actor=actor,
                action="groups.board_post_removed",
                subject=post,
                organisation=viewer.group.organisation,
                detail={"group": viewer.group.slug},
            )


def get_board_post(viewer: Viewer, public_id: object) -> BoardPost:
    if not _is_uuid(public_id):
        raise Http404("No such post.")
    post = BoardPost.objects.filter(group=viewer.group, public_id=public_id, removed_at__isnull=True).first()
    if post is None:
        raise Http404("No such post.")
    return post


# --- Newsletter: subscriptions -------------------------------------------------------------------------------


def is_subscribed(group: Group, person: User) -> bool:
    """Subscribed unless they said no here, or left the list from an email's one-click link (the reach gate's)."""
    if reach.is_unsubscribed(person, newsletter_topic(group.pk)):
        return False
    row = NewsletterSubscription.objects.filter(group=group, person=person).first()
    return True if row is None else row.subscribed


def subscription_set(*, actor: User, viewer: Viewer, subscribed: bool) -> NewsletterSubscription:
    if not viewer.is_member:
        raise PermissionDenied("Please join the group first.")
    with transaction.atomic():
        row, _ = NewsletterSubscription.objects.update_or_create(
            group=viewer.group, person=actor, defaults={"subscribed": subscribed}
        )
        if subscribed:
            reach.resubscribe(person=actor, topic=newsletter_topic(viewer.group.pk))
    return row


def subscribers(group: Group) -> list[User]:
    """Members (active or taking a break — reading is participation) who haven't said no."""
    declined = set(
        NewsletterSubscription.objects.filter(group=group, subscribed=False).values_list("person_id", flat=True)
    ) | reach.unsubscribed_ids(newsletter_topic(group.pk))
    places = (
        GroupMembership.objects.filter(
            group=group, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PAUSED], person__is_active=True
        )
        .exclude(person_id__in=reach.deceased_ids())
        .select_related("person")
    )
    return [p.person for p in places if p.person_id not in declined]


def unsubscribe_token_for(group: Group, person: User, issue: NewsletterIssue | None) -> str:
    subscription, _ = NewsletterSubscription.objects.get_or_create(group=group, person=person)
    token = new_token()
    NewsletterUnsubscribeToken.objects.create(
        subscription=subscription, issue=issue, digest=keyed_digest(token, purpose=TOKEN_PURPOSE)
    )
    return token


def subscription_for_token(token: str) -> NewsletterSubscription | None:
    if not token or len(token) > 200:
        return None
    digest = keyed_digest(token, purpose=TOKEN_PURPOSE)
    row = (
        NewsletterUnsubscribeToken.objects.select_related("subscription", "subscription__group")
        .filter(digest=digest)
        .first()
    )
    if row is None or not digests_match(row.digest, digest):
        return None
    return row.subscription


def unsubscribe_with_token(token: str) -> NewsletterSubscription | None:
    subscription = subscription_for_token(token)
    if subscription is None:
        return None
    if subscription.subscribed:
        subscription.subscribed = False
        subscription.save(update_fields=["subscribed", "changed_at"])
    return subscription


# --- Newsletter: items and issues ----------------------------------------------------------------------------


def newsletter_item_submit(*, actor: User, viewer: Viewer, title: str, body: str) -> NewsletterItem:
    _require_active_member(viewer)
    _require_open(viewer.group)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise StayError("Please give your item a title and a few words.")
    if len(title) > 150 or len(body) > 4000:
        raise StayError("Please keep the title to 150 characters and the item to 4,000.")
    ratelimit.check("group_post", str(actor.public_id))
    item = NewsletterItem.objects.create(group=viewer.group, author=actor, title=title, body=body)
    editors = active_members(viewer.group).filter(role__in=["facilitator", "co_facilitator"]).exclude(person=actor)
    reach.send_to_team(
        people=[place.person for place in editors.select_related("person")],
        kind=NEWSLETTER_ITEM,
        sender=actor,
        title=f"A new item for the {viewer.group.name} newsletter",
        body=f"{actor.display_name} sent “{title}”.",
        url=reverse("groups:newsletter_edit", kwargs={"slug": viewer.group.slug}),
    )
    return item


def _require_editor(viewer: Viewer) -> None:
    if not viewer.can_facilitate:
        raise PermissionDenied("Only the group's facilitators can edit and send the newsletter.")


def draft_issue(group: Group) -> NewsletterIssue | None:
    return (
        NewsletterIssue.objects.filter(group=group, status=NewsletterIssueStatus.DRAFT).order_by("-created_at").first()
    )


def issue_draft_save(*, actor: User, viewer: Viewer, title: str, introduction: str) -> NewsletterIssue:
    _require_editor(viewer)
    _require_open(viewer.group)
    title = (title or "").strip()
    if not title:
        raise StayError("Please give this issue a title, for example “Spring news”.")
    issue = draft_issue(viewer.group)
    if issue is None:
        issue = NewsletterIssue(group=viewer.group, created_by=actor)
    issue.title = title[:150]
    issue.introduction = (introduction or "").strip()[:5000]
    issue.save()
    return issue


def item_edit(
    *, actor: User, viewer: Viewer, item: NewsletterItem, title: str, body: str, decision: str
) -> NewsletterItem:
    """The editor tidies an item and puts it in the draft issue, or leaves it out this time."""
    _require_editor(viewer)
    _require_open(viewer.group)
    if item.status == NewsletterItemStatus.INCLUDED and item.issue and item.issue.status == NewsletterIssueStatus.SENT:
        raise StayError("That item has already gone out in an issue.")
    title, body = (title or "").strip(), (body or "").strip()
    if decision == "include":
        if not title or not body:
            raise StayError("Please keep a title and a few words for the item.")
        issue = draft_issue(viewer.group)
        if issue is None:
            raise StayError("Please start an issue first: give it a title and save it.")
        item.title, item.body = title[:150], body[:4000]
        item.status, item.issue = NewsletterItemStatus.INCLUDED, issue
        item.position = issue.items.count() + 1
    elif decision == "decline":
        item.status, item.issue = NewsletterItemStatus.DECLINED, None
    elif decision == "hold":
        item.status, item.issue = NewsletterItemStatus.SUBMITTED, None
    else:
        raise StayError("Please choose what to do with the item.")
    item.edited_at = timezone.now()
    item.save()
    return item


def get_item_for(viewer: Viewer, public_id: object) -> NewsletterItem:
    _require_editor(viewer)
    if not _is_uuid(public_id):
        raise Http404("No such item.")
    item = NewsletterItem.objects.filter(group=viewer.group, public_id=public_id).select_related("issue").first()
    if item is None:
        raise Http404("No such item.")
    return item


@dataclass
class SendResult:
    issue: NewsletterIssue
    recipients: int


def issue_send(*, actor: User, viewer: Viewer) -> SendResult:
    """Send the draft to every subscriber, each email with its own unsubscribe link, and archive it."""
    _require_editor(viewer)
    _require_open(viewer.group)
    with transaction.atomic():
        issue = (
            NewsletterIssue.objects.select_for_update()
            .filter(group=viewer.group, status=NewsletterIssueStatus.DRAFT)
            .order_by("-created_at")
            .first()
        )
        if issue is None:
            raise StayError("There's no draft to send. Start an issue first.")
        items = list(issue.items.order_by("position", "created_at").select_related("author"))
        if not items and not issue.introduction.strip():
            raise StayError("This issue is empty. Add an introduction or an item before sending it.")
        people = subscribers(viewer.group)
        archive_url = settings.SITE_URL + reverse(
            "groups:newsletter_issue", kwargs={"slug": viewer.group.slug, "issue_id": issue.public_id}
        )
        subscription_url = settings.SITE_URL + reverse("groups:newsletter", kwargs={"slug": viewer.group.slug})
        for person in people:
            token = unsubscribe_token_for(viewer.group, person, issue)
            reach.send(
                to=person,
                kind=NEWSLETTER,
                topic=newsletter_topic(viewer.group.pk),
                title=issue.title,
                notice=False,
                email=reach.Email(
                    template="groups/email/newsletter",
                    context={
                        "group": viewer.group,
                        "issue": issue,
                        "items": items,
                        "archive_url": archive_url,
                        "subscription_url": subscription_url,
                        # The group's own one-click link, which also shows on its newsletter page as unsubscribed.
                        "newsletter_unsubscribe_url": settings.SITE_URL
                        + reverse("groups:newsletter_unsubscribe", kwargs={"token": token}),
                    },
                ),
            )
        issue.status = NewsletterIssueStatus.SENT
        issue.sent_at = timezone.now()
        issue.sent_by = actor
        issue.recipients = len(people)
        issue.save(update_fields=["status", "sent_at", "sent_by", "recipients"])
        audit_record(
            actor=actor,
            action="groups.newsletter_sent",
            subject=issue,
            organisation=viewer.group.organisation,
            detail={"group": viewer.group.slug, "recipients": len(people)},
        )
    return SendResult(issue=issue, recipients=len(people))


def sent_issues(group: Group) -> QuerySet[NewsletterIssue]:
    return NewsletterIssue.objects.filter(group=group, status=NewsletterIssueStatus.SENT).order_by("-sent_at")


def get_sent_issue(group: Group, public_id: object) -> NewsletterIssue:
    if not _is_uuid(public_id):
        raise Http404("No such issue.")
    issue = sent_issues(group).filter(public_id=public_id).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


def submitted_items(group: Group) -> QuerySet[NewsletterItem]:
    return NewsletterItem.objects.filter(group=group, status=NewsletterItemStatus.SUBMITTED).select_related("author")
