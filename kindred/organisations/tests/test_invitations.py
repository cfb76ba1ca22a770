"""Invitations: a coordinator sends one; the person follows the link once to join with the role."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.core.hashing import keyed_digest
from kindred.core.models import AuditEvent
from kindred.organisations.models import Invitation, Membership
from kindred.testing.factories import UserFactory

from .conftest import token_from_last_email

pytestmark = pytest.mark.django_db


def _invite(client, django_capture_on_commit_callbacks, email="newcomer@example.org", role="member", slug="riverside"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("organisations:invitations", args=[slug]), {"email": email, "role": role})


@pytest.fixture
def invited(client, personas, django_capture_on_commit_callbacks):
    """A pending invitation to riverside as a peer; returns its token. The client is logged out afterwards."""
    client.force_login(personas.coordinator)
    _invite(client, django_capture_on_commit_callbacks, role="peer")
    client.logout()
    return token_from_last_email()


def _accept(client, token):
    return client.post(reverse("organisations:invitation", args=[token]))


# --- Sending ---------------------------------------------------------------------------------


def test_coordinator_sends_an_invitation_by_email(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.coordinator)

    response = _invite(client, django_capture_on_commit_callbacks, email=" NewComer@Example.org ", role="peer")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.org"]
    assert "Riverside Peer Support" in message.subject
    assert "peer volunteer" in message.body
    token = token_from_last_email()
    assert f"/invitations/{token}/" in message.body

    invitation = Invitation.objects.get()
    assert invitation.email == "newcomer@example.org"
    assert invitation.role == "peer"
    assert invitation.invited_by == personas.coordinator
    assert invitation.token_digest == keyed_digest(token, purpose="invitation")
    stored = " ".join(str(value) for value in Invitation.objects.values().get().values())
    assert token not in stored

    event = AuditEvent.objects.get(action="invitation.created")
    assert (event.actor, event.organisation, event.detail) == (
        personas.coordinator,
        personas.organisation,
        {"role": "peer"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "newcomer@example.org" in page
    assert "Waiting" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "role": "member"}, "Please enter an email address like name@example.org."),
        ({"email": "", "role": "member"}, "Please enter the email address to send the invitation to."),
        ({"email": "a" * 250 + "@example.org", "role": "member"}, "That email address is too long"),
        ({"email": "someone@example.org", "role": "overlord"}, "Please choose one of the roles in the list."),
    ],
)
def test_bad_invitations_are_refused_kindly(client, personas, django_capture_on_commit_callbacks, data, message):
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:invitations", args=["riverside"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There&#x27;s a problem" in page or "There's a problem" in page
    assert message in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert not AuditEvent.objects.exists()


def test_invitations_are_rate_limited_per_coordinator(client, personas, django_capture_on_commit_callbacks, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite": (2, 3600)}
    client.force_login(personas.coordinator)
    for n in range(2):
        assert _invite(client, django_capture_on_commit_callbacks, email=f"p{n}@example.org").status_code == 302

    response = _invite(client, django_capture_on_commit_callbacks, email="p3@example.org")

    assert response.status_code == 429
    assert "sent a lot of invitations" in response.content.decode()
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_another_organisations_coordinator_cannot_invite_here(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.outside_coordinator)
    response = _invite(client, django_capture_on_commit_callbacks, slug="riverside")
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert mail.outbox == []


# --- Accepting -------------------------------------------------------------------------------


def test_visitor_sees_the_invitation_and_is_asked_to_log_in_or_sign_up(client, invited):
    url = reverse("organisations:invitation", args=[invited])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Riverside Peer Support" in page
    assert "peer volunteer" in page
    assert f"{reverse('accounts:login')}?next=%2Finvitations%2F{invited}%2F" in page
    assert f"{reverse('accounts:signup')}?next=%2Finvitations%2F{invited}%2F" in page
    assert "Accept invitation" not in page


def test_visitor_cannot_accept_without_logging_in(client, invited):
    response = _accept(client, invited)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Invitation.objects.get().accepted_at is None


def test_person_accepts_and_joins_with_the_role(client, personas, invited):
    newcomer = UserFactory(email="newcomer@example.org")
    client.force_login(newcomer)
    page = client.get(reverse("organisations:invitation", args=[invited])).content.decode()
    assert "Accept invitation" in page
    assert "different email address" not in page

    response = _accept(client, invited)

    assert response["Location"] == reverse("organisations:detail", args=["riverside"])
    assert Membership.objects.filter(user=newcomer, organisation=personas.organisation, role="peer").exists()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == newcomer
    assert invitation.status == "accepted"
    accepted = AuditEvent.objects.get(action="invitation.accepted")
    assert (accepted.actor, accepted.organisation) == (newcomer, personas.organisation)
    granted = AuditEvent.objects.get(action="membership.granted")
    assert granted.subject_id == str(newcomer.public_id)
    welcome = client.get(response["Location"]).content.decode()
    assert "Welcome to Riverside Peer Support" in welcome


def test_accepting_with_a_different_account_is_explained(client, personas, invited):
    client.force_login(personas.outsider)
    page = client.get(reverse("organisations:invitation", args=[invited])).content.decode()
    assert "sent to a different email address" in page


def test_expired_invitation_changes_nothing(client, personas, invited):
    newcomer = UserFactory()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        client.force_login(newcomer)  # a fresh session: the old one would have expired too
        page = client.get(reverse("organisations:invitation", args=[invited]))
        response = _accept(client, invited)
    assert page.status_code == 410
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    assert Invitation.objects.get().accepted_at is None
    assert not AuditEvent.objects.filter(action="invitation.accepted").exists()


def test_invitation_still_works_just_before_it_expires(client, personas, invited):
    newcomer = UserFactory()
    client.force_login(newcomer)
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        _accept(client, invited)
    assert Membership.objects.filter(user=newcomer, organisation=personas.organisation).exists()


def test_used_invitation_cannot_be_used_again(client, personas, invited):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    _accept(client, invited)

    client.force_login(second)
    response = _accept(client, invited)

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=second).exists()
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_withdrawn_invitation_cannot_be_used(client, personas, invited):
    invitation = Invitation.objects.get()
    client.force_login(personas.coordinator)
    response = client.post(reverse("organisations:invitation_withdraw", args=["riverside", invitation.public_id]))
    assert response.status_code == 302
    assert "Withdrawn" in client.get(response["Location"]).content.decode()
    event = AuditEvent.objects.get(action="invitation.revoked")
    assert (event.actor, event.subject_id) == (personas.coordinator, str(invitation.public_id))

    newcomer = UserFactory()
    client.force_login(newcomer)
    response = _accept(client, invited)

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_another_organisations_coordinator_cannot_withdraw_an_invitation(client, personas, invited):
    invitation = Invitation.objects.get()
    client.force_login(personas.outside_coordinator)
    for slug in ("riverside", "hilltop"):
        url = reverse("organisations:invitation_withdraw", args=[slug, invitation.public_id])
        assert client.post(url).status_code == 404
    assert Invitation.objects.get().status == "pending"


@pytest.mark.parametrize("token", ["forged-token", "x" * 43, "y" * 500])
def test_forged_invitation_links_change_nothing(client, personas, invited, token):
    newcomer = UserFactory()
    client.force_login(newcomer)
    page = client.get(reverse("organisations:invitation", args=[token]))
    response = _accept(client, token)
    assert page.status_code == response.status_code == 404
    assert "isn&#x27;t valid" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_only_ever_grants_its_own_organisation(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.outside_coordinator)
    _invite(client, django_capture_on_commit_callbacks, slug="hilltop", role="coordinator")
    hilltop_token = token_from_last_email()
    client.force_login(personas.coordinator)
    _invite(client, django_capture_on_commit_callbacks, slug="riverside", role="peer")
    riverside_token = token_from_last_email()

    newcomer = UserFactory()
    client.force_login(newcomer)
    _accept(client, riverside_token)

    assert set(Membership.objects.filter(user=newcomer).values_list("organisation__slug", "role")) == {
        ("riverside", "peer")
    }
    assert client.get(reverse("organisations:detail", args=["hilltop"])).status_code == 404
    assert Invitation.objects.get(token_digest=keyed_digest(hilltop_token, purpose="invitation")).status == "pending"


def test_accepting_a_coordinator_invitation_opens_the_admin(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.coordinator)
    _invite(client, django_capture_on_commit_callbacks, role="coordinator")
    newcomer = UserFactory(email="Newcomer@Example.org")
    client.force_login(newcomer)
    _accept(client, token_from_last_email())
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_staff_role_invitation_only_works_for_the_address_it_was_sent_to(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.coordinator)
    _invite(client, django_capture_on_commit_callbacks, role="coordinator")
    token = token_from_last_email()
    someone_else = UserFactory(email="forwarded-to@example.org")
    client.force_login(someone_else)
    response = _accept(client, token)
    assert response.status_code == 403
    assert "This invitation is for newcomer@example.org" in response.content.decode()
    someone_else.refresh_from_db()
    assert not someone_else.is_staff
    assert not Membership.objects.filter(user=someone_else).exists()
    assert Invitation.objects.get().status == "pending"
