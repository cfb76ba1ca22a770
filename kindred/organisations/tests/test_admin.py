"""The Django admin is scoped by tenant: a coordinator sees and changes only their own organisations' records."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kindred.accounts.models import User
from kindred.commons.spine import engagement_record
from kindred.core.models import AuditEvent
from kindred.core.services import audit_record
from kindred.organisations.models import CrisisResource, Invitation, Membership, Organisation, Role
from kindred.organisations.services import invitation_create
from kindred.testing.factories import CrisisResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(staff_coordinators):
    """One of each tenant-owned record in both organisations."""
    personas = staff_coordinators
    for organisation, coordinator in (
        (personas.organisation, personas.coordinator),
        (personas.other_organisation, personas.outside_coordinator),
    ):
        CrisisResourceFactory(organisation=organisation, name=f"{organisation.name} line")
        invitation_create(
            actor=coordinator, organisation=organisation, email=f"new@{organisation.slug}.example", role=Role.PEER
        )
        audit_record(actor=coordinator, action="test.happened", organisation=organisation)
    return personas


def _changelist(model: str) -> str:
    app = "accounts" if model == "user" else "core" if model == "auditevent" else "organisations"
    return reverse(f"admin:{app}_{model}_changelist")


def _change(model: str, pk: int) -> str:
    app = "accounts" if model == "user" else "core" if model == "auditevent" else "organisations"
    return reverse(f"admin:{app}_{model}_change", args=[pk])


def _listed(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _hilltop_rows(personas) -> dict[str, int]:
    hilltop = personas.other_organisation
    return {
        "organisation": hilltop.pk,
        "membership": Membership.objects.filter(organisation=hilltop).first().pk,
        "invitation": Invitation.objects.get(organisation=hilltop).pk,
        "crisisresource": CrisisResource.objects.get(organisation=hilltop).pk,
        "user": personas.outsider.pk,
        "auditevent": AuditEvent.objects.filter(organisation=hilltop).first().pk,
    }


# --- What a coordinator sees -----------------------------------------------------------------


def test_coordinator_changelists_hold_only_their_organisation(client, records):
    personas = records
    riverside = personas.organisation
    client.force_login(personas.coordinator)

    assert _listed(client.get(_changelist("organisation"))) == [riverside]
    assert {m.organisation for m in _listed(client.get(_changelist("membership")))} == {riverside}
    assert {i.organisation for i in _listed(client.get(_changelist("invitation")))} == {riverside}
    assert {c.organisation for c in _listed(client.get(_changelist("crisisresource")))} == {riverside}
    assert {e.organisation for e in _listed(client.get(_changelist("auditevent")))} == {riverside}
    people = _listed(client.get(_changelist("user")))
    assert len(people) == 7
    assert personas.outsider not in people
    page = client.get(_changelist("user")).content.decode()
    assert "outsider@example.org" not in page
    assert "member@example.org" in page


def test_coordinator_admin_index_lists_only_what_they_may_use(client, records):
    client.force_login(records.coordinator)
    page = client.get(reverse("admin:index")).content.decode()
    for allowed in ("Organisations", "Memberships", "Invitations", "Crisis resources", "Users", "Audit events"):
        assert allowed in page
    for hidden in ("Engagements", "Consent records", "Api tokens", "Groups"):
        assert hidden not in page


@pytest.mark.parametrize("model", ["organisation", "membership", "invitation", "crisisresource", "user", "auditevent"])
def test_coordinator_cannot_open_another_organisations_rows(client, records, model):
    client.force_login(records.coordinator)
    pk = _hilltop_rows(records)[model]
    assert client.get(_change(model, pk)).status_code == 404
    assert client.post(_change(model, pk), {"name": "Hijacked"}).status_code == 404


@pytest.mark.parametrize("model", ["membership", "crisisresource"])
def test_coordinator_cannot_delete_another_organisations_rows(client, records, model):
    client.force_login(records.coordinator)
    pk = _hilltop_rows(records)[model]
    app = "organisations"
    url = reverse(f"admin:{app}_{model}_delete", args=[pk])
    assert client.post(url, {"post": "yes"}).status_code == 404
    model_class = Membership if model == "membership" else CrisisResource
    assert model_class.objects.filter(pk=pk).exists()


def test_coordinator_cannot_bulk_act_on_another_organisations_rows(client, records):
    client.force_login(records.coordinator)
    theirs = Membership.objects.filter(organisation=records.other_organisation, role=Role.MEMBER).first()
    client.post(_changelist("membership"), {"action": "remove_roles", "_selected_action": [theirs.pk], "index": 0})
    assert Membership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("url_name", ["admin:commons_engagement_changelist", "admin:accounts_consentrecord_changelist"])
def test_superuser_only_records_are_forbidden_to_coordinators(client, records, url_name):
    client.force_login(records.coordinator)
    assert client.get(reverse(url_name)).status_code == 403


def test_plain_members_cannot_use_the_admin(client, records):
    client.force_login(records.member)
    response = client.get(_changelist("membership"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- What a coordinator changes, and how -----------------------------------------------------


def test_coordinator_gives_a_role_in_the_admin_through_the_service(client, records):
    personas = records
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": personas.member.pk, "organisation": personas.organisation.pk, "role": Role.MODERATOR},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=personas.member, role=Role.MODERATOR).exists()
    event = AuditEvent.objects.get(action="membership.granted", actor=personas.coordinator)
    assert event.detail == {"role": "moderator"}


def test_coordinator_cannot_pick_another_organisation_or_its_people(client, records):
    personas = records
    client.force_login(personas.coordinator)
    add = reverse("admin:organisations_membership_add")
    form_page = client.get(add).content.decode()
    assert "Hilltop Mind" not in form_page
    assert "Outsider" not in form_page

    for data in (
        {"user": personas.member.pk, "organisation": personas.other_organisation.pk, "role": Role.COORDINATOR},
        {"user": personas.outsider.pk, "organisation": personas.organisation.pk, "role": Role.MEMBER},
    ):
        response = client.post(add, data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=personas.member, organisation=personas.other_organisation).exists()
    assert not Membership.objects.filter(user=personas.outsider, organisation=personas.organisation).exists()
    assert not AuditEvent.objects.filter(action="membership.granted", actor=personas.coordinator).exists()


def test_coordinator_removes_a_role_in_the_admin_through_the_service(client, records):
    personas = records
    peer_role = Membership.objects.get(user=personas.peer, role=Role.PEER)
    client.force_login(personas.coordinator)
    response = client.post(reverse("admin:organisations_membership_delete", args=[peer_role.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=peer_role.pk).exists()
    assert AuditEvent.objects.filter(action="membership.revoked", actor=personas.coordinator).count() == 1


def test_admin_keeps_the_last_coordinator(client, records):
    personas = records
    last = Membership.objects.get(user=personas.coordinator, role=Role.COORDINATOR)
    client.force_login(personas.coordinator)

    response = client.post(reverse("admin:organisations_membership_delete", args=[last.pk]), {"post": "yes"})
    assert "needs at least one coordinator" in client.get(response["Location"]).content.decode()

    client.post(_changelist("membership"), {"action": "remove_roles", "_selected_action": [last.pk], "index": 0})

    assert Membership.objects.filter(pk=last.pk).exists()
    assert not AuditEvent.objects.filter(action="membership.revoked").exists()


def test_memberships_cannot_be_edited_in_place(client, records):
    membership = Membership.objects.get(user=records.peer, role=Role.PEER)
    client.force_login(records.coordinator)
    client.post(
        _change("membership", membership.pk),
        {"user": records.peer.pk, "organisation": records.organisation.pk, "role": Role.COORDINATOR},
    )
    membership.refresh_from_db()
    assert membership.role == Role.PEER


def test_coordinator_sends_an_invitation_from_the_admin(client, records, django_capture_on_commit_callbacks):
    personas = records
    client.force_login(personas.coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:organisations_invitation_add"),
            {"organisation": personas.organisation.pk, "email": "friend@example.org", "role": Role.MEMBER},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["friend@example.org"]]
    invitation = Invitation.objects.get(email="friend@example.org")
    assert len(invitation.token_digest) == 64
    assert AuditEvent.objects.filter(action="invitation.created", subject_id=str(invitation.public_id)).exists()


def test_coordinator_withdraws_invitations_from_the_admin(client, records):
    personas = records
    ours = Invitation.objects.get(organisation=personas.organisation)
    theirs = Invitation.objects.get(organisation=personas.other_organisation)
    client.force_login(personas.coordinator)
    client.post(_changelist("invitation"), {"action": "withdraw", "_selected_action": [ours.pk, theirs.pk], "index": 0})
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == ("withdrawn", "pending")
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_coordinator_edits_their_organisation_but_not_its_name(client, records):
    personas = records
    client.force_login(personas.coordinator)
    response = client.post(
        _change("organisation", personas.organisation.pk),
        {
            "name": "Renamed",
            "slug": "renamed",
            "region": "Cumbria",
            "description": "Now by the lake.",
            "safeguarding_policy": "Unchanged.",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=personas.organisation.pk)
    assert (organisation.name, organisation.slug, organisation.region) == (
        "Riverside Peer Support",
        "riverside",
        "Cumbria",
    )
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.detail == {"fields": ["description", "region", "safeguarding_policy"]}


def test_coordinator_manages_crisis_contacts_in_the_admin(client, records):
    personas = records
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("admin:organisations_crisisresource_add"),
        {"organisation": personas.organisation.pk, "name": "Night line", "phone": "0800 111", "position": 2},
    )
    assert response.status_code == 302
    resource = CrisisResource.objects.get(name="Night line")
    assert resource.organisation == personas.organisation
    assert AuditEvent.objects.filter(action="crisis_resource.created", actor=personas.coordinator).exists()

    response = client.post(
        reverse("admin:organisations_crisisresource_add"),
        {"organisation": personas.other_organisation.pk, "name": "Sneaky line", "phone": "1", "position": 0},
    )
    assert response.status_code == 200
    assert not CrisisResource.objects.filter(name="Sneaky line").exists()


def test_coordinator_cannot_raise_anyones_privileges(client, records):
    personas = records
    client.force_login(personas.coordinator)
    url = _change("user", personas.member.pk)
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="user_permissions"' not in page
    assert 'name="email"' not in page

    response = client.post(
        url,
        {
            "display_name": "Kind Name",
            "real_name": "",
            "is_superuser": "on",
            "is_staff": "on",
            "email": "taken-over@example.org",
        },
    )

    assert response.status_code == 302
    member = User.objects.get(pk=personas.member.pk)
    assert member.display_name == "Kind Name"
    assert (member.is_superuser, member.is_staff, member.email) == (False, False, "member@example.org")
    event = AuditEvent.objects.get(action="person.names_updated")
    assert (event.actor, event.organisation, event.detail) == (
        personas.coordinator,
        personas.organisation,
        {"fields": ["display_name"]},
    )


def test_coordinator_cannot_set_passwords_or_add_or_delete_people(client, records):
    personas = records
    client.force_login(personas.coordinator)
    password_url = reverse("admin:auth_user_password_change", args=[personas.member.pk])
    assert client.get(password_url).status_code == 403
    assert client.post(password_url, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    response = client.post(reverse("admin:accounts_user_delete", args=[personas.member.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=personas.member.pk).exists()


def test_audit_log_is_read_only(client, records, superuser):
    event = AuditEvent.objects.filter(organisation=records.organisation).first()
    for who in (records.coordinator, superuser):
        client.force_login(who)
        page = client.get(_change("auditevent", event.pk)).content.decode()
        assert 'name="action"' not in page
        assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
        assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- Superusers ------------------------------------------------------------------------------


def test_superuser_sees_every_organisations_rows(client, records, superuser):
    client.force_login(superuser)
    both = {records.organisation, records.other_organisation}
    assert set(_listed(client.get(_changelist("organisation")))) == both
    assert {m.organisation for m in _listed(client.get(_changelist("membership")))} == both
    assert {i.organisation for i in _listed(client.get(_changelist("invitation")))} == both
    assert {c.organisation for c in _listed(client.get(_changelist("crisisresource")))} == both
    assert {e.organisation for e in _listed(client.get(_changelist("auditevent")))} >= both
    assert len(_listed(client.get(_changelist("user")))) == User.objects.count()
    for model, pk in _hilltop_rows(records).items():
        assert client.get(_change(model, pk)).status_code == 200, model


def test_superuser_sees_engagements_read_only(client, records, superuser):
    engagement = engagement_record(person=records.member, subject=records.organisation, form="group", role="receiving")
    client.force_login(superuser)
    assert _listed(client.get(reverse("admin:commons_engagement_changelist"))) == [engagement]
    assert client.get(reverse("admin:commons_engagement_add")).status_code == 403
    delete = reverse("admin:commons_engagement_delete", args=[engagement.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
