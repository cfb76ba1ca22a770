"""Organisations over the API: each person sees only their own; coordinators alone manage people.

Tenant isolation: an outsider gets the same 404 for a private organisation as for one that doesn't exist.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from kindred.accounts import services as account_services
from kindred.core.models import AuditEvent
from kindred.organisations.models import Invitation, Role
from kindred.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def as_user(client, user):
    _token, raw = account_services.api_token_create(actor=user, name="Tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def invite(client, slug: str = "riverside", **body):
    payload = {"email": "new.person@example.org", "role": "peer", **body}
    return client.post(f"/api/organisations/{slug}/invitations", data=payload, content_type="application/json")


# --- Listing and reading -----------------------------------------------------------------------------


def test_i_see_only_my_organisations_with_my_roles(client, personas):
    MembershipFactory(user=personas.facilitator, organisation=OrganisationFactory(name="Allotment Group", slug="allot"))
    as_user(client, personas.facilitator)

    response = client.get("/api/organisations")

    assert response.status_code == 200
    assert [(o["slug"], o["my_roles"]) for o in response.json()] == [
        ("allot", ["member"]),
        ("riverside", ["facilitator", "member"]),
    ]


def test_someone_in_no_organisation_gets_an_empty_list(client, personas):
    as_user(client, UserFactory())

    assert client.get("/api/organisations").json() == []


def test_a_member_reads_their_organisation_and_its_safeguarding_policy(client, personas):
    as_user(client, personas.member)

    response = client.get("/api/organisations/riverside")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Riverside Peer Support"
    assert body["my_roles"] == ["member"]
    assert "talk to you first" in body["safeguarding_policy"]


def test_an_outsider_cannot_tell_a_private_organisation_from_a_missing_one(client, personas):
    as_user(client, personas.outsider)

    private = client.get("/api/organisations/riverside")
    missing = client.get("/api/organisations/no-such-place")

    assert private.status_code == missing.status_code == 404
    assert private.json() == missing.json()
    assert "Riverside" not in private.content.decode()


# --- People (coordinators only) ----------------------------------------------------------------------


def test_a_coordinator_sees_the_people_of_their_organisation_with_roles(client, personas):
    as_user(client, personas.coordinator)

    response = client.get("/api/organisations/riverside/people")

    assert response.status_code == 200
    people = {p["display_name"]: p for p in response.json()}
    assert set(people) == {"Member", "Peer", "Facilitator", "Psw", "Coordinator", "Moderator", "Supervisor"}
    assert people["Psw"]["roles"] == ["member", "psw"]
    assert people["Member"]["public_id"] == str(personas.member.public_id)
    assert "Outsider" not in response.content.decode()
    assert "@example.org" not in response.content.decode()  # no email addresses in the list


@pytest.mark.parametrize("persona", ["member", "peer", "facilitator", "psw", "moderator", "supervisor"])
def test_other_roles_are_told_they_lack_permission(client, personas, persona):
    as_user(client, getattr(personas, persona))

    response = client.get("/api/organisations/riverside/people")

    assert response.status_code == 403
    assert "coordinator" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["outsider", "outside_coordinator"])
def test_people_of_another_organisation_are_hidden_even_from_its_neighbours_coordinator(client, personas, persona):
    as_user(client, getattr(personas, persona))

    response = client.get("/api/organisations/riverside/people")

    assert response.status_code == 404
    assert "Member" not in response.content.decode()


def test_the_people_list_takes_a_fixed_number_of_queries(client, personas, django_assert_max_num_queries):
    as_user(client, personas.coordinator)
    for _ in range(15):
        MembershipFactory(organisation=personas.organisation, role=Role.MEMBER)

    with django_assert_max_num_queries(6):
        response = client.get("/api/organisations/riverside/people")

    assert len(response.json()) == 22


# --- Invitations -------------------------------------------------------------------------------------


def test_a_coordinator_invites_someone_and_the_link_goes_only_to_them(
    client, personas, django_capture_on_commit_callbacks
):
    as_user(client, personas.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, email="  New.Person@Example.org ")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"public_id", "email", "role", "status", "expires_at"}
    assert (body["email"], body["role"], body["status"]) == ("new.person@example.org", "peer", "pending")
    invitation = Invitation.objects.get()
    assert str(invitation.public_id) == body["public_id"]
    assert invitation.invited_by == personas.coordinator
    [email] = mail.outbox
    assert email.to == ["new.person@example.org"]
    token = re.search(r"/invitations/([A-Za-z0-9_-]+)/", email.body).group(1)
    assert token not in response.content.decode()
    assert AuditEvent.objects.filter(action="invitation.created", actor=personas.coordinator).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("psw", 403), ("outsider", 404), ("outside_coordinator", 404)]
)
def test_only_a_coordinator_of_this_organisation_can_invite(client, personas, persona, status):
    as_user(client, getattr(personas, persona))

    response = invite(client)

    assert response.status_code == status
    assert response.json()["detail"]
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"email": "not-an-email"}, "Please enter an email address like name@example.org"),
        ({"email": ""}, "Please enter an email address"),
        ({"role": "overlord"}, "please choose one of"),
        ({"email": None}, "email"),
        ({"organisation": "hilltop"}, "this isn't something that can be set here"),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_sent(client, personas, body, phrase):
    as_user(client, personas.coordinator)

    response = invite(client, **body)

    assert response.status_code == 422
    assert phrase in response.json()["detail"]
    assert not Invitation.objects.exists()
    assert not mail.outbox


@override_settings(RATE_LIMITS={"invite": (2, 3600)})
def test_invitations_are_rate_limited(client, personas):
    as_user(client, personas.coordinator)
    for n in range(2):
        assert invite(client, email=f"person{n}@example.org").status_code == 201

    response = invite(client, email="one.more@example.org")

    assert response.status_code == 429
    assert Invitation.objects.count() == 2
