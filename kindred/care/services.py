"""Writes for supporter care (check-ins, step back and come back, the facilitators' network) and incidents.

Who sees a shared check-in ("their supervisor"): the person's supervisors in that organisation — the open
`SupervisionAssignment`s (kindred.onetoone) held by someone who is still a supervisor there. An organisation that
has assigned no supervisor to a facilitator (common in small groups) is served by its coordinators instead: the
people who already look after its volunteers. The check-in form names these people before anything is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Membership, Organisation, Role

from . import messages
from .models import (
    PERSON_STEPS,
    DebriefOffer,
    FacilitatorsNetwork,
    Feeling,
    Incident,
    IncidentHandler,
    IncidentKind,
    IncidentLogEntry,
    IncidentStatus,
    IncidentStep,
    PostventionResource,
    StepBack,
    StepKey,
    SupporterCheckIn,
)
from .selectors import (
    DEFAULT_RESOURCES,
    NETWORK_ROLES,
    SUPPORTING_ROLES,
    can_handle,
    is_incident_coordinator,
    postvention_resources_of,
)


class CareError(AppError):
    """A kind, plain message for the person; nothing has been changed."""


def _coordinators(organisation: Organisation, *, exclude: User | None = None) -> list[User]:
    people = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.COORDINATOR, is_active=True
    ).distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.order_by("display_name"))


# --- Check-ins --------------------------------------------------------------------------------------------------


def supervisors_for(worker: User, organisation: Organisation | None) -> list[User]:
    """Who a shared check-in goes to (see the module docstring)."""
    from kindred.onetoone.models import SupervisionAssignment
    from kindred.onetoone.practice import supervisors_of

    if organisation is None:
        organisations = Organisation.objects.filter(
            supervision_assignments__supervisee=worker, supervision_assignments__ended_at__isnull=True
        ).distinct()
        people: dict[int, User] = {}
        for org in organisations:
            for person in supervisors_of(worker, org):
                people[person.pk] = person
        return list(people.values())
    supervisors = [s for s in supervisors_of(worker, organisation) if s.pk != worker.pk]
    if supervisors:
        return supervisors
    if SupervisionAssignment.objects.filter(
        organisation=organisation, supervisee=worker, ended_at__isnull=True
    ).exists():
        return []  # assigned, but the supervisor no longer holds the role: nobody else should see it
    return _coordinators(organisation, exclude=worker)


def checkin_context_organisation(*, session: Any = None, meeting: Any = None) -> Organisation | None:
    if session is not None:
        return session.match.scheme.organisation
    if meeting is not None:
        return meeting.group.organisation
    return None


def checkin_record(
    *,
    actor: User,
    feeling: int,
    note: str = "",
    would_like_to_talk: bool = False,
    share_with_supervisor: bool = False,
    session: Any = None,
    meeting: Any = None,
) -> SupporterCheckIn:
    """The one "how are you after this?" check-in, for groups, one-to-one and any time.

    Private unless `share_with_supervisor`. Asking to talk tells the supervisor(s) that you'd like a chat — not
    what you wrote, unless you also share the check-in.
    """
    from kindred.groups.access import viewer_for

    if feeling not in Feeling.values:
        raise CareError("Please choose how you are feeling, from rough to really good.", field="feeling")
    if session is not None and meeting is not None:
        raise CareError("A check-in can be about one session or one meeting, not both.")
    if session is not None and session.match.supporter_id != actor.pk:
        raise Http404("No such session.")
    if meeting is not None and not viewer_for(actor, meeting.group).can_facilitate:
        raise Http404("No such meeting.")
    note = (note or "").strip()
    if len(note) > 1000:
        raise CareError("Please keep the note under 1,000 characters.", field="note")
    organisation = checkin_context_organisation(session=session, meeting=meeting)
    checkin = SupporterCheckIn(
        worker=actor,
        organisation=organisation,
        session=session,
        meeting=meeting,
        feeling=feeling,
        note=note,
        would_like_to_talk=would_like_to_talk,
        shared_with_supervisor=share_with_supervisor,
    )
    with transaction.atomic():
        checkin.save()
        told = []
        if share_with_supervisor or would_like_to_talk:
            told = supervisors_for(actor, organisation)
            url = reverse("care:shared")
            if would_like_to_talk:
                reach.send_to_team(
                    people=told,
                    kind=messages.CHECKIN,
                    sender=actor,
                    title=f"{actor.display_name} would like to talk",
                    body=(
                        "They asked for a chat after giving support. "
                        + (
                            "They shared their check-in with you."
                            if share_with_supervisor
                            else "They kept the rest of their check-in private."
                        )
                    ),
                    url=url if share_with_supervisor else "",
                    email=True,
                )
            else:
                reach.send_to_team(
                    people=told,
                    kind=messages.CHECKIN,
                    sender=actor,
                    title=f"{actor.display_name} shared a check-in with you",
                    body="A short check-in after giving support, shared so you can look out for them.",
                    url=url,
                )
        audit_record(
            actor=actor,
            action="care.checkin",
            subject=checkin,
            organisation=organisation,
            detail={"shared": share_with_supervisor, "talk": would_like_to_talk, "told": len(told)},
        )
    return checkin


def checkin_unshare(*, actor: User, checkin: SupporterCheckIn) -> SupporterCheckIn:
    if checkin.worker_id != actor.pk:
        raise Http404("No such check-in.")
    with transaction.atomic():
        checkin.shared_with_supervisor = False
        checkin.save(update_fields=["shared_with_supervisor"])
        audit_record(actor=actor, action="care.checkin_unshared", subject=checkin, organisation=checkin.organisation)
    return checkin


def shared_checkins_viewed(*, supervisor: User, count: int) -> None:
    audit_record(actor=supervisor, action="care.shared_checkins_viewed", detail={"count": count})


# --- Step back and come back ------------------------------------------------------------------------------------


def _organisations_involved(person: User, profiles: list[Any], meetings: list[Any]) -> list[Organisation]:
    from kindred.groups.models import FACILITATING_ROLES, GroupMembership, MembershipStatus

    ids = set(
        Membership.objects.filter(user=person, role__in=SUPPORTING_ROLES).values_list("organisation_id", flat=True)
    )
    ids |= set(
        GroupMembership.objects.filter(
            person=person, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
        ).values_list("group__organisation_id", flat=True)
    )
    ids |= {p.scheme.organisation_id for p in profiles if p.scheme_id}
    ids |= {m.group.organisation_id for m in meetings}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return local.strftime("%A %-d %B at %-I:%M%p").replace(":00", "").replace("AM", "am").replace("PM", "pm")


def _release_rota(person: User, now: datetime) -> list[Any]:
    """Free every coming rota slot `person` holds; tell each group's other facilitators of gaps in the rota window."""
    from kindred.groups.models import RotaSlot
    from kindred.groups.services import ROTA_GAP, ROTA_LOOKAHEAD_DAYS, _facilitators

    slots = list(
        RotaSlot.objects.filter(facilitator=person, meeting__starts_at__gt=now)
        .select_related("meeting", "meeting__group", "meeting__group__organisation")
        .order_by("meeting__starts_at")
    )
    by_group: dict[int, list[Any]] = {}
    soon = now + timedelta(days=ROTA_LOOKAHEAD_DAYS)
    for slot in slots:
        slot.facilitator = None
        slot.gap_notified_at = now if slot.meeting.starts_at <= soon else None
        slot.save(update_fields=["facilitator", "gap_notified_at", "updated_at"])
        if slot.meeting.starts_at <= soon:
            by_group.setdefault(slot.meeting.group_id, []).append(slot.meeting)
    for gaps in by_group.values():
        group = gaps[0].group
        dates = ", ".join(_when(m.starts_at) for m in gaps)
        others = [f for f in _facilitators(group) if f.pk != person.pk]
        for other in reach.reachable(others, ROTA_GAP):
            reach.send(
                to=other,
                kind=ROTA_GAP,
                title=f"{group.name}: nobody is down to facilitate yet",
                body=f"These meetings need a facilitator: {dates}. Could you take one?",
                url=reverse("groups:rota", args=[group.slug]),
                email=True,
            )
    return [s.meeting for s in slots]


def step_back(*, actor: User, note: str = "", end_current_relationships: bool = False) -> StepBack:
    """Pause rota slots, new one-to-one matches and emails in one action; tell each organisation's coordinators.

    Current relationships carry on unless `end_current_relationships`. Everything is recorded so that
    `come_back` can reverse it (rota slots are freed, not handed back silently: coming back lists them).
    """
    from kindred.onetoone.models import SupporterProfile, SupporterStatus
    from kindred.onetoone.services import supporter_set_status

    if not actor.is_authenticated:
        raise Http404
    if StepBack.objects.filter(person=actor, ended_at__isnull=True).exists():
        raise CareError("You've already stepped back. You can come back whenever you're ready.")
    note = (note or "").strip()
    if len(note) > 1000:
        raise CareError("Please keep the note under 1,000 characters.", field="note")
    now = timezone.now()
    with transaction.atomic():
        record = StepBack.objects.create(person=actor, note=note, paused={})
        meetings = _release_rota(actor, now)
        reach.state_step_back(person=actor, at=now)
    # The one-to-one service runs in its own (durable) transaction, per profile; it releases pending proposals,
    # optionally ends current relationships and tells the scheme's coordinators itself.
    profiles = list(SupporterProfile.objects.filter(user=actor).select_related("scheme", "scheme__organisation"))
    paused_profiles = []
    for profile in profiles:
        if profile.status == SupporterStatus.STEPPING_BACK and not end_current_relationships:
            continue
        paused_profiles.append({"id": profile.pk, "previous": profile.status})
        supporter_set_status(
            actor=actor, profile=profile, status=SupporterStatus.STEPPING_BACK, end_current=end_current_relationships
        )
    organisations = _organisations_involved(actor, profiles, meetings)
    with transaction.atomic():
        record.paused = {
            "profiles": [p for p in paused_profiles if p["previous"] != SupporterStatus.STEPPING_BACK],
            "released_meetings": [str(m.public_id) for m in meetings],
            "organisations": [o.pk for o in organisations],
            "ended_relationships": bool(end_current_relationships),
        }
        record.save(update_fields=["paused"])
        for organisation in organisations:
            released_here = [m for m in meetings if m.group.organisation_id == organisation.pk]
            rota_text = (
                f" They were down to facilitate {len(released_here)} coming meeting(s); those are now gaps on the "
                "rota and the groups' other facilitators have been told."
                if released_here
                else ""
            )
            reach.send_to_team(
                people=_coordinators(organisation, exclude=actor),
                kind=messages.STEP_BACK,
                sender=actor,
                title=f"{actor.display_name} is stepping back for a while",
                body=(
                    "They've paused giving support in Kindred: no new one-to-one matches and no emails for now."
                    + rota_text
                    + (
                        " They chose to end their current one-to-one relationships; those people may need a new match."
                        if end_current_relationships
                        else " Their current relationships carry on."
                    )
                    + " A kind word may help; there's no need to ask why."
                ),
                url="",
                email=True,
            )
            audit_record(
                actor=actor,
                action="care.step_back",
                subject=record,
                organisation=organisation,
                detail={"released_meetings": len(released_here), "ended_relationships": end_current_relationships},
            )
        if not organisations:
            audit_record(actor=actor, action="care.step_back", subject=record, detail={})
        reach.send(
            to=actor,
            kind=messages.YOU_STEPPED_BACK,
            title="You've stepped back",
            body="Take the time you need. When you're ready, you can come back from your care page.",
            url=reverse("care:home"),
        )
    return record


@dataclass
class ComeBack:
    step_back: StepBack
    meetings_to_pick_up: list[Any]
    restored_profiles: int


def meetings_to_pick_up(record: StepBack, now: datetime | None = None) -> list[Any]:
    """The meetings released when stepping back that still need a facilitator and are still to come."""
    from kindred.groups.models import FACILITATING_ROLES, GroupMembership, Meeting, MeetingStatus, MembershipStatus

    now = now or timezone.now()
    ids = record.paused.get("released_meetings", []) if record.paused else []
    if not ids:
        return []
    still_facilitating = GroupMembership.objects.filter(
        person=record.person, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
    ).values("group")
    return list(
        Meeting.objects.filter(public_id__in=ids, starts_at__gt=now, group__in=still_facilitating)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Q(rota__isnull=True) | Q(rota__facilitator__isnull=True))
        .select_related("group")
        .order_by("starts_at")
    )


def come_back(*, actor: User) -> ComeBack:
    """Reverse a step back: restore one-to-one availability and emails, and list the meetings they could pick up."""
    from kindred.onetoone.models import SupporterProfile, SupporterStatus
    from kindred.onetoone.services import supporter_set_status

    record = StepBack.objects.filter(person=actor, ended_at__isnull=True).first() if actor.is_authenticated else None
    if record is None:
        raise CareError("You haven't stepped back, so there's nothing to come back from.")
    restored = 0
    for item in record.paused.get("profiles", []):
        profile = SupporterProfile.objects.filter(pk=item.get("id"), user=actor).select_related("scheme").first()
        previous = item.get("previous")
        if profile is None or previous not in SupporterStatus.values or profile.status != SupporterStatus.STEPPING_BACK:
            continue
        supporter_set_status(actor=actor, profile=profile, status=previous)
        restored += 1
    now = timezone.now()
    with transaction.atomic():
        record.ended_at = now
        record.save(update_fields=["ended_at"])
        reach.state_come_back(person=actor)
        organisations = Organisation.objects.filter(pk__in=record.paused.get("organisations", []))
        for organisation in organisations:
            reach.send_to_team(
                people=_coordinators(organisation, exclude=actor),
                kind=messages.COME_BACK,
                sender=actor,
                title=f"{actor.display_name} is back",
                body="They're ready to give support again. Their rota slots were not handed back automatically.",
                url="",
                email=True,
            )
            audit_record(actor=actor, action="care.come_back", subject=record, organisation=organisation)
        if not organisations:
            audit_record(actor=actor, action="care.come_back", subject=record)
    return ComeBack(step_back=record, meetings_to_pick_up=meetings_to_pick_up(record, now), restored_profiles=restored)


def last_come_back(person: User) -> StepBack | None:
    """The step back the person most recently came back from (None while stepped back, or if never)."""
    if not person.is_authenticated or StepBack.objects.filter(person=person, ended_at__isnull=True).exists():
        return None
    return StepBack.objects.filter(person=person, ended_at__isnull=False).order_by("-ended_at", "-id").first()


def pick_up_meetings(*, actor: User, meeting_ids: list[str]) -> list[Any]:
    """After coming back: put the person back on the rota for the meetings they choose, of those released when
    they stepped back that still need someone. Anything else (another meeting, one taken meanwhile) is refused
    kindly and nothing changes."""
    from kindred.groups.services import GroupError, rota_assign

    record = last_come_back(actor)
    if record is None:
        raise CareError("There are no meetings from before your break to pick up.")
    wanted = {str(m) for m in meeting_ids if str(m).strip()}
    if not wanted:
        raise CareError("Please tick the meetings you'd like to take back.", field="meeting")
    available = {str(m.public_id): m for m in meetings_to_pick_up(record)}
    if not wanted <= set(available):
        raise CareError(
            "Some of those meetings aren't yours to pick up any more — someone may have taken them. "
            "Please choose again from the list.",
            field="meeting",
        )
    chosen = sorted((available[m] for m in wanted), key=lambda m: m.starts_at)
    try:
        with transaction.atomic():
            for meeting in chosen:
                rota_assign(actor=actor, meeting=meeting, facilitator=actor)
            by_organisation: dict[int, list[Any]] = {}
            for meeting in chosen:
                by_organisation.setdefault(meeting.group.organisation_id, []).append(meeting)
            for meetings in by_organisation.values():
                audit_record(
                    actor=actor,
                    action="care.rota_picked_up",
                    subject=record,
                    organisation=meetings[0].group.organisation,
                    detail={"meetings": [str(m.public_id) for m in meetings]},
                )
    except GroupError as error:
        raise CareError(str(error), field="meeting") from error
    return chosen


# --- Facilitators' network --------------------------------------------------------------------------------------

NETWORK_RULES = (
    "This is a space for the people who give support in {org}: facilitators, peer support workers, peer "
    "volunteers and coordinators.\n\n"
    "- What's shared here stays here. Don't name members of your groups or the people you support.\n"
    "- Be kind: everyone here is giving their time and care.\n"
    "- It's fine to say you're finding things hard. If you need to talk to someone now, use your care page's "
    "check-in, or the crisis contacts at the top of every page."
)


def network_members(organisation: Organisation) -> set[int]:
    """Who belongs in the network: holders of a supporting role in the organisation, and everyone facilitating or
    co-facilitating one of its groups (a group role given by the group's own facilitators counts too)."""
    from kindred.groups.models import FACILITATING_ROLES, GroupMembership, MembershipStatus

    by_role = set(
        Membership.objects.filter(organisation=organisation, role__in=NETWORK_ROLES, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    by_group = set(
        GroupMembership.objects.filter(
            group__organisation=organisation,
            status=MembershipStatus.ACTIVE,
            role__in=FACILITATING_ROLES,
            person__is_active=True,
        ).values_list("person_id", flat=True)
    )
    return by_role | by_group


def network_sync(network: FacilitatorsNetwork) -> tuple[int, int]:
    """Make the space's membership follow roles: add holders of a network role, remove those who no longer hold one.

    Peer hosts (added by a moderator) are treated the same as members: access follows the role.
    """
    from kindred.community.models import SpaceMembership, SpaceRole

    wanted = network_members(network.organisation)
    have = set(SpaceMembership.objects.filter(space=network.space).values_list("user_id", flat=True))
    add = wanted - have
    remove = have - wanted
    SpaceMembership.objects.bulk_create(
        [SpaceMembership(space=network.space, user_id=pk, role=SpaceRole.MEMBER) for pk in add],
        ignore_conflicts=True,
    )
    if remove:
        SpaceMembership.objects.filter(space=network.space, user_id__in=remove).delete()
    return len(add), len(remove)


def network_for(organisation: Organisation) -> FacilitatorsNetwork | None:
    return FacilitatorsNetwork.objects.select_related("space", "organisation").filter(organisation=organisation).first()


def network_ensure(*, actor: User, organisation: Organisation) -> FacilitatorsNetwork:
    """The organisation's facilitators' network, created on first visit by anyone who may be in it."""
    from kindred.community.models import SpaceVisibility
    from kindred.community.services import space_create

    if actor.pk not in network_members(organisation) and not actor.is_superuser:
        raise Http404("No such network.")
    network = network_for(organisation)
    if network is None:
        with transaction.atomic():
            space = space_create(
                actor=actor,
                organisation=organisation,
                name=f"{organisation.name} facilitators' network"[:120],
                description=(
                    "A private space for the people who give support across our groups and services — to share "
                    "what helps, ask for cover, and look after each other."
                ),
                visibility=SpaceVisibility.INVITE_ONLY,
                house_rules=NETWORK_RULES.format(org=organisation.name),
            )
            if space.offer_id:
                # Not a public offer of support: keep it out of the directory.
                from kindred.directory.models import Offer, OfferStatus

                Offer.objects.filter(pk=space.offer_id).update(status=OfferStatus.UNLISTED)
            network = FacilitatorsNetwork.objects.create(organisation=organisation, space=space)
            audit_record(actor=actor, action="care.network_created", subject=space, organisation=organisation)
    network_sync(network)
    return network


def network_sync_person(person_id: int, organisation_id: int) -> None:
    """Called when a role is added or removed (kindred.care.signals): add or remove just this person, by the same
    rule as `network_members`."""
    network = (
        FacilitatorsNetwork.objects.select_related("space", "organisation")
        .filter(organisation_id=organisation_id)
        .first()
    )
    if network is None:
        return
    from kindred.community.models import SpaceMembership, SpaceRole
    from kindred.groups.models import FACILITATING_ROLES, GroupMembership, MembershipStatus

    belongs = User.objects.filter(pk=person_id, is_active=True).exists() and (
        Membership.objects.filter(user_id=person_id, organisation_id=organisation_id, role__in=NETWORK_ROLES).exists()
        or GroupMembership.objects.filter(
            person_id=person_id,
            group__organisation_id=organisation_id,
            status=MembershipStatus.ACTIVE,
            role__in=FACILITATING_ROLES,
        ).exists()
    )
    if belongs:
        SpaceMembership.objects.get_or_create(
            space=network.space, user_id=person_id, defaults={"role": SpaceRole.MEMBER}
        )
    else:
        SpaceMembership.objects.filter(space=network.space, user_id=person_id).delete()


# --- Incidents --------------------------------------------------------------------------------------------------


def incident_open(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    group: Any = None,
    space: Any = None,
    kind: str = IncidentKind.DEATH,
    what_happened: str = "",
    person_concerned: User | None = None,
) -> Incident:
    if not is_incident_coordinator(actor, organisation):
        raise Http404("No such organisation.")
    if (group is None) == (space is None):
        raise CareError("Please choose the group or the space this is about.", field="where")
    if group is not None and group.organisation_id != organisation.pk:
        raise CareError("Please choose one of your organisation's groups.", field="where")
    if space is not None and space.organisation_id != organisation.pk:
        raise CareError("Please choose one of your organisation's spaces.", field="where")
    title = (title or "").strip()
    if not title:
        raise CareError(
            "Please give the incident a short title — it is only seen by the people handling it.", field="title"
        )
    if len(title) > 150:
        raise CareError("Please keep the title under 150 characters.", field="title")
    if kind not in IncidentKind.values:
        raise CareError("Please choose what kind of incident this is.", field="kind")
    what_happened = (what_happened or "").strip()
    if len(what_happened) > 4000:
        raise CareError("Please keep this under 4,000 characters.", field="what_happened")
    if person_concerned is not None and person_concerned.pk not in people_of_place(group=group, space=space):
        raise CareError("That person isn't a member of this group or space.", field="person")
    with transaction.atomic():
        incident = Incident.objects.create(
            organisation=organisation,
            group=group,
            space=space,
            kind=kind,
            title=title,
            what_happened=what_happened,
            person_concerned=person_concerned,
            opened_by=actor,
        )
        IncidentLogEntry.objects.create(incident=incident, author=actor, text="Opened the incident.")
        audit_record(
            actor=actor,
            action="care.incident_opened",
            subject=incident,
            organisation=organisation,
            detail={"group": getattr(group, "slug", ""), "space": getattr(space, "slug", ""), "kind": kind},
        )
    return incident


def people_of_place(*, group: Any = None, space: Any = None) -> set[int]:
    """Members of the group (any status but left) or of the space (explicit members)."""
    if group is not None:
        from kindred.groups.models import GroupMembership, MembershipStatus

        return set(
            GroupMembership.objects.filter(group=group)
            .exclude(status=MembershipStatus.LEFT)
            .values_list("person_id", flat=True)
        )
    if space is not None:
        from kindred.community.models import Post, SpaceMembership

        members = set(SpaceMembership.objects.filter(space=space).values_list("user_id", flat=True))
        return members | set(Post.objects.filter(thread__space=space).values_list("author_id", flat=True))
    return set()


def leaders_of(incident: Incident) -> list[User]:
    """The group's facilitators, or the space's moderators (organisation moderators and coordinators, peer hosts)."""
    if incident.group_id:
        from kindred.groups.services import _facilitators

        return _facilitators(incident.group)
    from kindred.community.access import MODERATING_ROLES, space_organisations
    from kindred.community.models import SpaceMembership, SpaceRole

    orgs = space_organisations(incident.space)
    people = User.objects.filter(
        Q(memberships__organisation__in=orgs, memberships__role__in=MODERATING_ROLES)
        | Q(space_memberships__space=incident.space, space_memberships__role=SpaceRole.HOST),
        is_active=True,
    ).distinct()
    del SpaceMembership
    return list(people.order_by("display_name"))


def everyone_in(incident: Incident) -> list[User]:
    ids = people_of_place(group=incident.group, space=incident.space) | {u.pk for u in leaders_of(incident)}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name"))


AUDIENCES = {"leaders": "The facilitators or moderators", "everyone": "Everyone in the group or space"}


def _audience(incident: Incident, audience: str) -> list[User]:
    if audience not in AUDIENCES:
        raise CareError("Please choose who to tell.", field="audience")
    people = leaders_of(incident) if audience == "leaders" else everyone_in(incident)
    return [p for p in people if p.pk != incident.person_concerned_id]


def _require_handler(actor: User, incident: Incident) -> None:
    if not can_handle(actor, incident):
        raise Http404("No such incident.")


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise CareError("This incident has been closed, so nothing more can be changed.")


def _step_done(incident: Incident, key: str, actor: User, detail: dict[str, Any], log: str) -> IncidentStep:
    step, created = IncidentStep.objects.get_or_create(
        incident=incident, key=key, defaults={"done_by": actor, "detail": detail}
    )
    if not created:
        step.detail = {**step.detail, "again": [*step.detail.get("again", []), detail]}
        step.save(update_fields=["detail"])
    IncidentLogEntry.objects.create(incident=incident, author=actor, text=log)
    audit_record(
        actor=actor,
        action=f"care.incident_{key}",
        subject=incident,
        organisation=incident.organisation,
        detail=detail,
    )
    return step


def _place_url(incident: Incident) -> str:
    if incident.group_id:
        return reverse("groups:detail", args=[incident.group.slug])
    return reverse("community:space", args=[incident.space.slug])


def inform_facilitators(*, actor: User, incident: Incident, message: str) -> IncidentStep:
    """Send the handler's message to the group's facilitators or the space's moderators."""
    _require_handler(actor, incident)
    _require_open(incident)
    message = (message or "").strip()
    if not message:
        raise CareError("Please write the message the facilitators will read.", field="message")
    if len(message) > 2000:
        raise CareError("Please keep the message under 2,000 characters.", field="message")
    people = [p for p in leaders_of(incident) if p.pk != actor.pk and p.pk != incident.person_concerned_id]
    with transaction.atomic():
        for person in people:
            reach.send(
                to=person,
                kind=messages.INCIDENT_INFORM,
                sender=actor,
                title=f"Important news about {incident.where}, from {actor.display_name}",
                body=message,
                url=_place_url(incident),
                email=True,
            )
        return _step_done(
            incident,
            StepKey.INFORM_FACILITATORS,
            actor,
            {"told": len(people)},
            f"Informed {len(people)} facilitator(s) or moderator(s).",
        )


def debrief_offer(
    *,
    actor: User,
    incident: Incident,
    starts_at: datetime | None,
    place: str = "",
    call_link: str = "",
    note: str = "",
    audience: str = "leaders",
) -> DebriefOffer:
    _require_handler(actor, incident)
    _require_open(incident)
    if starts_at is None:
        raise CareError("Please give the date and time of the debrief.", field="starts_at")
    if starts_at < timezone.now() - timedelta(hours=1):
        raise CareError("That time has already passed. Please choose a time that's still to come.", field="starts_at")
    place, call_link, note = (place or "").strip(), (call_link or "").strip(), (note or "").strip()
    if not place and not call_link:
        raise CareError("Please say where the debrief will be, or give a call link.", field="place")
    if call_link and not call_link.startswith(("https://", "http://")):
        raise CareError("Please give the full call link, starting with https://", field="call_link")
    people = _audience(incident, audience)
    people = [p for p in people if p.pk != actor.pk]
    when = _when(starts_at)
    where = " and ".join(x for x in [place, f"online: {call_link}" if call_link else ""] if x)
    with transaction.atomic():
        offer = DebriefOffer.objects.create(
            incident=incident,
            starts_at=starts_at,
            place=place[:300],
            call_link=call_link,
            note=note[:1000],
            audience=audience,
            people_told=len(people),
            created_by=actor,
        )
        for person in people:
            reach.send(
                to=person,
                kind=messages.DEBRIEF,
                sender=actor,
                title=f"A debrief for {incident.where}: {when}",
                body=(
                    f"There's a chance to talk together after what has happened, on {when}, {where}. "
                    "Come if it would help; you don't have to say anything, and it's fine not to come."
                    + (f"\n\n{note}" if note else "")
                ),
                url=_place_url(incident),
                email=True,
            )
        _step_done(
            incident,
            StepKey.OFFER_DEBRIEF,
            actor,
            {"told": len(people), "audience": audience, "starts_at": starts_at.isoformat()},
            f"Offered a debrief on {when} ({where}); told {len(people)} people.",
        )
    return offer


def share_resources(*, actor: User, incident: Incident, audience: str = "leaders") -> IncidentStep:
    _require_handler(actor, incident)
    _require_open(incident)
    people = [p for p in _audience(incident, audience) if p.pk != actor.pk]
    resources = postvention_resources_of(incident.organisation)
    lines = [
        f"- {r['name']}"
        + (f", {r['phone']}" if r["phone"] else "")
        + (f" — {r['description']}" if r["description"] else "")
        for r in resources
    ]
    url = reverse("care:support_after_loss", args=[incident.organisation.slug])
    with transaction.atomic():
        for person in people:
            reach.send(
                to=person,
                kind=messages.SUPPORT_RESOURCES,
                sender=actor,
                title="Support after a loss",
                body=(
                    "After what has happened, you might want to talk to someone. These services can help:\n"
                    + "\n".join(lines)
                    + "\n\nIf you are in crisis now, the crisis contacts are at the top of every page."
                ),
                url=url,
                email=True,
            )
        return _step_done(
            incident,
            StepKey.SHARE_RESOURCES,
            actor,
            {"told": len(people), "audience": audience, "resources": len(resources)},
            f"Shared {len(resources)} support resources with {len(people)} people.",
        )


def _require_person(incident: Incident) -> User:
    if incident.person_concerned is None:
        raise CareError(
            "First choose the person this is about (on the incident page), so Kindred knows whose reminders to stop."
        )
    return incident.person_concerned


def stop_reminders(*, actor: User, incident: Incident) -> IncidentStep:
    """Record within Kindred that the person has died, so nothing reaches or mentions them.

    The reach gate sends them nothing and nothing about them; absence check-ins and first-visit follow-ups about
    them stop; they are taken off rota slots and waiting lists; one-to-one matching stops offering them as a
    supporter, their open requests for support are withdrawn and unagreed proposals with them are withdrawn (so no
    supporter is asked about them).
    """
    from kindred.groups.models import (
        RSVP,
        AbsenceCheckIn,
        FirstVisitChat,
        FirstVisitChatStatus,
        FollowUpPrompt,
        FollowUpStatus,
        RotaSlot,
    )
    from kindred.onetoone.models import (
        Match,
        MatchRequest,
        MatchRequestStatus,
        MatchStatus,
        SupporterProfile,
        SupporterStatus,
    )

    _require_handler(actor, incident)
    _require_open(incident)
    person = _require_person(incident)
    now = timezone.now()
    with transaction.atomic():
        reach.state_record_death(person=person, recorded_by=actor, at=now)
        StepBack.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
        rota = RotaSlot.objects.filter(facilitator=person, meeting__starts_at__gt=now).update(
            facilitator=None, gap_notified_at=None
        )
        rsvps, _ = RSVP.objects.filter(person=person, meeting__starts_at__gt=now).delete()
        absence, _ = AbsenceCheckIn.objects.filter(Q(member=person) | Q(trusted=person)).delete()
        follow_ups = FollowUpPrompt.objects.filter(
            Q(newcomer=person) | Q(prompted=person), status=FollowUpStatus.PENDING
        ).update(status=FollowUpStatus.SKIPPED, done_at=now)
        chats = FirstVisitChat.objects.filter(
            person=person, status__in=[FirstVisitChatStatus.REQUESTED, FirstVisitChatStatus.ARRANGED]
        ).update(status=FirstVisitChatStatus.WITHDRAWN)
        # Matching only offers available supporters. (The one-to-one status service is for the supporter's own
        # choice, so this is set directly and audited here.)
        profiles = SupporterProfile.objects.filter(user=person).exclude(status=SupporterStatus.STEPPING_BACK)
        profiles_paused = profiles.update(status=SupporterStatus.STEPPING_BACK, status_changed_at=now)
        # A request for support they made no longer waits for a match, and proposals not yet agreed (for them or
        # by them) are withdrawn quietly, so no supporter is asked about them and nobody is asked to accept them.
        requests = MatchRequest.objects.filter(seeker=person, status=MatchRequestStatus.OPEN).update(
            status=MatchRequestStatus.WITHDRAWN
        )
        proposals = Match.objects.filter(
            Q(seeker=person) | Q(supporter=person),
            status__in=[MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.ACCEPTED_BY_SEEKER],
        ).update(status=MatchStatus.WITHDRAWN)
        detail = {
            "rota_slots": rota,
            "rsvps": rsvps,
            "absence_check_ins": absence,
            "follow_ups": follow_ups,
            "first_visit_chats": chats,
            "supporter_profiles": profiles_paused,
            "match_requests": requests,
            "match_proposals": proposals,
        }
        return _step_done(
            incident,
            StepKey.STOP_REMINDERS,
            actor,
            detail,
            (
                f"Recorded in Kindred that {person.display_name} has died: no notifications or reminders will be "
                f"sent to them and reminders about them have stopped. Taken off {rota} rota slot(s) and {rsvps} "
                f"coming meeting answer(s) or waiting list place(s); {absence} absence check-in(s) and "
                f"{follow_ups} follow-up(s) stopped; {requests} request(s) for one-to-one support and "
                f"{proposals} match proposal(s) withdrawn."
            ),
        )


def remove_mailings(*, actor: User, incident: Incident) -> IncidentStep:
    """Unsubscribe the person from every group newsletter and email digest, and turn off their emails."""
    from kindred.community.models import Follow
    from kindred.groups.models import GroupMembership, NewsletterSubscription

    _require_handler(actor, incident)
    _require_open(incident)
    person = _require_person(incident)
    with transaction.atomic():
        groups = list(GroupMembership.objects.filter(person=person).values_list("group_id", flat=True))
        for group_id in groups:
            NewsletterSubscription.objects.update_or_create(
                group_id=group_id, person=person, defaults={"subscribed": False}
            )
        digests = Follow.objects.filter(user=person, email_digest=True).update(email_digest=False)
        Profile.objects.filter(user=person).update(email_notifications=False)
        return _step_done(
            incident,
            StepKey.REMOVE_MAILINGS,
            actor,
            {"newsletters": len(groups), "digests": digests},
            f"Removed {person.display_name} from {len(groups)} group newsletter(s) and {digests} email digest(s); "
            "turned off their emails.",
        )


def incident_person_set(*, actor: User, incident: Incident, person: User | None) -> Incident:
    _require_handler(actor, incident)
    _require_open(incident)
    if person is not None and person.pk not in people_of_place(group=incident.group, space=incident.space):
        raise CareError("That person isn't a member of this group or space.", field="person")
    with transaction.atomic():
        incident.person_concerned = person
        incident.save(update_fields=["person_concerned"])
        IncidentLogEntry.objects.create(
            incident=incident,
            author=actor,
            text=f"Named the person this is about: {person.display_name}." if person else "Cleared the person named.",
        )
        audit_record(
            actor=actor,
            action="care.incident_person",
            subject=incident,
            organisation=incident.organisation,
            detail={"person": str(person.public_id) if person else ""},
        )
    return incident


def incident_log_add(*, actor: User, incident: Incident, text: str) -> IncidentLogEntry:
    _require_handler(actor, incident)
    _require_open(incident)
    text = (text or "").strip()
    if not text:
        raise CareError("Please write what was done.", field="text")
    if len(text) > 2000:
        raise CareError("Please keep each entry under 2,000 characters.", field="text")
    with transaction.atomic():
        entry = IncidentLogEntry.objects.create(incident=incident, author=actor, text=text)
        audit_record(actor=actor, action="care.incident_log", subject=incident, organisation=incident.organisation)
    return entry


def incident_handler_add(*, actor: User, incident: Incident, email: str) -> IncidentHandler:
    """Coordinators add someone of the organisation to help handle the incident."""
    if not can_handle(actor, incident):
        raise Http404("No such incident.")
    if not is_incident_coordinator(actor, incident.organisation):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the organisation's coordinators can add people to an incident.")
    _require_open(incident)
    person = (
        User.objects.filter(email__iexact=(email or "").strip(), memberships__organisation=incident.organisation)
        .distinct()
        .first()
    )
    if person is None:
        raise CareError("We couldn't find anyone in your organisation with that email address.", field="email")
    if person.pk == incident.person_concerned_id:
        raise CareError("That is the person this incident is about.", field="email")
    with transaction.atomic():
        handler, created = IncidentHandler.objects.get_or_create(
            incident=incident, person=person, defaults={"added_by": actor}
        )
        if created:
            IncidentLogEntry.objects.create(
                incident=incident, author=actor, text=f"Added {person.display_name} to help handle this."
            )
            audit_record(
                actor=actor,
                action="care.incident_handler_added",
                subject=incident,
                organisation=incident.organisation,
                detail={"person": str(person.public_id)},
            )
            reach.send(
                to=person,
                kind=messages.INCIDENT_HANDLER,
                sender=actor,
                title=f"{actor.display_name} asked you to help with an incident",
                body="You can see what has been done so far and record what you do.",
                url=reverse("care:incident", args=[incident.public_id]),
                email=True,
            )
    return handler


def incident_close(*, actor: User, incident: Incident, summary: str) -> Incident:
    _require_handler(actor, incident)
    if not is_incident_coordinator(actor, incident.organisation):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the organisation's coordinators can close an incident.")
    _require_open(incident)
    summary = (summary or "").strip()
    if not summary:
        raise CareError(
            "Please write a short summary of what was done and anything still to follow up.", field="summary"
        )
    if len(summary) > 4000:
        raise CareError("Please keep the summary under 4,000 characters.", field="summary")
    with transaction.atomic():
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = timezone.now()
        incident.closed_by = actor
        incident.closing_summary = summary
        incident.save(update_fields=["status", "closed_at", "closed_by", "closing_summary"])
        IncidentLogEntry.objects.create(incident=incident, author=actor, text="Closed the incident.")
        audit_record(actor=actor, action="care.incident_closed", subject=incident, organisation=incident.organisation)
    return incident


def incident_viewed(*, actor: User, incident: Incident) -> None:
    audit_record(actor=actor, action="care.incident_viewed", subject=incident, organisation=incident.organisation)


STEP_NEEDS_PERSON = PERSON_STEPS


# --- Postvention resources --------------------------------------------------------------------------------------


def _materialise_defaults(organisation: Organisation) -> None:
    if not PostventionResource.objects.filter(organisation=organisation).exists():
        PostventionResource.objects.bulk_create(
            [PostventionResource(organisation=organisation, position=i, **r) for i, r in enumerate(DEFAULT_RESOURCES)]
        )


def resource_add(
    *, actor: User, organisation: Organisation, name: str, description: str = "", phone: str = "", url: str = ""
) -> PostventionResource:
    if not is_incident_coordinator(actor, organisation):
        raise Http404("No such organisation.")
    name, description, phone, url = (x.strip() for x in (name or "", description or "", phone or "", url or ""))
    if not name:
        raise CareError("Please give the name of the service.", field="name")
    if not phone and not url:
        raise CareError("Please give a phone number or a website, so people can reach it.", field="phone")
    if url and not url.startswith(("https://", "http://")):
        raise CareError("Please give the full website address, starting with https://", field="url")
    with transaction.atomic():
        _materialise_defaults(organisation)
        last = PostventionResource.objects.filter(organisation=organisation).count()
        resource = PostventionResource.objects.create(
            organisation=organisation,
            name=name[:120],
            description=description[:300],
            phone=phone[:40],
            url=url,
            position=last,
        )
        audit_record(actor=actor, action="care.resource_added", subject=resource, organisation=organisation)
    return resource


def resource_remove(*, actor: User, organisation: Organisation, resource_id: Any) -> None:
    if not is_incident_coordinator(actor, organisation):
        raise Http404("No such organisation.")
    with transaction.atomic():
        _materialise_defaults(organisation)
        rows = list(PostventionResource.objects.filter(organisation=organisation))
        target = None
        for index, row in enumerate(rows):
            if str(row.pk) == str(resource_id) or f"default-{index}" == str(resource_id):
                target = row
                break
        if target is None:
            raise Http404("No such resource.")
        if len(rows) == 1:
            raise CareError("Please keep at least one service on the list.")
        target.delete()
        audit_record(
            actor=actor, action="care.resource_removed", organisation=organisation, detail={"name": target.name}
        )
