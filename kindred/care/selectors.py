"""Reads for supporter care and incidents. Whether someone has stepped back or died is the reach gate's to know
(`kindred.commons.reach.is_stepped_back`, `is_deceased`, `deceased_ids`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kindred.accounts.models import User
from kindred.organisations.models import Organisation, Role

from .models import (
    Incident,
    IncidentHandler,
    PostventionResource,
    StepBack,
    SupporterCheckIn,
)

# Roles that give support and so get the care pages' step-back and the facilitators' network.
SUPPORTING_ROLES = frozenset({Role.FACILITATOR, Role.PSW, Role.PEER})
NETWORK_ROLES = frozenset({Role.FACILITATOR, Role.PSW, Role.PEER, Role.COORDINATOR})


# --- Check-ins --------------------------------------------------------------------------------------------------


def checkins_of(user: User) -> QuerySet[SupporterCheckIn]:
    return SupporterCheckIn.objects.filter(worker=user).select_related(
        "organisation", "meeting", "meeting__group", "session"
    )


def checkins_shared_with(supervisor: User) -> QuerySet[SupporterCheckIn]:
    """Check-ins their authors chose to share, where `supervisor` is (still) one of the supervisors they shared with.

    See `kindred.care.services.supervisors_for` for who that is: the person's supervisors in the organisation,
    or — where the organisation has assigned none — its coordinators.
    """
    from .services import supervisors_for

    if not supervisor.is_authenticated:
        return SupporterCheckIn.objects.none()
    candidates = (
        SupporterCheckIn.objects.filter(shared_with_supervisor=True)
        .filter(
            Q(organisation__isnull=True)  # a check-in about nothing in particular: the person's supervisors anywhere
            | Q(organisation__memberships__user=supervisor, organisation__memberships__role=Role.SUPERVISOR)
            | Q(organisation__memberships__user=supervisor, organisation__memberships__role=Role.COORDINATOR)
        )
        .exclude(worker=supervisor)
        .select_related("worker", "organisation", "meeting", "meeting__group")
        .distinct()
    )
    keep = []
    cache: dict[tuple[int, int], bool] = {}
    for checkin in candidates[:500]:
        key = (checkin.worker_id, checkin.organisation_id or 0)
        if key not in cache:
            cache[key] = any(s.pk == supervisor.pk for s in supervisors_for(checkin.worker, checkin.organisation))
        if cache[key]:
            keep.append(checkin.pk)
    return SupporterCheckIn.objects.filter(pk__in=keep).select_related(
        "worker", "organisation", "meeting", "meeting__group"
    )


# --- Step back --------------------------------------------------------------------------------------------------


def open_step_back(user: User) -> StepBack | None:
    if not user.is_authenticated:
        return None
    return StepBack.objects.filter(person=user, ended_at__isnull=True).first()


def step_backs_of(user: User) -> QuerySet[StepBack]:
    return StepBack.objects.filter(person=user)


def gives_support(user: User) -> bool:
    from kindred.organisations.models import Membership

    return user.is_authenticated and Membership.objects.filter(user=user, role__in=SUPPORTING_ROLES).exists()


# --- Incidents --------------------------------------------------------------------------------------------------


def is_incident_coordinator(user: User, organisation: Organisation) -> bool:
    from kindred.organisations.selectors import roles_in

    return user.is_authenticated and (user.is_superuser or Role.COORDINATOR in roles_in(user, organisation))


def can_handle(user: User, incident: Incident) -> bool:
    if not user.is_authenticated:
        return False
    if is_incident_coordinator(user, incident.organisation):
        return True
    # A handler someone added keeps access only while they still belong to the organisation.
    return IncidentHandler.objects.filter(
        incident=incident, person=user, person__memberships__organisation=incident.organisation
    ).exists()


def incidents_for(user: User) -> QuerySet[Incident]:
    """Incidents `user` handles: all of the organisations they coordinate, and the ones they were added to."""
    if not user.is_authenticated:
        return Incident.objects.none()
    incidents = Incident.objects.select_related("organisation", "group", "space")
    if user.is_superuser:
        return incidents
    coordinated = Organisation.objects.filter(memberships__user=user, memberships__role=Role.COORDINATOR)
    belongs = Organisation.objects.filter(memberships__user=user)
    handled = IncidentHandler.objects.filter(person=user, incident__organisation__in=belongs).values("incident")
    return incidents.filter(Q(organisation__in=coordinated) | Q(pk__in=handled)).distinct()


# --- Postvention resources --------------------------------------------------------------------------------------

# Checked against each service's own published details (November 2026). General and factual: who they are for
# and how to reach them, without promising what a call will be like.
DEFAULT_RESOURCES: tuple[dict[str, str], ...] = (
    {
        "name": "Samaritans",
        "description": "Free, confidential listening support, day or night, for anyone who is struggling.",
        "phone": "116 123",
        "url": "https://www.samaritans.org",
    },
    {
        "name": "Support after Suicide Partnership",
        "description": "A UK network that helps people bereaved or affected by suicide find support near them.",
        "phone": "",
        "url": "https://supportaftersuicide.org.uk",
    },
    {
        "name": "Cruse Bereavement Support",
        "description": "Support for anyone grieving. See the website for the helpline's opening hours.",
        "phone": "0808 808 1677",
        "url": "https://www.cruse.org.uk",
    },
)


def postvention_resources_of(organisation: Organisation) -> list[dict[str, str]]:
    """The organisation's own list, or Kindred's defaults until it has one."""
    rows = list(PostventionResource.objects.filter(organisation=organisation))
    if not rows:
        return [dict(r) for r in DEFAULT_RESOURCES]
    return [
        {"id": str(r.pk), "name": r.name, "description": r.description, "phone": r.phone, "url": r.url} for r in rows
    ]


def get_incident_for(user: User, public_id: Any) -> Incident:
    """An incident for the people handling it; everyone else (outsiders, members, facilitators not added, other
    organisations' coordinators) gets 404 — it never reveals that an incident exists."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    incident = None
    if user.is_authenticated:
        try:
            incident = (
                Incident.objects.select_related("organisation", "group", "space", "person_concerned", "opened_by")
                .filter(public_id=public_id)
                .first()
            )
        except (ValueError, TypeError, ValidationError):  # a malformed id is the same as an unknown one
            incident = None
    if incident is None or not can_handle(user, incident):
        raise Http404("No such incident.")
    return incident


def get_coordinated_organisation_for(user: User, slug: str) -> Organisation:
    """404 unless `user` coordinates the organisation."""
    from django.http import Http404

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not is_incident_coordinator(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def network_organisations_of(user: User) -> QuerySet[Organisation]:
    """Organisations whose facilitators' network `user` belongs in (by role, or facilitating one of its groups)."""
    from kindred.groups.models import FACILITATING_ROLES, GroupMembership, MembershipStatus

    if not user.is_authenticated:
        return Organisation.objects.none()
    facilitated = GroupMembership.objects.filter(
        person=user, status=MembershipStatus.ACTIVE, role__in=FACILITATING_ROLES
    ).values("group__organisation")
    return Organisation.objects.filter(
        Q(memberships__user=user, memberships__role__in=NETWORK_ROLES) | Q(pk__in=facilitated)
    ).distinct()
