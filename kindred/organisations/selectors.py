from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kindred.accounts.models import PROFILE_FIELDS, User, Visibility

from .models import STAFF_ROLES, CrisisResource, Invitation, Membership, Organisation, Role


def organisations_of(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def roles_in(user: User, organisation: Organisation) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


def memberships_by_organisation(user: User) -> dict[Organisation, list[Membership]]:
    grouped: dict[Organisation, list[Membership]] = {}
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        grouped.setdefault(membership.organisation, []).append(membership)
    return grouped


def is_coordinator(user: User, organisation: Organisation) -> bool:
    return Role.COORDINATOR in roles_in(user, organisation)


def coordinated_organisations(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.COORDINATOR).distinct()


def people_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(memberships__organisation=organisation).distinct().order_by("display_name")


def viewer_relationship(viewer: User | None, subject: User) -> str:
    """The widest visibility level `viewer` is entitled to for `subject`'s profile."""
    if viewer is None or not viewer.is_authenticated:
        return Visibility.ANYONE
    if viewer.pk == subject.pk:
        return Visibility.ONLY_ME
    subject_orgs = Membership.objects.filter(user=subject).values("organisation")
    viewer_roles = set(
        Membership.objects.filter(user=viewer, organisation__in=subject_orgs).values_list("role", flat=True)
    )
    if viewer_roles & STAFF_ROLES:
        return Visibility.STAFF
    if viewer_roles:
        return Visibility.MEMBERS
    return Visibility.ANYONE


# What each relationship may see: wider relationships see everything narrower ones see.
_VISIBLE_TO = {
    Visibility.ONLY_ME: {Visibility.ONLY_ME, Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE},
    Visibility.STAFF: {Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE},
    Visibility.MEMBERS: {Visibility.MEMBERS, Visibility.ANYONE},
    Visibility.ANYONE: {Visibility.ANYONE},
}


def visible_profile(viewer: User | None, subject: User) -> dict[str, str]:
    """The profile fields of `subject` that `viewer` may see, with their values (empty ones left out)."""
    profile = getattr(subject, "profile", None)
    if profile is None:
        return {}
    allowed = _VISIBLE_TO[Visibility(viewer_relationship(viewer, subject))]
    shown: dict[str, str] = {}
    for field in PROFILE_FIELDS:
        value = getattr(profile, field)
        if value and profile.visibility_of(field) in allowed:
            display = getattr(profile, f"get_{field}_display", None)
            shown[field] = display() if display else value
    return shown


def people_with_roles(organisation: Organisation) -> QuerySet[User]:
    """The people of `organisation`, each with `.roles_here`: their memberships in it (two queries in all)."""
    return people_of(organisation).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(organisation=organisation), to_attr="roles_here")
    )


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by", "accepted_by")


def crisis_resources_of(organisation: Organisation) -> QuerySet[CrisisResource]:
    return CrisisResource.objects.filter(organisation=organisation).order_by("position", "name")
