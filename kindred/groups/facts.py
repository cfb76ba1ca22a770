"""What groups tell the shared layer and the directory: the groups a person belongs to, which listings are groups
still meeting, the groups a person went to that closed, and being a welcome buddy as a first step into giving.

Registered when the app loads (see apps.py); read through `kindred.commons.relations` and
`kindred.directory.form_facts`, never directly by another app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from kindred.accounts.models import User
from kindred.commons import relations
from kindred.commons.models import EndReason, Engagement, Form
from kindred.directory import form_facts
from kindred.directory.form_facts import ClosedPlace, OfferFacts, WayToGive
from kindred.directory.models import Offer

from .models import Group, GroupMembership, GroupRole, GroupStatus, MembershipStatus

STAYING = (MembershipStatus.ACTIVE, MembershipStatus.PAUSED)
GIVE_BUDDY = "give-buddy"


def places(person: User) -> set[str]:
    """The groups the person belongs to now, or is taking a break from."""
    ids = GroupMembership.objects.filter(person=person, status__in=STAYING).values_list("group_id", flat=True)
    return {f"groups.group:{pk}" for pk in ids}


def _subjects(engagements: Sequence[Engagement], model: type, *, open_only: bool) -> list[str]:
    content_type = ContentType.objects.get_for_model(model).pk
    return [
        e.subject_id for e in engagements if e.subject_type_id == content_type and (e.ended_at is None or not open_only)
    ]


class GroupOfferFacts(OfferFacts):
    def open_to_join(self) -> Q:
        return Q(group__isnull=True) | Q(group__status=GroupStatus.ACTIVE, group__is_public=True)

    def taken_by(self, person: User, engagements: Sequence[Engagement]) -> Q:
        in_group = GroupMembership.objects.filter(group=OuterRef("group"), person=person).exclude(
            status=MembershipStatus.LEFT
        )
        return Q(group__pk__in=_subjects(engagements, Group, open_only=True)) | Q(Exists(in_group))

    def closed_places(self, engagements: Sequence[Engagement]) -> list[ClosedPlace]:
        # The engagement's subject is the group, or its listing when someone joined through a referral; closing a
        # group ends both with the reason "closed".
        group_type = ContentType.objects.get_for_model(Group).pk
        offer_type = ContentType.objects.get_for_model(Offer).pk
        ended = [e for e in engagements if e.form == Form.GROUP and e.end_reason == EndReason.CLOSED]
        group_ids = [e.subject_id for e in ended if e.subject_type_id == group_type]
        offer_ids = [int(e.subject_id) for e in ended if e.subject_type_id == offer_type and e.subject_id.isdigit()]
        if not group_ids and not offer_ids:
            return []
        closed = (
            Group.objects.filter(Q(pk__in=group_ids) | Q(offer__pk__in=offer_ids))
            .select_related("offer", "organisation")
            .order_by("-closed_at", "pk")
        )
        every_offer = frozenset(g.offer_id for g in closed)
        return [ClosedPlace(name=g.name, closed_at=g.closed_at, offer=g.offer, offer_ids=every_offer) for g in closed]

    def ways_to_give(self, person: User, *, now: datetime, limit: int) -> list[WayToGive]:
        memberships = GroupMembership.objects.filter(
            person=person, status=MembershipStatus.ACTIVE, role=GroupRole.MEMBER, group__status=GroupStatus.ACTIVE
        ).select_related("group__offer", "group__organisation")[:limit]
        return [
            WayToGive(
                key=f"{GIVE_BUDDY}:{m.group.public_id}",
                rule=GIVE_BUDDY,
                title=f"Be a welcome buddy at {m.group.name}",
                reason=(
                    f", and you already belong to {m.group.name}: a welcome buddy says hello to newcomers before their "
                    "first meeting. Ask the facilitator if you'd like to."
                ),
                url=reverse("groups:detail", args=[m.group.slug]),
                action="Go to the group",
                organisation=m.group.organisation.name,
            )
            for m in memberships
        ]


def register() -> None:
    relations.register_places(places)
    form_facts.register(GroupOfferFacts())
