"""Coordinators give and remove roles from a person's page; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.organisations.models import Membership, Role
from kindred.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _grant(client, person, role: str, slug: str = "riverside"):
    return client.post(reverse("organisations:person_role_grant", args=[slug, person.public_id]), {"role": role})


def _revoke(client, person, role: str, slug: str = "riverside"):
    return client.post(reverse("organisations:person_role_revoke", args=[slug, person.public_id]), {"role": role})


def _roles(person, organisation) -> set[str]:
    return set(Membership.objects.filter(user=person, organisation=organisation).values_list("role", flat=True))


def test_coordinator_gives_a_role_and_it_is_audited(client, personas):
    client.force_login(personas.coordinator)

    response = _grant(client, personas.member, "peer")

    assert response.status_code == 302
    assert _roles(personas.member, personas.organisation) == {"member", "peer"}
    event = AuditEvent.objects.get(action="membership.granted")
    assert event.actor == personas.coordinator
    assert event.organisation == personas.organisation
    assert event.subject_id == str(personas.member.public_id)
    assert event.detail == {"role": "peer"}
    page = client.get(response["Location"]).content.decode()
    assert "Member is now a peer volunteer here." in page


def test_person_page_offers_only_roles_they_do_not_have(client, personas):
    client.force_login(personas.coordinator)
    page = client.get(reverse("organisations:person", args=["riverside", personas.member.public_id])).content.decode()
    assert '<option value="peer">' in page
    assert '<option value="member">' not in page


def test_unknown_role_is_refused_kindly_and_nothing_is_stored(client, personas):
    client.force_login(personas.coordinator)

    response = _grant(client, personas.member, "overlord")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose one of the roles in the list." in page
    assert "There's a problem" in page
    assert _roles(personas.member, personas.organisation) == {"member"}
    assert not AuditEvent.objects.exists()


def test_coordinator_removes_a_role_and_it_is_audited(client, personas):
    client.force_login(personas.coordinator)

    response = _revoke(client, personas.peer, "peer")

    assert response.status_code == 302
    assert _roles(personas.peer, personas.organisation) == {"member"}
    event = AuditEvent.objects.get(action="membership.revoked")
    assert (event.actor, event.organisation, event.detail) == (
        personas.coordinator,
        personas.organisation,
        {"role": "peer"},
    )


def test_removing_a_persons_last_role_returns_to_the_people_list(client, personas):
    client.force_login(personas.coordinator)
    _revoke(client, personas.member, "member")
    assert not Membership.objects.filter(user=personas.member, organisation=personas.organisation).exists()
    # They are no longer in the organisation, so their page is gone for the coordinator too.
    url = reverse("organisations:person", args=["riverside", personas.member.public_id])
    assert client.get(url).status_code == 404


def test_the_last_coordinator_cannot_be_removed(client, personas):
    client.force_login(personas.coordinator)

    response = _revoke(client, personas.coordinator, "coordinator")

    assert _roles(personas.coordinator, personas.organisation) == {"member", "coordinator"}
    assert not AuditEvent.objects.filter(action="membership.revoked").exists()
    page = client.get(response["Location"]).content.decode()
    assert "An organisation needs at least one coordinator" in page


def test_a_coordinator_can_step_down_once_there_is_another(client, personas):
    client.force_login(personas.coordinator)
    _grant(client, personas.psw, "coordinator")

    response = _revoke(client, personas.coordinator, "coordinator")

    assert response["Location"] == reverse("organisations:detail", args=["riverside"])
    assert _roles(personas.coordinator, personas.organisation) == {"member"}
    assert client.get(reverse("organisations:people", args=["riverside"])).status_code == 403


def test_removing_a_role_they_do_not_have_changes_nothing(client, personas):
    client.force_login(personas.coordinator)
    response = _revoke(client, personas.member, "moderator")
    assert "doesn&#x27;t have the moderator role" in client.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.exists()


def test_becoming_a_coordinator_opens_the_admin_and_losing_it_closes_it(client, personas):
    client.force_login(personas.coordinator)
    _grant(client, personas.psw, "coordinator")
    personas.psw.refresh_from_db()
    assert personas.psw.is_staff

    client.force_login(personas.psw)
    assert client.get(reverse("admin:index")).status_code == 200

    client.force_login(personas.coordinator)
    _revoke(client, personas.psw, "coordinator")
    personas.psw.refresh_from_db()
    assert not personas.psw.is_staff
    client.force_login(personas.psw)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's log-in page


def test_a_coordinator_elsewhere_keeps_the_admin_when_one_coordinator_role_goes(client, personas):
    MembershipFactory(user=personas.psw, organisation=personas.other_organisation, role=Role.COORDINATOR)
    client.force_login(personas.coordinator)
    _grant(client, personas.psw, "coordinator")
    _revoke(client, personas.psw, "coordinator")
    personas.psw.refresh_from_db()
    assert personas.psw.is_staff


def test_a_superuser_keeps_admin_access_after_losing_a_coordinator_role(client, personas, superuser):
    MembershipFactory(user=superuser, organisation=personas.organisation, role=Role.MEMBER)
    client.force_login(personas.coordinator)
    _grant(client, superuser, "coordinator")
    _revoke(client, superuser, "coordinator")
    superuser.refresh_from_db()
    assert superuser.is_staff


def test_roles_cannot_be_given_to_people_of_another_organisation(client, personas):
    client.force_login(personas.coordinator)
    assert _grant(client, personas.outsider, "peer").status_code == 404
    assert not Membership.objects.filter(user=personas.outsider, organisation=personas.organisation).exists()
    client.force_login(personas.outside_coordinator)
    assert _grant(client, personas.member, "coordinator", slug="riverside").status_code == 404
    assert _revoke(client, personas.coordinator, "coordinator", slug="riverside").status_code == 404
    assert _roles(personas.member, personas.organisation) == {"member"}
    assert not AuditEvent.objects.exists()
