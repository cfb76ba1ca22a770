"""Fetch group things only through these.

- A public group's page and meeting times: anyone. A private group: its members and its organisation's
  coordinators; everyone else gets 404 (we never say a private group exists).
- Facilitating (attendance, the round, notes, rota, schedule): the group's active facilitators and
  co-facilitators, and coordinators of the group's organisation. Members who may see get 403.
- Another organisation's coordinator is an outsider: 404 for anything private.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kindred.accounts.models import User
from kindred.organisations.models import Role
from kindred.organisations.selectors import roles_in

from .models import (
    FACILITATING_ROLES,
    LEADING_ROLES,
    Group,
    GroupMembership,
    Meeting,
    MembershipStatus,
)


@dataclass
class Viewer:
    """Who is looking at a group, worked out once per request."""

    user: User
    group: Group
    membership: GroupMembership | None
    is_coordinator: bool

    @property
    def is_member(self) -> bool:
        """An active or paused member: paused people keep their place and can still see the group."""
        return self.membership is not None and self.membership.status != MembershipStatus.LEFT

    @property
    def is_active_member(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.ACTIVE

    @property
    def is_facilitator(self) -> bool:
        return self.is_active_member and self.membership.role in FACILITATING_ROLES  # type: ignore[union-attr]

    @property
    def is_leading(self) -> bool:
        return self.is_active_member and self.membership.role in LEADING_ROLES  # type: ignore[union-attr]

    @property
    def can_facilitate(self) -> bool:
        return self.is_facilitator or self.is_coordinator

    @property
    def can_see(self) -> bool:
        return self.group.is_public or self.is_member or self.is_coordinator

    @property
    def can_see_incidents(self) -> bool:
        return self.can_facilitate


def viewer_for(user: User, group: Group) -> Viewer:
    membership = None
    coordinator = False
    if user.is_authenticated:
        membership = GroupMembership.objects.filter(group=group, person=user).first()
        coordinator = user.is_superuser or Role.COORDINATOR in roles_in(user, group.organisation)
    return Viewer(user=user, group=group, membership=membership, is_coordinator=coordinator)


def _check(viewer: Viewer, *, facilitate: bool, member: bool) -> None:
    if not viewer.can_see:
        raise Http404("No such group.")
    if facilitate and not viewer.can_facilitate:
        if viewer.is_member:
            raise PermissionDenied("Only the group's facilitators can do that.")
        raise Http404("No such group.")
    if member and not (viewer.is_member or viewer.is_coordinator):
        if viewer.group.is_public:
            raise PermissionDenied("Please join the group first.")
        raise Http404("No such group.")


def get_group_for(user: User, slug: str, *, facilitate: bool = False, member: bool = False) -> tuple[Group, Viewer]:
    group = Group.objects.select_related("organisation", "offer").filter(slug=slug).first()
    if group is None:
        raise Http404("No such group.")
    viewer = viewer_for(user, group)
    _check(viewer, facilitate=facilitate, member=member)
    return group, viewer


def get_meeting_for(
    user: User, public_id: object, *, facilitate: bool = False, member: bool = False
) -> tuple[Meeting, Viewer]:
    try:
        meeting = (
            Meeting.objects.select_related("group", "group__organisation", "group__offer", "series")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError) as exc:  # not a UUID
        raise Http404("No such meeting.") from exc
    if meeting is None:
        raise Http404("No such meeting.")
    viewer = viewer_for(user, meeting.group)
    _check(viewer, facilitate=facilitate, member=member)
    return meeting, viewer


def get_membership_in(viewer: Viewer, public_id: object) -> GroupMembership:
    """A membership of the viewer's group, for someone who facilitates it."""
    if not viewer.can_facilitate:
        raise PermissionDenied("Only the group's facilitators can do that.")
    try:
        membership = (
            GroupMembership.objects.select_related("person").filter(group=viewer.group, public_id=public_id).first()
        )
    except (ValueError, TypeError) as exc:
        raise Http404("No such member.") from exc
    if membership is None:
        raise Http404("No such member.")
    return membership
