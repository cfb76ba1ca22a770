from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kindred.accounts.models import ConsentRecord, Profile, User
from kindred.core.models import AuditEvent
from kindred.organisations.models import CrisisResource, Membership, Organisation, Role
from kindred.testing.personas import Personas

DEMO_PASSWORD = "kindred-demo-2026"  # the password the README documents

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "consents": ConsentRecord.objects.count(),
        "organisations": Organisation.objects.count(),
        "resources": CrisisResource.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_running_twice_changes_nothing() -> None:
    load_demo()
    first = row_counts()

    output = load_demo()

    assert row_counts() == first
    assert "0 people created" in output


def test_demo_world_has_three_organisations_thirty_people_and_every_role() -> None:
    output = load_demo()

    organisations = Organisation.objects.order_by("region")
    assert [(o.region, o.crisis_resources.count() >= 2) for o in organisations] == [
        ("North East", True),
        ("North West", True),
        ("Yorkshire", True),
    ]
    assert all(o.safeguarding_policy for o in organisations)
    people = User.objects.filter(email__endswith="@demo.kindred.local", is_superuser=False)
    assert people.count() >= 28
    assert not people.filter(email_verified_at__isnull=True).exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    # Some people belong to two organisations.
    assert sum(1 for p in people if p.memberships.values("organisation").distinct().count() > 1) >= 2
    # Everyone agreed to the terms and the privacy notice; each has a profile in their own words.
    assert ConsentRecord.objects.filter(user__in=people, kind="terms", granted=True).count() == people.count()
    assert Profile.objects.filter(user__in=people).exclude(experience="").count() == people.count()
    assert "coordinator@demo.kindred.local" in output
    assert DEMO_PASSWORD in output


def test_demo_coordinator_logs_in_with_the_documented_password_and_sees_their_organisation(client: Client) -> None:
    load_demo()

    assert client.login(email="coordinator@demo.kindred.local", password=DEMO_PASSWORD)
    page = client.get("/dashboard/").content.decode()

    assert "Tyneside Open Minds" in page
    assert "Coordinator" in page


def test_demo_admin_is_a_superuser() -> None:
    load_demo()

    admin = User.objects.get(email="admin@demo.kindred.local")
    assert admin.is_superuser
    assert admin.check_password(DEMO_PASSWORD)


def test_reset_restores_what_a_demo_visitor_changed() -> None:
    load_demo()
    counts = row_counts()
    coordinator = User.objects.get(email="coordinator@demo.kindred.local")
    coordinator.set_password("something-else-entirely")
    coordinator.save()
    Organisation.objects.filter(slug="tyneside-open-minds").update(name="Renamed")

    load_demo("--reset")

    assert Organisation.objects.filter(name="Tyneside Open Minds").exists()
    assert User.objects.get(email="coordinator@demo.kindred.local").check_password(DEMO_PASSWORD)
    assert row_counts()["memberships"] == counts["memberships"]
    assert row_counts()["users"] == counts["users"]


def test_loading_leaves_other_organisations_alone(personas: Personas) -> None:
    load_demo("--reset")

    assert Organisation.objects.filter(slug="riverside").exists()
    assert User.objects.filter(email="member@example.org").exists()
    assert Organisation.objects.count() == 5
