"""Writes for spaces, threads and posts. Moderation lives in kindred.community.moderation.

Every post passes crisis screening before it is shown (`screen_text`, an adapter over
kindred.safety.screening.screen). On concern or urgent the author is shown a kind panel with crisis routes (the
views do that from the returned result) and the moderators on duty are alerted; a post with method detail is held
for a moderator and the author is told why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.accounts.names import display_name
from kindred.commons import reach
from kindred.commons.blocks import blocked_ids
from kindred.commons.models import EndReason, EngagementRole, Form, Rules, RulesAcknowledgement
from kindred.commons.rules import has_acknowledged, rules_acknowledge, rules_publish, rules_version
from kindred.commons.spine import engagement_record, engagements_end_for_subject
from kindred.core import ratelimit
from kindred.core.errors import AppError
from kindred.core.hashing import keyed_digest, new_token
from kindred.core.services import audit_record
from kindred.core.slugs import unique_slug
from kindred.directory.models import Delivery, MeetingFormat, Offer, OfferKind, OfferStatus
from kindred.organisations.models import Organisation
from kindred.organisations.selectors import is_coordinator

from . import markdown, selectors
from .access import posting_refusal
from .messages import DIGEST, DIGEST_TOPIC, REPLY, SPACE_INVITE
from .models import (
    ChatMessage,
    Follow,
    Governance,
    Post,
    PostStatus,
    Reaction,
    ReactionKind,
    ScreeningLevel,
    Space,
    SpaceInvite,
    SpaceMembership,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
    Thread,
)

MAX_POST_CHARS = 10000
MAX_TITLE_CHARS = 150
MAX_CW_CHARS = 120
INVITE_DAYS = 14

HELD_REASON = (
    "Your post is waiting for a moderator before others see it, because it includes details about ways of "
    "harming yourself that could put other people at risk. You haven't done anything wrong: a moderator will "
    "look soon, and they may get in touch to check you're OK."
)


class CommunityError(AppError):
    """A kind, plain message for the person; nothing was changed."""


# ---------------------------------------------------------------- screening


@dataclass(frozen=True)
class Screening:
    level: str = ScreeningLevel.NONE
    triggers: list[str] = field(default_factory=list)
    hold: bool = False

    @property
    def needs_support(self) -> bool:
        return self.level in {ScreeningLevel.CONCERN, ScreeningLevel.URGENT}


_FALLBACK_URGENT = re.compile(r"\b(kill myself|end my life|suicide tonight|take my (own )?life)\b", re.I)
_FALLBACK_CONCERN = re.compile(r"\b(want to die|self[- ]harm|hurt myself|no reason to live)\b", re.I)


def screen_text(text: str) -> Screening:
    """Screen through kindred.safety.screening.screen; a cautious keyword stand-in if it isn't there yet."""
    try:
        from kindred.safety.screening import screen
    except ImportError:
        if _FALLBACK_URGENT.search(text):
            return Screening(ScreeningLevel.URGENT, ["fallback:urgent"], False)
        if _FALLBACK_CONCERN.search(text):
            return Screening(ScreeningLevel.CONCERN, ["fallback:concern"], False)
        return Screening()
    result = screen(text)
    return Screening(str(result.level), list(result.triggers), bool(result.hold))


def _apply_screening(post: Post, result: Screening) -> None:
    post.screening_level = result.level
    post.screening_triggers = result.triggers
    if result.hold:
        post.status = PostStatus.HELD
        post.held_reason = HELD_REASON


def _after_screening(post: Post, result: Screening) -> None:
    if not result.needs_support or post.author is None:
        return
    from .moderation import screening_alert

    context = post.moderation_context()
    screening_alert(
        author=post.author,
        organisation=context["organisation"],
        level=result.level,
        triggers=result.triggers,
        held=result.hold,
        url=context["url"],
        where=context["where"],
        subject=post,
        space=context["space"],
    )


# ---------------------------------------------------------------- spaces


def _taken_in(model: Any, field_name: str = "slug") -> Any:
    return lambda slug: model.objects.filter(**{field_name: slug}).exists()


@transaction.atomic
def space_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    description: str,
    visibility: str = SpaceVisibility.MEMBERS,
    governance: str = Governance.ORG_MODERATED,
    house_rules: str,
    partner_organisations: list[Organisation] | tuple[Organisation, ...] = (),
    offer: Offer | None = None,
) -> Space:
    """Create a space and its directory listing (an Offer of kind online_space), with version 1 of its rules."""
    name, house_rules = name.strip(), house_rules.strip()
    if not name:
        raise CommunityError("Please give the space a name.")
    if not house_rules:
        raise CommunityError("Please write the house rules people agree to before they post.")
    if visibility not in SpaceVisibility.values or governance not in Governance.values:
        raise CommunityError("Please choose who can read the space and how it is moderated.")
    if offer is None:
        offer = Offer.objects.create(
            slug=unique_slug(name, taken=_taken_in(Offer), fallback="space"),
            organisation=organisation,
            kind=OfferKind.ONLINE_SPACE,
            delivery=Delivery.ONLINE,
            format=MeetingFormat.FORUM,
            title=name[:150],
            summary=(description.strip().split("\n")[0] or name)[:300],
            description=description.strip() or name,
            can_just_listen=True,
            listed_by=actor,
        )
    elif offer.kind != OfferKind.ONLINE_SPACE:
        raise CommunityError("That listing isn't an online space.")
    space = Space.objects.create(
        slug=unique_slug(name, taken=_taken_in(Space), fallback="space"),
        name=name[:120],
        description=description.strip(),
        organisation=organisation,
        offer=offer,
        visibility=visibility,
        governance=governance,
        created_by=actor,
    )
    partners = [o for o in partner_organisations if o.pk != organisation.pk]
    if partners:
        space.partner_organisations.set(partners)
    rules_publish(actor=actor, subject=space, text=house_rules, author_agrees=False)
    audit_record(actor=actor, action="community.space_create", subject=space, organisation=organisation)
    return space


@transaction.atomic
def house_rules_update(*, actor: User, space: Space, text: str) -> Rules:
    text = text.strip()
    if not text:
        raise CommunityError("House rules can't be empty.")
    current = space.current_rules
    if current is not None and current.text == text:
        return current
    rules = rules_publish(actor=actor, subject=space, text=text, author_agrees=False)
    audit_record(
        actor=actor,
        action="community.house_rules_update",
        subject=space,
        organisation=space.organisation,
        detail={"version": rules.version},
    )
    return rules


def needs_rules_acknowledgement(user: User, space: Space) -> Rules | None:
    """The current rules if `user` hasn't acknowledged them yet."""
    rules = space.current_rules
    if rules is None or not user.is_authenticated:
        return None
    if has_acknowledged(user, rules):
        return None
    return rules


def house_rules_acknowledge(*, user: User, space: Space, version: int) -> RulesAcknowledgement:
    rules = rules_version(space, version)
    if rules is None or rules != space.current_rules:
        raise CommunityError("The house rules have changed since you opened the page. Please read them again.")
    return rules_acknowledge(person=user, rules=rules)


def _check_can_post(author: User, space: Space) -> None:
    refusal = posting_refusal(author, space)
    if refusal is not None:
        raise CommunityError(refusal)
    if needs_rules_acknowledgement(author, space) is not None:
        raise CommunityError("Please read and agree to the house rules before your first post here.")
    try:
        ratelimit.check("community_post", str(author.pk))
    except ratelimit.RateLimited as exc:
        raise CommunityError("You've posted a lot in a short time. Please wait a little and try again.") from exc


def _clean_body(body: str, content_warning: str) -> tuple[str, str]:
    body, content_warning = (body or "").strip(), (content_warning or "").strip()
    if not body:
        raise CommunityError("Please write something before posting.")
    if len(body) > MAX_POST_CHARS:
        raise CommunityError(f"Posts can be up to {MAX_POST_CHARS:,} characters. Please shorten it a little.")
    if len(content_warning) > MAX_CW_CHARS:
        raise CommunityError(f"Content notes can be up to {MAX_CW_CHARS} characters.")
    return body, content_warning


# ---------------------------------------------------------------- threads and posts


@dataclass
class PostOutcome:
    post: Post
    screening: Screening


def thread_create(
    *, author: User, space: Space, title: str, body: str, content_warning: str = ""
) -> tuple[Thread, PostOutcome]:
    title = (title or "").strip()
    if not title:
        raise CommunityError("Please give your post a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise CommunityError(f"Titles can be up to {MAX_TITLE_CHARS} characters.")
    body, content_warning = _clean_body(body, content_warning)
    result = screen_text(f"{title}\n\n{body}")
    with transaction.atomic():
        _check_can_post(author, space)
        now = timezone.now()
        thread = Thread.objects.create(space=space, author=author, title=title, last_post_at=now)
        post = Post(
            thread=thread,
            author=author,
            is_opening=True,
            body=body,
            body_html=markdown.render(body),
            content_warning=content_warning,
        )
        _apply_screening(post, result)
        post.save()
        Follow.objects.get_or_create(thread=thread, user=author, defaults={"digest_cursor": now})
        engagement_record(
            person=author,
            subject=space,
            form=Form.ONLINE,
            role=EngagementRole.RECEIVING,
            organisation=space.organisation,
        )
        _after_screening(post, result)
    return thread, PostOutcome(post, result)


def reply_create(*, author: User, thread: Thread, body: str, content_warning: str = "") -> PostOutcome:
    body, content_warning = _clean_body(body, content_warning)
    result = screen_text(body)
    with transaction.atomic():
        space = thread.space
        _check_can_post(author, space)
        if Thread.objects.filter(pk=thread.pk, is_locked=True).exists():  # the row, not a possibly stale copy
            raise CommunityError("This conversation has been closed to new replies. You can still read it.")
        post = Post(
            thread=thread,
            author=author,
            body=body,
            body_html=markdown.render(body),
            content_warning=content_warning,
        )
        _apply_screening(post, result)
        post.save()
        Follow.objects.get_or_create(thread=thread, user=author, defaults={"digest_cursor": post.created_at})
        if post.status == PostStatus.VISIBLE:
            _announce(post)
        _after_screening(post, result)
    return PostOutcome(post, result)


def _announce(post: Post) -> None:
    """A reply became visible: bump the thread, record engagements and tell followers in Kindred."""
    thread = post.thread
    space = thread.space
    Thread.objects.filter(pk=thread.pk, last_post_at__lt=post.created_at).update(last_post_at=post.created_at)
    author = post.author
    if post.is_opening or author is None:
        return  # an opening post, or a held reply released after its author deleted their account
    if thread.author_id != post.author_id:
        engagement_record(
            person=author,
            subject=space,
            form=Form.ONLINE,
            role=EngagementRole.GIVING,
            organisation=space.organisation,
        )
        if thread.author is not None:
            engagement_record(
                person=thread.author,
                subject=space,
                form=Form.ONLINE,
                role=EngagementRole.RECEIVING,
                organisation=space.organisation,
            )
    url = reverse("community:thread", args=[thread.public_id]) + f"#post-{post.public_id}"
    for follow in Follow.objects.filter(thread=thread).exclude(user=author).select_related("user"):
        reach.send(
            to=follow.user,
            kind=REPLY,
            sender=author,
            title=f"New reply in “{thread.title}”",
            body=f"{author.display_name} replied in {space.name}.",
            url=url,
        )


def post_release(post: Post) -> None:
    """A moderator let a held post through (called by moderation inside its transaction)."""
    post.held_reason = ""
    post.save(update_fields=["held_reason"])
    _announce(post)


def post_edit(*, author: User, post: Post, body: str, content_warning: str = "") -> PostOutcome:
    if post.author_id != author.pk or post.deleted_at is not None:
        raise CommunityError("Only the person who wrote this can change it.")
    if post.thread.space.is_archived:
        raise CommunityError("This space is archived, so posts in it can't be changed now.")
    body, content_warning = _clean_body(body, content_warning)
    result = screen_text(body)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status == PostStatus.HIDDEN:
            raise CommunityError("A moderator has hidden this post, so it can't be edited. You can appeal instead.")
        post.body, post.body_html, post.content_warning = body, markdown.render(body), content_warning
        post.edited_at = timezone.now()
        _apply_screening(post, result)
        post.save()
        _after_screening(post, result)
    return PostOutcome(post, result)


@transaction.atomic
def post_delete(*, author: User, post: Post) -> Post:
    if post.author_id != author.pk:
        raise CommunityError("Only the person who wrote this can delete it.")
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.body, post.body_html, post.content_warning = "", "", ""
        post.save(update_fields=["deleted_at", "body", "body_html", "content_warning"])
        Reaction.objects.filter(post=post).delete()
    return post


LOCK_NOTE_MAX = 300
LOCKED_DEFAULT = (
    "A moderator has closed this conversation to new replies. You can still read it, and you're welcome to "
    "start a new conversation in this space."
)


def thread_lock_set(*, moderator: User, thread: Thread, locked: bool, note: str = "") -> Thread:
    """Close a conversation to new replies (with a kind note everyone sees), or open it again. Audited."""
    from .access import can_moderate

    if not can_moderate(moderator, thread.space):
        raise CommunityError("Only this space's moderators can close or reopen a conversation.")
    note = " ".join((note or "").split())
    if len(note) > LOCK_NOTE_MAX:
        raise CommunityError(f"Please keep the note to {LOCK_NOTE_MAX} characters or fewer.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.is_locked == locked and (not locked or thread.lock_note == note):
            return thread
        thread.is_locked = locked
        thread.locked_at = timezone.now() if locked else None
        thread.lock_note = note if locked else ""
        thread.save(update_fields=["is_locked", "locked_at", "lock_note"])
        audit_record(
            actor=moderator,
            action="community.thread_lock" if locked else "community.thread_unlock",
            subject=thread,
            organisation=thread.space.organisation,
            detail={"note": note[:300]} if locked else {},
        )
    return thread


def reaction_toggle(*, user: User, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is now on."""
    if kind not in ReactionKind.values:
        raise CommunityError("Please choose one of the reactions.")
    if post.deleted_at is not None or post.status != PostStatus.VISIBLE:
        raise CommunityError("You can't react to this post.")
    if post.thread.space.is_archived:
        raise CommunityError("This space is archived, so nobody can react to posts in it now.")
    if post.author_id == user.pk:
        raise CommunityError("You can't react to your own post.")
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        pass
    return True


def follow_set(*, user: User, thread: Thread, following: bool, email_digest: bool = False) -> Follow | None:
    if not following:
        Follow.objects.filter(thread=thread, user=user).delete()
        return None
    follow, created = Follow.objects.get_or_create(
        thread=thread, user=user, defaults={"digest_cursor": timezone.now(), "email_digest": email_digest}
    )
    if not created and follow.email_digest != email_digest:
        follow.email_digest = email_digest
        follow.save(update_fields=["email_digest"])
    return follow


def space_read(*, user: User, space: Space) -> None:
    """Reading is participation too, but coarse: at most one update a day per space."""
    if not user.is_authenticated:
        return
    from django.contrib.contenttypes.models import ContentType

    from kindred.commons.models import Engagement

    open_row = Engagement.objects.filter(
        person=user,
        subject_type=ContentType.objects.get_for_model(Space),
        subject_id=str(space.pk),
        form=Form.ONLINE,
        role=EngagementRole.READING,
        ended_at__isnull=True,
    ).first()
    now = timezone.now()
    if open_row is not None and timezone.localdate(open_row.last_active_at) >= timezone.localdate(now):
        return
    engagement_record(
        person=user, subject=space, form=Form.ONLINE, role=EngagementRole.READING, organisation=space.organisation
    )


# ---------------------------------------------------------------- invitations and hosts


@transaction.atomic
def space_invite_create(*, actor: User, space: Space, email: str) -> tuple[SpaceInvite, str]:
    email = (email or "").strip().lower()
    if "@" not in email:
        raise CommunityError("Please enter an email address, like name@example.org.")
    token = new_token()
    invite = SpaceInvite.objects.create(
        space=space,
        email=email,
        token_digest=keyed_digest(token, purpose="space-invite"),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
    )
    audit_record(actor=actor, action="community.invite_create", subject=space, organisation=space.organisation)
    return invite, token


def space_invite_email(*, invite: SpaceInvite, url: str) -> reach.Outcome:
    """Email the invitation (the address may have no account yet) once the invitation is saved."""
    return reach.send_to_address(
        address=invite.email,
        kind=SPACE_INVITE,
        email=reach.Email(template="community/email/space_invite", context={"space": invite.space, "url": url}),
    )


def space_invite_for(token: str) -> SpaceInvite | None:
    """The invitation a link carries, if it can still be used (not expired, used or withdrawn)."""
    invite = (
        SpaceInvite.objects.filter(token_digest=keyed_digest(token or "", purpose="space-invite"))
        .select_related("space")
        .first()
    )
    if invite is None or invite.revoked_at or invite.accepted_at or invite.expires_at <= timezone.now():
        return None
    return invite


@transaction.atomic
def space_invite_accept(*, user: User, token: str) -> Space:
    invite = (
        SpaceInvite.objects.select_for_update()
        .filter(token_digest=keyed_digest(token or "", purpose="space-invite"))
        .first()
    )
    if invite is None or invite.revoked_at or invite.accepted_at or invite.expires_at <= timezone.now():
        raise CommunityError("This invitation has expired or was already used. Please ask for a new one.")
    if invite.email.lower() != user.email.lower():
        raise CommunityError("This invitation was sent to a different email address.")
    invite.accepted_at, invite.accepted_by = timezone.now(), user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    SpaceMembership.objects.get_or_create(space=invite.space, user=user, defaults={"invited_by": invite.invited_by})
    return invite.space


@transaction.atomic
def space_membership_set(*, actor: User, space: Space, person: User, role: str | None) -> None:
    """Add a person to a space (role member or host), or remove them (role None)."""
    if role is None:
        SpaceMembership.objects.filter(space=space, user=person).delete()
    else:
        SpaceMembership.objects.update_or_create(
            space=space, user=person, defaults={"role": SpaceRole(role), "invited_by": actor}
        )
    audit_record(
        actor=actor,
        action="community.membership_set",
        subject=space,
        organisation=space.organisation,
        detail={"person": str(person.public_id), "role": role or ""},
    )


# ---------------------------------------------------------------- email digest


def digest_send(*, now: Any = None) -> int:
    """Email each person who asked for digests the replies they haven't had yet. Returns emails sent.

    Idempotent: each follow keeps a cursor, moved forward only when its replies go out. People in their quiet
    hours are skipped (the next run after quiet hours sends it); people who turned emails off are skipped and
    their cursors moved on, so they don't get a backlog later.
    """
    now = now or timezone.now()
    sent = 0
    user_ids = set(Follow.objects.filter(email_digest=True).values_list("user_id", flat=True))
    # Nobody who has stepped back, died or unsubscribed: their cursors wait, so nothing is lost.
    for user in reach.reachable(User.objects.filter(pk__in=user_ids, is_active=True), DIGEST, topic=DIGEST_TOPIC):
        profile = Profile.objects.filter(user=user).first()
        if reach.quiet_hours_end(profile, now) is not None:
            continue
        with transaction.atomic():
            follows = list(
                Follow.objects.select_for_update()
                .filter(user=user, email_digest=True)
                .select_related("thread", "thread__space")
            )
            blocked = blocked_ids(user)
            entries = []
            for follow in follows:
                new = (
                    Post.objects.filter(
                        thread=follow.thread,
                        status=PostStatus.VISIBLE,
                        deleted_at__isnull=True,
                        created_at__gt=follow.digest_cursor,
                        created_at__lte=now,
                    )
                    .exclude(author=user)
                    .exclude(author_id__in=blocked)
                )
                count = new.count()
                follow.digest_cursor = now
                follow.save(update_fields=["digest_cursor"])
                if count:
                    url = settings.SITE_URL + reverse("community:thread", args=[follow.thread.public_id])
                    entries.append({"thread": follow.thread, "space": follow.thread.space, "count": count, "url": url})
            if not entries or (profile is not None and not profile.email_notifications):
                continue
            outcome = reach.send(
                to=user,
                kind=DIGEST,
                topic=DIGEST_TOPIC,
                title="New replies in conversations you follow",
                notice=False,
                email=reach.Email(
                    template="community/email/digest",
                    context={"user": user, "entries": entries, "total": sum(e["count"] for e in entries)},
                ),
            )
            sent += outcome.email == "queued"
    return sent


# ---------------------------------------------------------------- when a person deletes their account


@transaction.atomic
def writing_remove_for(person: User) -> None:
    """The person chose "Also remove the posts I wrote online" when deleting their account.

    Each of their posts keeps its place with its words replaced by "removed by its author", so replies by others
    stay where they were; a thread they opened that nobody else replied to goes. Their chat messages keep their
    place the same way. Runs inside the account deletion's transaction, before the account goes.
    """
    now = timezone.now()
    others_replied = Post.objects.filter(thread=OuterRef("pk")).exclude(author=person)
    Thread.objects.filter(author=person).exclude(Exists(others_replied)).delete()
    mine = Post.objects.filter(author=person)
    Reaction.objects.filter(post__in=mine).delete()
    mine.update(
        body=selectors.REMOVED_BY_AUTHOR,
        body_html=markdown.render(selectors.REMOVED_BY_AUTHOR),
        content_warning="",
        screening_triggers=[],
        held_reason="",
        deleted_at=Coalesce("deleted_at", Value(now)),
    )
    ChatMessage.objects.filter(author=person).update(body=selectors.MESSAGE_REMOVED_BY_AUTHOR, screening_triggers=[])


# ---------------------------------------------------------------- archiving a space

ARCHIVED_WORDS = (
    "This space is archived. Its conversations stay here for its members to read and download until {until}, "
    "but nobody can post, reply or react now."
)


def space_archive(*, actor: User, space: Space) -> Space:
    """Archive a space: read-only from now, its words kept for its members to read and download for a year.

    Only coordinators of the organisation hosting the space may archive it (a closing organisation archives all of
    its spaces through `spaces_archive_for`).
    """
    if not (actor.is_superuser or is_coordinator(actor, space.organisation)):
        raise CommunityError("Only the coordinators of the organisation hosting this space can archive it.")
    if space.is_archived:
        raise CommunityError("This space is already archived.")
    with transaction.atomic():
        _archive(space, actor=actor, reason="")
    return space


def spaces_archive_for(*, actor: User, organisation: Organisation, reason: str) -> int:
    """Archive every open space an organisation hosts (when the organisation closes). Its chat rooms become
    read-only with it: a room in an archived space, or of a closed organisation, takes no new messages."""
    spaces = list(Space.objects.select_for_update().filter(organisation=organisation, status=SpaceStatus.OPEN))
    for space in spaces:
        _archive(space, actor=actor, reason=reason)
    return len(spaces)


def _archive(space: Space, *, actor: User, reason: str) -> None:
    space.status = SpaceStatus.ARCHIVED
    space.archived_at = timezone.now()
    space.save(update_fields=["status", "archived_at"])
    if space.offer_id is not None:
        Offer.objects.filter(pk=space.offer_id).update(status=OfferStatus.ARCHIVED)
    ended = engagements_end_for_subject(subject=space, reason=EndReason.CLOSED)
    audit_record(
        actor=actor,
        action="community.space_archived",
        subject=space,
        organisation=space.organisation,
        detail={"engagements_ended": ended, **({"reason": reason} if reason else {})},
    )


def archive_text(space: Space, viewer: User) -> str:
    """An archived space's conversations as plain text, for its members to keep."""
    lines = [space.name, "=" * len(space.name), ""]
    if space.description:
        lines += [space.description, ""]
    for thread in space.threads.order_by("created_at", "id"):
        lines += [thread.title, "-" * len(thread.title)]
        for view in selectors.posts_of(thread, viewer):
            post = view.post
            words = post.body if view.shown else view.placeholder
            lines += [f"{display_name(post.author)}, {timezone.localtime(post.created_at):%-d %B %Y %H:%M}", words, ""]
        lines.append("")
    return "\n".join(lines)
