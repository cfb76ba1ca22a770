"""What the online community tells the shared layer and the directory: the spaces a person has joined, which
listings are spaces still open and readable by the person, and conversations waiting for a first reply as a first
step into giving support.

Registered when the app loads (see apps.py); read through `kindred.commons.relations` and
`kindred.directory.form_facts`, never directly by another app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from kindred.accounts.models import User
from kindred.commons import relations
from kindred.commons.models import Engagement
from kindred.directory import form_facts
from kindred.directory.form_facts import OfferFacts, WayToGive
from kindred.directory.models import Offer, OfferKind

from .models import Post, PostStatus, Space, SpaceMembership, SpaceStatus, Thread
from .selectors import spaces_visible_to

NEWCOMER_WINDOW = timedelta(days=30)  # threads this recent without a reply are newcomers waiting
GIVE_REPLY = "give-reply"


def places(person: User) -> set[str]:
    """The online spaces the person has joined."""
    ids = SpaceMembership.objects.filter(user=person).values_list("space_id", flat=True)
    return {f"community.space:{pk}" for pk in ids}


class SpaceOfferFacts(OfferFacts):
    def open_to_join(self) -> Q:
        return Q(community_space__isnull=True) | Q(community_space__status=SpaceStatus.OPEN)

    def visible_to(self, person: User) -> Q:
        readable = spaces_visible_to(person).order_by().values_list("pk", flat=True)
        return Q(community_space__isnull=True) | Q(community_space__in=list(readable))

    def taken_by(self, person: User, engagements: Sequence[Engagement]) -> Q:
        content_type = ContentType.objects.get_for_model(Space).pk
        ids = [e.subject_id for e in engagements if e.subject_type_id == content_type and e.ended_at is None]
        return Q(community_space__pk__in=ids)

    def from_home(self) -> Q:
        return Q(kind=OfferKind.ONLINE_SPACE)

    def describe_from_home(self, offer: Offer) -> str | None:
        return "an online space you can read and post in" if offer.kind == OfferKind.ONLINE_SPACE else None

    def ways_to_give(self, person: User, *, now: datetime, limit: int) -> list[WayToGive]:
        replies = Post.objects.filter(thread=OuterRef("pk"), is_opening=False, status=PostStatus.VISIBLE)
        opening_visible = Post.objects.filter(thread=OuterRef("pk"), is_opening=True, status=PostStatus.VISIBLE)
        waiting = (
            Thread.objects.filter(space=OuterRef("pk"), created_at__gte=now - NEWCOMER_WINDOW, is_locked=False)
            .filter(~Exists(replies), Exists(opening_visible))
            .exclude(author=person)
        )
        readable = spaces_visible_to(person).order_by().values_list("pk", flat=True)
        spaces = (
            Space.objects.filter(pk__in=list(readable))
            .select_related("organisation")
            .annotate(waiting=Count("threads", filter=Q(threads__in=waiting.values("pk"))))
            .filter(waiting__gt=0)
            .order_by("-waiting", "name")[:limit]
        )
        out = []
        for space in spaces:
            count = space.waiting
            plural = "conversation is" if count == 1 else "conversations are"
            out.append(
                WayToGive(
                    key=f"{GIVE_REPLY}:{space.public_id}",
                    rule=GIVE_REPLY,
                    title=f"Reply to someone new in {space.name}",
                    reason=(
                        f": {count} {plural} in {space.name} still waiting for a first reply. "
                        "A few kind words can mean a lot."
                    ),
                    url=reverse("community:space", args=[space.slug]),
                    action="See the conversations",
                    organisation=space.organisation.name,
                )
            )
        return out


def register() -> None:
    relations.register_places(places)
    form_facts.register(SpaceOfferFacts())
