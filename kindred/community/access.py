"""The one place that says who may read, post in and moderate a space (and its threads, posts and chat rooms).

Outsiders who may not read a space get 404 (a members-only or invite-only space never reveals that it exists);
people who may read but not act get 403. The chat rooms use the same helpers through their space.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import User
from kindred.organisations.models import Membership, Organisation, Role

from .models import (
    RESTRICTING_KINDS,
    ActionKind,
    Appeal,
    Governance,
    ModerationAction,
    Post,
    PostStatus,
    Report,
    Space,
    SpaceMembership,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
    Thread,
)

# Roles that moderate every space an organisation hosts or shares.
MODERATING_ROLES = frozenset({Role.MODERATOR, Role.COORDINATOR})

NOT_FOUND = "We couldn't find that space. It may not exist, or it may not be shared with you."


def _is_authenticated(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def space_organisations(space: Space) -> list[Organisation]:
    return [space.organisation, *space.partner_organisations.all()]


def _space_org_ids(space: Space) -> list[int]:
    return [space.organisation_id, *space.partner_organisations.values_list("pk", flat=True)]


def roles_in_space_organisations(user: User | None, space: Space) -> set[str]:
    if not _is_authenticated(user):
        return set()
    return set(
        Membership.objects.filter(user=user, organisation_id__in=_space_org_ids(space)).values_list("role", flat=True)
    )


def is_organisation_moderator(user: User | None, organisation: Organisation) -> bool:
    if not _is_authenticated(user):
        return False
    assert user is not None
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, role__in=MODERATING_ROLES).exists()


def can_moderate(user: User | None, space: Space) -> bool:
    """Organisation moderators and coordinators of the space's organisations; peer hosts of a peer-led space."""
    if not _is_authenticated(user):
        return False
    assert user is not None
    if user.is_superuser or roles_in_space_organisations(user, space) & MODERATING_ROLES:
        return True
    return (
        space.governance == Governance.PEER_LED
        and SpaceMembership.objects.filter(space=space, user=user, role=SpaceRole.HOST).exists()
    )


def is_space_member(user: User | None, space: Space) -> bool:
    if not _is_authenticated(user):
        return False
    return SpaceMembership.objects.filter(space=space, user=user).exists()


def can_read(user: User | None, space: Space) -> bool:
    if space.visibility == SpaceVisibility.PUBLIC:
        return True
    if not _is_authenticated(user):
        return False
    assert user is not None
    if user.is_superuser or is_space_member(user, space):
        return True
    roles = roles_in_space_organisations(user, space)
    if space.visibility == SpaceVisibility.MEMBERS:
        return bool(roles)
    return bool(roles & MODERATING_ROLES)  # invite-only: invited people, and those who keep it safe


def active_restriction(
    user: User | None, *, organisation: Organisation | None = None, space: Space | None = None
) -> ModerationAction | None:
    """The mute, suspension or ban that stops `user` posting here now, if any (the latest-ending one)."""
    if not _is_authenticated(user):
        return None
    org_ids = _space_org_ids(space) if space is not None else [organisation.pk] if organisation else []
    now = timezone.now()
    actions = ModerationAction.objects.filter(
        subject=user, kind__in=RESTRICTING_KINDS, lifted_at__isnull=True, organisation_id__in=org_ids
    ).filter(Q(until__isnull=True) | Q(until__gt=now))
    if space is not None:
        # A mute given in one space applies there only; suspensions and bans cover the organisation.
        actions = actions.filter(Q(space__isnull=True) | Q(space=space) | ~Q(kind=ActionKind.MUTE))
    return actions.order_by("-kind", "-until").first()


def posting_refusal(user: User | None, space: Space) -> str | None:
    """Why `user` may not post in `space` now, in kind words; None if they may."""
    if not _is_authenticated(user):
        return "Please sign in to post. You can keep reading without an account."
    if space.status != SpaceStatus.OPEN:
        return "This space is archived: you can read it, but no one can post in it now."
    if not can_read(user, space):
        return NOT_FOUND
    if space.visibility == SpaceVisibility.MEMBERS and not (
        roles_in_space_organisations(user, space) or is_space_member(user, space)
    ):
        return "Only members of this space's organisations can post here."
    restriction = active_restriction(user, space=space)
    if restriction is not None:
        until = f" until {timezone.localtime(restriction.until):%-d %B %Y at %H:%M}" if restriction.until else ""
        return f"You can't post here{until}: a moderator {restriction.get_kind_display().lower()} you. " + (
            f"Their reason: {restriction.reason}"
        )
    return None


def can_post(user: User | None, space: Space) -> bool:
    return posting_refusal(user, space) is None


def get_space_for(user: User | None, slug: str, *, require: str = "read") -> Space:
    """`require` is "read", "post" or "moderate"."""
    space = Space.objects.select_related("organisation", "offer").filter(slug=slug).first()
    if space is None or not can_read(user, space):
        raise Http404(NOT_FOUND)
    if not space.archive_open and not can_moderate(user, space):
        raise Http404("This space was archived more than a year ago, so its conversations are no longer here.")
    if require == "post":
        refusal = posting_refusal(user, space)
        if refusal is not None:
            raise PermissionDenied(refusal)
    elif require == "moderate" and not can_moderate(user, space):
        raise PermissionDenied("Only this space's moderators can do that.")
    return space


def get_thread_for(user: User | None, public_id: str, *, require: str = "read") -> Thread:
    thread = Thread.objects.select_related("space", "space__organisation").filter(public_id=public_id).first()
    if thread is None:
        raise Http404("We couldn't find that conversation.")
    get_space_for(user, thread.space.slug, require=require)
    if not post_visible_to(user, thread.posts.filter(is_opening=True).first(), thread.space):
        raise Http404("We couldn't find that conversation.")
    return thread


def post_visible_to(user: User | None, post: Post | None, space: Space) -> bool:
    if post is None:
        return False
    if post.status == PostStatus.VISIBLE:
        return True
    if _is_authenticated(user) and user is not None and post.author_id == user.pk:
        return True  # authors see their own held or hidden posts, with why
    return can_moderate(user, space)


def get_post_for(user: User | None, public_id: str, *, require: str = "read") -> Post:
    post = Post.objects.select_related("thread", "thread__space").filter(public_id=public_id).first()
    if post is None:
        raise Http404("We couldn't find that post.")
    space = get_space_for(user, post.thread.space.slug, require="read")
    if not post_visible_to(user, post, space):
        raise Http404("We couldn't find that post.")
    if require == "author":
        if not _is_authenticated(user) or user is None or post.author_id != user.pk:
            raise PermissionDenied("Only the person who wrote this can change it.")
        if post.deleted_at is not None:
            raise PermissionDenied("This post has been deleted.")
    elif require == "moderate" and not can_moderate(user, space):
        raise PermissionDenied("Only this space's moderators can do that.")
    elif require == "post":
        get_space_for(user, space.slug, require="post")
    return post


def get_organisation_to_moderate(user: User | None, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not _is_authenticated(user):
        raise Http404("No such organisation.")
    assert user is not None
    if not user.is_superuser and not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise Http404("No such organisation.")
    if not is_organisation_moderator(user, organisation):
        raise PermissionDenied("Only this organisation's moderators can see its moderation queue.")
    return organisation


def get_report_for(user: User | None, public_id: str) -> Report:
    report = Report.objects.select_related("organisation", "space").filter(public_id=public_id).first()
    if report is None:
        raise Http404("We couldn't find that report.")
    # A network-wide space's reports are for the moderators of every organisation sharing it.
    if report.space is not None and roles_in_space_organisations(user, report.space) & MODERATING_ROLES:
        return report
    get_organisation_to_moderate(user, report.organisation.slug)
    return report


def get_action_for(user: User | None, public_id: str, *, as_author: bool = False) -> ModerationAction:
    """The person an action was about sees it (to appeal); the organisation's moderators see every action."""
    action = ModerationAction.objects.select_related("organisation").filter(public_id=public_id).first()
    if action is None or not _is_authenticated(user) or user is None:
        raise Http404("We couldn't find that.")
    if action.subject_id == user.pk:
        return action
    if not as_author and _moderates_shared_space(user, action.space):
        return action
    if as_author or not is_organisation_moderator(user, action.organisation):
        raise Http404("We couldn't find that.")  # a decision about someone else is theirs and the moderators'
    return action


def get_appeal_for(user: User | None, public_id: str) -> Appeal:
    appeal = Appeal.objects.select_related("action", "action__organisation").filter(public_id=public_id).first()
    if appeal is None:
        raise Http404("We couldn't find that appeal.")
    if _moderates_shared_space(user, appeal.action.space):
        return appeal  # a network-wide space's appeals are for the moderators of every organisation sharing it
    get_organisation_to_moderate(user, appeal.action.organisation.slug)
    return appeal


def _moderates_shared_space(user: User | None, space: Space | None) -> bool:
    return space is not None and bool(roles_in_space_organisations(user, space) & MODERATING_ROLES)
