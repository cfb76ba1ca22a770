"""Practical resources per region: crisis lines, benefits and debt advice, housing, other practical help.

Coordinators keep their own organisation's rows; anyone may read them (they are public signposting), on offer
pages, on the crisis page and over the API. Region "UK" means everywhere. Crisis lines always come first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from kindred.accounts.models import User
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Organisation
from kindred.organisations.selectors import coordinated_organisations

from .models import PracticalResource, ResourceCategory

EVERYWHERE = "UK"
RESOURCE_FIELDS = ("region", "category", "name", "description", "phone", "url", "hours")
MAX_REGION_CHARS = PracticalResource._meta.get_field("region").max_length

# Crisis lines first, then the rest in the order the categories are declared.
_CATEGORY_ORDER = Case(
    *[When(category=value, then=Value(position)) for position, value in enumerate(ResourceCategory.values)],
    default=Value(len(ResourceCategory.values)),
    output_field=IntegerField(),
)


class ResourceError(AppError):
    """A kind, human-readable reason a practical resource could not be saved."""


# --- Reads ----------------------------------------------------------------------------------------------------


def _ordered(resources: QuerySet[PracticalResource]) -> QuerySet[PracticalResource]:
    # Local help before UK-wide help within a category: it is the more specific.
    everywhere_last = Case(
        When(region__iexact=EVERYWHERE, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return resources.annotate(_category_order=_CATEGORY_ORDER, _everywhere=everywhere_last).order_by(
        "_category_order", "_everywhere", "name", "pk"
    )


def _dedupe(resources: Iterable[PracticalResource]) -> list[PracticalResource]:
    """Two organisations may both list the same national line: show it once."""
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for resource in resources:
        key = (resource.name.strip().lower(), resource.phone.replace(" ", ""), resource.url.rstrip("/").lower())
        if key not in seen:
            seen.add(key)
            unique.append(resource)
    return unique


def resources_for_regions(regions: Iterable[str], *, include_everywhere: bool = True) -> list[PracticalResource]:
    """Resources serving any of `regions` (case-insensitive), plus UK-wide ones; crisis lines first."""
    wanted = {r.strip().lower() for r in regions if r and r.strip()}
    if include_everywhere:
        wanted.add(EVERYWHERE.lower())
    if not wanted:
        return []
    match = Q()
    for region in sorted(wanted):
        match |= Q(region__iexact=region)
    return _dedupe(_ordered(PracticalResource.objects.filter(match)))


def resources_for_region(region: str) -> list[PracticalResource]:
    """Resources for one region (e.g. an offer's) and UK-wide ones; nothing if the region is unknown."""
    region = (region or "").strip()[:MAX_REGION_CHARS]
    return resources_for_regions([region]) if region else []


def resources_of(organisations: Iterable[Organisation]) -> QuerySet[PracticalResource]:
    return _ordered(PracticalResource.objects.filter(organisation__in=list(organisations))).select_related(
        "organisation"
    )


def get_resource_for(user: User, resource_id: int) -> PracticalResource:
    """A resource for one of its organisation's coordinators; 404 to everyone else (never "it exists")."""
    resource = PracticalResource.objects.select_related("organisation").filter(pk=resource_id).first()
    if resource is None or not can_manage_resources(user, resource.organisation):
        raise Http404("No such resource.")
    return resource


def can_manage_resources(user: User, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or coordinated_organisations(user).filter(pk=organisation.pk).exists()


def managed_organisations(user: User) -> QuerySet[Organisation]:
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.order_by("name")
    return coordinated_organisations(user).order_by("name")


# --- Writes ---------------------------------------------------------------------------------------------------


def practical_resource_save(
    *,
    actor: User,
    organisation: Organisation,
    values: dict[str, Any],
    resource: PracticalResource | None = None,
) -> PracticalResource:
    """Add a practical resource to `organisation`, or change one of its own. Audited."""
    if not can_manage_resources(actor, organisation):
        raise ResourceError("Only a coordinator of this organisation can change its practical help list.")
    if resource is not None and resource.organisation_id != organisation.pk:
        raise ResourceError("That resource belongs to a different organisation.")
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise ResourceError("Some of those details can't be set here.")
    created = resource is None
    if resource is None:
        resource = PracticalResource(organisation=organisation)
    changed = sorted(field for field, value in values.items() if getattr(resource, field) != value)
    for field, value in values.items():
        setattr(resource, field, value.strip() if isinstance(value, str) else value)
    if resource.region.strip().lower() == EVERYWHERE.lower():
        resource.region = EVERYWHERE
    if not (resource.phone or resource.url):
        raise ResourceError("Please give at least one way to reach them: a phone number or a website.")
    try:
        resource.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        raise ResourceError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        resource.save()
        audit_record(
            actor=actor,
            action="practical_resource.created" if created else "practical_resource.updated",
            subject=resource,
            organisation=organisation,
            detail={"name": resource.name, "region": resource.region, "fields": changed},
        )
    return resource


def practical_resource_delete(*, actor: User, resource: PracticalResource) -> None:
    organisation = resource.organisation
    if not can_manage_resources(actor, organisation):
        raise ResourceError("Only a coordinator of this organisation can change its practical help list.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="practical_resource.deleted",
            subject=resource,
            organisation=organisation,
            detail={"name": resource.name, "region": resource.region},
        )
        resource.delete()
