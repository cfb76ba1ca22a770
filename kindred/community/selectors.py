"""Reads for spaces, threads and posts, and the block selectors the chat and one-to-one capabilities use."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kindred.accounts.models import User
from kindred.commons.blocks import blocked_ids
from kindred.organisations.models import Membership

from .access import MODERATING_ROLES
from .models import (
    Follow,
    ModerationAction,
    Post,
    PostStatus,
    Reaction,
    ReactionKind,
    Space,
    SpaceMembership,
    SpaceStatus,
    SpaceVisibility,
    Thread,
)


def spaces_visible_to(user: User | None) -> QuerySet[Space]:
    """Spaces `user` may read: public ones, members-only ones of their organisations, invite-only ones they're in."""
    spaces = Space.objects.select_related("organisation").filter(status=SpaceStatus.OPEN)
    if user is None or not user.is_authenticated:
        return spaces.filter(visibility=SpaceVisibility.PUBLIC)
    if user.is_superuser:
        return spaces
    my_orgs = Membership.objects.filter(user=user).values("organisation")
    my_mod_orgs = Membership.objects.filter(user=user, role__in=MODERATING_ROLES).values("organisation")
    in_orgs = Q(organisation__in=my_orgs) | Q(partner_organisations__in=my_orgs)
    in_mod_orgs = Q(organisation__in=my_mod_orgs) | Q(partner_organisations__in=my_mod_orgs)
    member = Exists(SpaceMembership.objects.filter(space=OuterRef("pk"), user=user))
    return spaces.filter(
        Q(visibility=SpaceVisibility.PUBLIC)
        | Q(visibility=SpaceVisibility.MEMBERS) & (in_orgs | member)
        | Q(visibility=SpaceVisibility.INVITE_ONLY) & (in_mod_orgs | member)
    ).distinct()


def threads_of(space: Space, viewer: User | None, *, moderator: bool = False) -> QuerySet[Thread]:
    """Threads whose opening post the viewer may see (not others' held/hidden ones; not from people they block)."""
    threads = space.threads.select_related("author").annotate(
        reply_count=Count("posts", filter=Q(posts__is_opening=False, posts__status=PostStatus.VISIBLE))
    )
    if not moderator:
        visible_opening = Post.objects.filter(thread=OuterRef("pk"), is_opening=True).filter(
            Q(status=PostStatus.VISIBLE) | Q(author_id=getattr(viewer, "pk", None))
        )
        threads = threads.filter(Exists(visible_opening))
    if viewer is not None and viewer.is_authenticated:
        threads = threads.exclude(author_id__in=blocked_ids(viewer.pk))
    return threads


# What others see where a person removed their words when they deleted their account.
REMOVED_BY_AUTHOR = "This post was removed by its author."
MESSAGE_REMOVED_BY_AUTHOR = "This message was removed by its author."


@dataclass
class PostView:
    post: Post
    reactions: Counter = field(default_factory=Counter)
    mine: set[str] = field(default_factory=set)
    shown: bool = True  # False: a placeholder ("hidden by a moderator", "deleted")
    placeholder: str = ""
    decision: ModerationAction | None = None  # for the author of a hidden post: why, and where to appeal

    @property
    def reaction_rows(self) -> list[tuple[str, str, int, bool]]:
        """(kind, label, count, whether the viewer gave it) for each reaction, in a fixed order."""
        return [(kind, label, self.reactions[kind], kind in self.mine) for kind, label in ReactionKind.choices]


def posts_of(thread: Thread, viewer: User | None, *, moderator: bool = False) -> list[PostView]:
    """The thread's posts in order, as the viewer should see them."""
    blocked = blocked_ids(viewer.pk) if viewer is not None and viewer.is_authenticated else set()
    viewer_id = getattr(viewer, "pk", None) if viewer is not None and viewer.is_authenticated else None
    posts = list(thread.posts.select_related("author").order_by("created_at", "id"))
    ids = [p.pk for p in posts]
    counts: dict[int, Counter] = defaultdict(Counter)
    mine: dict[int, set[str]] = defaultdict(set)
    for post_id, kind, user_id in Reaction.objects.filter(post_id__in=ids).values_list("post_id", "kind", "user_id"):
        counts[post_id][kind] += 1
        if user_id == viewer_id:
            mine[post_id].add(kind)
    views: list[PostView] = []
    for post in posts:
        if post.author_id in blocked:
            continue
        view = PostView(post=post, reactions=counts[post.pk], mine=mine[post.pk])
        own = viewer_id is not None and post.author_id == viewer_id
        if post.deleted_at is not None and post.author_id is None:
            view.shown, view.placeholder = False, REMOVED_BY_AUTHOR
        elif post.deleted_at is not None:
            view.shown, view.placeholder = False, "This post was deleted by the person who wrote it."
        elif post.status == PostStatus.HIDDEN and not (own or moderator):
            view.shown, view.placeholder = False, "A moderator has hidden this post."
        elif post.status == PostStatus.HELD and not (own or moderator):
            continue  # held posts are not announced to others at all
        if own and post.status == PostStatus.HIDDEN:
            view.decision = (
                ModerationAction.objects.filter(
                    target_type=ContentType.objects.get_for_model(Post), target_id=str(post.pk), kind="hide"
                )
                .order_by("-created_at")
                .first()
            )
        views.append(view)
    return views


def reaction_choices() -> list[tuple[str, str]]:
    return list(ReactionKind.choices)


def follow_of(user: User | None, thread: Thread) -> Follow | None:
    if user is None or not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, thread=thread).first()
