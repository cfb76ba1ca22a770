from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.accounts.models import ConsentRecord, Profile, User
from kindred.commons.models import Engagement
from kindred.commons.spine import engagement_record
from kindred.core.models import AuditEvent
from kindred.organisations.models import Membership
from kindred.testing.personas import PASSWORD

from .helpers import text

pytestmark = pytest.mark.django_db

DELETE = reverse("accounts:delete")


@pytest.fixture
def member(personas, client, django_capture_on_commit_callbacks) -> User:
    person = personas.member
    client.force_login(person)
    client.post(reverse("accounts:consent_update"), {"research_contact": "on"})
    engagement_record(person=person, subject=personas.organisation, form="group", role="receiving")
    return person


def test_delete_erases_everything_that_is_only_theirs(client, member):
    public_id, pk = str(member.public_id), member.pk
    assert Engagement.objects.filter(person_id=pk).exists()
    assert Membership.objects.filter(user_id=pk).exists()

    response = client.post(DELETE, {"current_password": PASSWORD, "understand": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:goodbye")
    assert "Your account is deleted" in text(response)
    assert client.session.get("_auth_user_id") is None
    assert not User.objects.filter(pk=pk).exists()
    assert not Profile.objects.filter(user_id=pk).exists()
    assert not ConsentRecord.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not Engagement.objects.filter(person_id=pk).exists()
    deleted = AuditEvent.objects.get(action="account.deleted")
    assert deleted.detail == {"account": public_id}
    assert deleted.actor is None
    assert "member@example.org" not in str(deleted.detail)
    login = client.post(reverse("accounts:login"), {"email": "member@example.org", "password": PASSWORD})
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current_password": "wrong", "understand": "on"}, "That password isn't right"),
        ({"current_password": PASSWORD}, "Please tick to show you understand"),
        ({}, "This field is required"),
    ],
)
def test_delete_changes_nothing_without_password_and_tick(client, member, data, message):
    response = client.post(DELETE, data)
    assert response.status_code == 400
    assert message in text(response)
    assert User.objects.filter(pk=member.pk).exists()
    assert Profile.objects.filter(user=member).exists()
    assert ConsentRecord.objects.filter(user=member).count() == 1
    assert Membership.objects.filter(user=member).exists()
    assert Engagement.objects.filter(person=member).exists()
    assert not AuditEvent.objects.filter(action="account.deleted").exists()
    assert client.session.get("_auth_user_id") == str(member.pk)


def test_guessing_the_password_to_delete_is_limited(client, member, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for _ in range(limit):
        client.post(DELETE, {"current_password": "guess", "understand": "on"})
    response = client.post(DELETE, {"current_password": PASSWORD, "understand": "on"})
    assert response.status_code == 429
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_page_explains_before_asking(client, member):
    page = text(client.get(DELETE))
    assert "This can't be undone" in page
    assert 'name="current_password"' in page
    assert 'name="understand"' in page
