from __future__ import annotations

from django.db.models import Prefetch

from kindred.accounts.models import User
from kindred.directory.models import PracticalResource
from kindred.directory.resources import resources_for_regions
from kindred.organisations.models import CrisisResource, Organisation
from kindred.organisations.selectors import organisations_of


def crisis_organisations(user: User, *, chosen_slug: str = "") -> list[Organisation]:
    """Organisations whose crisis resources to show: the person's own, or one a visitor picked."""
    organisations = organisations_of(user)
    if not organisations.exists() and chosen_slug:
        organisations = Organisation.objects.filter(slug=chosen_slug)
    return list(organisations.prefetch_related(Prefetch("crisis_resources", queryset=CrisisResource.objects.all())))


def crisis_practical_resources(organisations: list[Organisation]) -> list[PracticalResource]:
    """Practical help for the regions of these organisations, and help available everywhere; crisis lines first."""
    return resources_for_regions(organisation.region for organisation in organisations)
