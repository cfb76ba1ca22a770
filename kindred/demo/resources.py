"""Demo practical resources: benefits, debt, housing and crisis help per region (invented local services)."""

from __future__ import annotations

import sys
from typing import TextIO

from kindred.directory.models import PracticalResource, ResourceCategory
from kindred.organisations.models import Organisation

from .offers import CALDER, OPEN_MINDS, VOICES

# (organisation slug, region, category, name, description, phone, hours)
RESOURCES = (
    (
        VOICES,
        "North West",
        ResourceCategory.CRISIS,
        "Bolton Crisis Café",
        "A calm place to go in the evening when things feel too much. No appointment needed.",
        "0161 496 0123",
        "Every evening 6pm–midnight",
    ),
    (
        VOICES,
        "North West",
        ResourceCategory.BENEFITS,
        "Salford Welfare Rights Drop-in",
        "Help with Universal Credit, PIP forms and appeals, from people who understand mental health.",
        "0161 496 0456",
        "Tuesdays and Thursdays 10am–2pm",
    ),
    (
        VOICES,
        "North West",
        ResourceCategory.HOUSING,
        "Greater Manchester Housing Advice Line",
        "If you're worried about losing your home, or living somewhere that isn't safe.",
        "0161 496 0789",
        "Mon–Fri 9am–5pm",
    ),
    (
        OPEN_MINDS,
        "North East",
        ResourceCategory.CRISIS,
        "Tyneside Safe Haven",
        "Out-of-hours support in person, run with the local NHS crisis team.",
        "0191 498 0111",
        "Daily 5pm–1am",
    ),
    (
        OPEN_MINDS,
        "North East",
        ResourceCategory.BENEFITS,
        "Newcastle Money and Debt Advice",
        "Free, confidential debt advice. They can talk to creditors for you.",
        "0191 498 0222",
        "Mon–Fri 9am–4pm",
    ),
    (
        OPEN_MINDS,
        "North East",
        ResourceCategory.PRACTICAL,
        "Gateshead Food and Fuel Support",
        "Food parcels and help with energy bills, no questions asked.",
        "0191 498 0333",
        "Weekdays 10am–3pm",
    ),
    (
        CALDER,
        "Yorkshire",
        ResourceCategory.CRISIS,
        "Calder and Aire 24-hour Mental Health Line",
        "The trust's own line, for anyone in the area, any time.",
        "0113 496 0999",
        "24 hours",
    ),
    (
        CALDER,
        "Yorkshire",
        ResourceCategory.HOUSING,
        "Leeds Tenancy Support",
        "Help keeping a tenancy going when mental health makes things hard.",
        "0113 496 0555",
        "Mon–Fri 9am–5pm",
    ),
    (
        CALDER,
        "UK",
        ResourceCategory.BENEFITS,
        "Mental Health and Money Advice (national)",
        "Plain-words guides and a helpline on money and mental health, anywhere in the UK.",
        "0300 555 0147",
        "Mon–Fri 9am–5pm",
    ),
)


def load_resources(stdout: TextIO | None = None) -> int:
    """Create the demo practical resources that are missing; return how many were created."""
    out = stdout or sys.stdout
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in={VOICES, OPEN_MINDS, CALDER})}
    created = 0
    for slug, region, category, name, description, phone, hours in RESOURCES:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        _, was_created = PracticalResource.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "region": region,
                "category": category,
                "description": description,
                "phone": phone,
                "hours": hours,
            },
        )
        created += was_created
    out.write(f"Demo practical resources ready: {created} created ({len(RESOURCES)} in all).\n")
    return created
