"""Gentle, explainable suggestions of other forms of support, drawn from the directory.

Each rule looks at the person's own journey (engagements, status, housebound flag) and proposes a few listed
offers, saying why in plain words. Nothing here is shown to anyone but the person; a dismissed suggestion (keyed by
rule and offer) never comes back. Things the person is already in, closed or archived offers and offers they can't
see are never suggested. A fixed number of queries, whatever the length of the journey.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons.models import EndReason, Engagement, EngagementRole, Form
from kindred.community.models import Post, PostStatus, Space, SpaceStatus, Thread
from kindred.community.selectors import spaces_visible_to
from kindred.directory.models import Delivery, Offer, OfferKind, OfferStatus
from kindred.groups.models import Group, GroupMembership, GroupRole, GroupStatus, MembershipStatus
from kindred.onetoone.models import Match, SchemeKind

from .models import JourneyStatus
from .selectors import CurrentStatus, dismissed_keys

READING_FOR = timedelta(days=90)  # "reading online for months"
NEWCOMER_WINDOW = timedelta(days=30)  # threads this recent without a reply are newcomers waiting
PER_RULE = 3
CACHE_SECONDS = 300


class Rule:
    READING_TO_GROUP = "reading-group"
    HOUSEBOUND = "from-home"
    GROUP_CLOSED = "group-closed"
    GIVE_BUDDY = "give-buddy"
    GIVE_REPLY = "give-reply"
    GIVE_VOLUNTEER = "give-volunteer"


@dataclass(frozen=True)
class Suggestion:
    key: str  # "<rule>:<public id>", stable, what a dismissal stores
    rule: str
    title: str
    reason: str  # why, in plain words
    url: str
    action: str  # the link's words
    organisation: str


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%B %Y")


def _listed() -> QuerySet[Offer]:
    """Offers anyone may see and join: published, not a closing, closed or private group, not an archived space."""
    return Offer.objects.filter(
        Q(status=OfferStatus.PUBLISHED),
        Q(group__isnull=True) | Q(group__status=GroupStatus.ACTIVE, group__is_public=True),
        Q(community_space__isnull=True) | Q(community_space__status=SpaceStatus.OPEN),
    ).select_related("organisation")


def _visible_to(offers: QuerySet[Offer], readable_space_ids: list[int]) -> QuerySet[Offer]:
    """An online space's listing only when the person could read the space."""
    return offers.filter(Q(community_space__isnull=True) | Q(community_space__in=readable_space_ids))


def _offer_suggestion(rule: str, offer: Offer, reason: str, action: str = "Find out more") -> Suggestion:
    return Suggestion(
        key=f"{rule}:{offer.public_id}",
        rule=rule,
        title=offer.title,
        reason=reason,
        url=reverse("directory:offer", args=[offer.slug]),
        action=action,
        organisation=offer.organisation.name,
    )


def _from_home(offer: Offer) -> str:
    """What a from-home offer is, in a few words: an online space, or one-to-one support by phone or video."""
    if offer.kind == OfferKind.ONLINE_SPACE:
        return "an online space you can read and post in"
    how = "by video" if offer.delivery == Delivery.VIDEO else "by phone"
    scheme = getattr(offer, "scheme", None)  # a listed scheme without a Kindred scheme behind it has none
    if scheme is None or scheme.kind == SchemeKind.BEFRIENDING:
        return f"befriending {how}"
    return f"{scheme.get_kind_display().lower()} {how}"


def _subjects(engagements: list[Engagement], model: type, *, open_only: bool = True) -> list[str]:
    content_type = ContentType.objects.get_for_model(model)
    return [
        e.subject_id
        for e in engagements
        if e.subject_type_id == content_type.pk and (e.ended_at is None or not open_only)
    ]


def _offers_already_in(person: User, engagements: list[Engagement]) -> set[int]:
    """Offer ids behind the person's open engagements, and groups they are a member of (one query)."""
    offer_ids = {int(i) for i in _subjects(engagements, Offer) if i.isdigit()}
    group_ids = _subjects(engagements, Group)
    space_ids = _subjects(engagements, Space)
    match_ids = _subjects(engagements, Match)
    in_group = GroupMembership.objects.filter(group=OuterRef("group"), person=person).exclude(
        status=MembershipStatus.LEFT
    )
    found = Offer.objects.filter(
        Q(pk__in=offer_ids)
        | Q(group__pk__in=group_ids)
        | Q(community_space__pk__in=space_ids)
        | Q(scheme__matches__pk__in=match_ids)
        | Q(Exists(in_group))
    ).values_list("pk", flat=True)
    return set(found)


def _fingerprint(person: User, engagements: list[Engagement], status: CurrentStatus) -> str:
    """Changes whenever anything the rules read about the person changes (not the directory: see CACHE_SECONDS)."""
    latest = max((max(e.last_active_at, e.ended_at or e.last_active_at) for e in engagements), default=None)
    parts = (
        person.pk,
        len(engagements),
        max((e.pk for e in engagements), default=0),
        latest.isoformat() if latest else "",
        sum(1 for e in engagements if e.ended_at is None),
        status.status,
        status.since.isoformat() if status.since else "",
        status.housebound,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def suggestions_for(
    person: User,
    *,
    engagements: list[Engagement],
    status: CurrentStatus,
    now: datetime | None = None,
    use_cache: bool = True,
) -> list[Suggestion]:
    """The person's suggestions, without the ones they dismissed.

    The rules' answer is cached for a few minutes per person, keyed on what the rules read about them, so a change
    of status or a new engagement shows at once; new or closed offers in the directory show within CACHE_SECONDS.
    Dismissals are applied after the cache, so "not for me" always takes effect immediately.
    """
    dismissed = dismissed_keys(person)
    key = f"journey:suggestions:{_fingerprint(person, engagements, status)}"
    found = cache.get(key) if use_cache else None
    if found is None:
        found = _suggest(person, engagements=engagements, status=status, now=now or timezone.now())
        if use_cache:
            cache.set(key, found, CACHE_SECONDS)
    return [s for s in found if s.key not in dismissed]


def _suggest(
    person: User,
    *,
    engagements: list[Engagement],
    status: CurrentStatus,
    now: datetime,
) -> list[Suggestion]:
    taken = _offers_already_in(person, engagements)
    readable = list(spaces_visible_to(person).order_by().values_list("pk", flat=True))  # once, not per rule
    out: list[Suggestion] = []
    seen: set[str] = set()

    def add(suggestion: Suggestion) -> None:
        if suggestion.key in seen:
            return
        seen.add(suggestion.key)
        out.append(suggestion)

    def candidates(offers: QuerySet[Offer]) -> QuerySet[Offer]:
        return _visible_to(offers, readable).exclude(pk__in=taken)

    my_orgs = {e.organisation_id for e in engagements if e.organisation_id}

    # (a) Only reading online, for months, and never a group: a group you can join from home, where you can just
    # listen. "Only reading": still reading somewhere, and never posted (posting is recorded as receiving or giving).
    online = [e for e in engagements if e.form == Form.ONLINE]
    reading = [e for e in online if e.role == EngagementRole.READING]
    only_reading = bool(reading) and all(e.role == EngagementRole.READING for e in online)
    still_reading = any(e.ended_at is None for e in reading)
    ever_group = any(e.form == Form.GROUP for e in engagements)
    if only_reading and still_reading and not ever_group:
        since = min(e.started_at for e in reading)
        if now - since >= READING_FOR:
            offers = candidates(_listed().filter(kind=OfferKind.GROUP, delivery__in=[Delivery.HYBRID, Delivery.VIDEO]))
            ranked = sorted(
                offers[:20],
                key=lambda o: (
                    o.organisation_id not in my_orgs,
                    o.delivery != Delivery.HYBRID,  # hybrid first: from home now, in the room later if they like
                    not o.can_just_listen,
                    o.title,
                ),
            )
            for offer in ranked[:PER_RULE]:
                listen = " You can just listen." if offer.can_just_listen else ""
                how = "by video" if offer.delivery == Delivery.VIDEO else "in person or by video"
                add(
                    _offer_suggestion(
                        Rule.READING_TO_GROUP,
                        offer,
                        f"Because you've been reading online since {_month(since)} and haven't tried a group yet, "
                        f"a group you can join {how} might be a gentle next step.{listen}",
                    )
                )

    # (b) Mostly at home: an online space, or befriending by phone.
    if status.housebound:
        offers = candidates(
            _listed()
            .filter(
                Q(kind=OfferKind.ONLINE_SPACE)
                | Q(kind=OfferKind.SCHEME, delivery=Delivery.PHONE)
                | Q(
                    kind=OfferKind.SCHEME,
                    scheme__kind=SchemeKind.BEFRIENDING,
                    delivery__in=[Delivery.PHONE, Delivery.VIDEO],
                )
            )
            .select_related("scheme")
        )
        ranked = sorted(
            offers[:20], key=lambda o: (o.organisation_id not in my_orgs, o.kind != OfferKind.SCHEME, o.title)
        )
        for offer in ranked[:PER_RULE]:
            what = _from_home(offer)
            add(
                _offer_suggestion(
                    Rule.HOUSEBOUND,
                    offer,
                    f"Because you said you're mostly at home at the moment, this is {what} — "
                    "something you can do without going out.",
                )
            )

    # (c) A group they went to closed: groups of a similar kind (same organisation, area or topic).
    # The engagement's subject is the group, or its listing when someone joined through a referral; closing a group
    # ends both with the reason "closed".
    group_type = ContentType.objects.get_for_model(Group).pk
    offer_type = ContentType.objects.get_for_model(Offer).pk
    ended_by_closing = [e for e in engagements if e.form == Form.GROUP and e.end_reason == EndReason.CLOSED]
    closed_group_ids = [e.subject_id for e in ended_by_closing if e.subject_type_id == group_type]
    closed_offer_ids = [
        int(e.subject_id) for e in ended_by_closing if e.subject_type_id == offer_type and e.subject_id.isdigit()
    ]
    if closed_group_ids or closed_offer_ids:
        closed_groups = list(
            Group.objects.filter(Q(pk__in=closed_group_ids) | Q(offer__pk__in=closed_offer_ids))
            .select_related("offer", "organisation")
            .order_by("-closed_at", "pk")
        )
        closed_ids = [group.pk for group in closed_groups]
        if closed_groups:
            similar = Q()
            for group in closed_groups:
                similar |= Q(organisation_id=group.organisation_id)
                if group.offer.town:
                    similar |= Q(town__iexact=group.offer.town)
                if group.offer.region:
                    similar |= Q(region__iexact=group.offer.region)
                if group.offer.experience_focus:
                    similar |= Q(experience_focus__iexact=group.offer.experience_focus)
            offers = list(
                candidates(_listed().filter(kind=OfferKind.GROUP).filter(similar).exclude(group__pk__in=closed_ids))[
                    :30
                ]
            )
            for group in closed_groups:
                closed = group.offer

                def score(offer: Offer, closed: Offer = closed) -> tuple[int, str]:
                    points = 0
                    points += (
                        3
                        if closed.experience_focus and offer.experience_focus.lower() == closed.experience_focus.lower()
                        else 0
                    )
                    points += 2 if offer.organisation_id == closed.organisation_id else 0
                    points += 1 if closed.town and offer.town.lower() == closed.town.lower() else 0
                    return (-points, offer.title)

                for offer in sorted(offers, key=score)[:PER_RULE]:
                    why = []
                    if closed.experience_focus and offer.experience_focus.lower() == closed.experience_focus.lower():
                        why.append(f"is also for people with experience of {offer.experience_focus}")
                    if offer.organisation_id == closed.organisation_id:
                        why.append(f"is run by {offer.organisation.name} too")
                    if closed.town and offer.town.lower() == closed.town.lower():
                        why.append(f"meets in {offer.town}")
                    elif closed.region and offer.region.lower() == closed.region.lower():
                        why.append(f"is in the same area ({offer.region})")
                    when = f" in {_month(group.closed_at)}" if group.closed_at else ""
                    add(
                        _offer_suggestion(
                            Rule.GROUP_CLOSED,
                            offer,
                            f"Because {group.name} closed{when}, here is another group that "
                            f"{_and(why) or 'is similar'}.",
                        )
                    )

    # (d) Able to give support: first small steps into giving.
    if status.status == JourneyStatus.ABLE_TO_GIVE:
        since = f" since {_month(status.since)}" if status.since else ""
        memberships = list(
            GroupMembership.objects.filter(
                person=person, status=MembershipStatus.ACTIVE, role=GroupRole.MEMBER, group__status=GroupStatus.ACTIVE
            ).select_related("group__offer", "group__organisation")[:PER_RULE]
        )
        for membership in memberships:
            group = membership.group
            add(
                Suggestion(
                    key=f"{Rule.GIVE_BUDDY}:{group.public_id}",
                    rule=Rule.GIVE_BUDDY,
                    title=f"Be a welcome buddy at {group.name}",
                    reason=(
                        f"Because you've said you're able to give support{since}, and you already belong to "
                        f"{group.name}: a welcome buddy says hello to newcomers before their first meeting. "
                        "Ask the facilitator if you'd like to."
                    ),
                    url=reverse("groups:detail", args=[group.slug]),
                    action="Go to the group",
                    organisation=group.organisation.name,
                )
            )
        recent = now - NEWCOMER_WINDOW
        replies = Post.objects.filter(thread=OuterRef("pk"), is_opening=False, status=PostStatus.VISIBLE)
        opening_visible = Post.objects.filter(thread=OuterRef("pk"), is_opening=True, status=PostStatus.VISIBLE)
        waiting = (
            Thread.objects.filter(space=OuterRef("pk"), created_at__gte=recent, is_locked=False)
            .filter(~Exists(replies), Exists(opening_visible))
            .exclude(author=person)
        )
        spaces = (
            Space.objects.filter(pk__in=readable)
            .select_related("organisation")
            .annotate(waiting=Count("threads", filter=Q(threads__in=waiting.values("pk"))))
            .filter(waiting__gt=0)
            .order_by("-waiting", "name")[:PER_RULE]
        )
        for space in spaces:
            plural = "conversation is" if space.waiting == 1 else "conversations are"
            add(
                Suggestion(
                    key=f"{Rule.GIVE_REPLY}:{space.public_id}",
                    rule=Rule.GIVE_REPLY,
                    title=f"Reply to someone new in {space.name}",
                    reason=(
                        f"Because you've said you're able to give support{since}: {space.waiting} {plural} "
                        f"in {space.name} still waiting for a first reply. A few kind words can mean a lot."
                    ),
                    url=reverse("community:space", args=[space.slug]),
                    action="See the conversations",
                    organisation=space.organisation.name,
                )
            )
        volunteering = candidates(
            _listed()
            .filter(kind=OfferKind.SCHEME, scheme__accepting_requests=True)
            .exclude(scheme__kind=SchemeKind.PSW)
        )
        ranked = sorted(volunteering[:20], key=lambda o: (o.organisation_id not in my_orgs, o.title))
        for offer in ranked[:2]:
            add(
                _offer_suggestion(
                    Rule.GIVE_VOLUNTEER,
                    offer,
                    f"Because you've said you're able to give support{since}: {offer.title} looks for volunteers "
                    "to befriend or mentor someone, with training and support from the organisation.",
                    action="Find out about volunteering",
                )
            )
    return out
