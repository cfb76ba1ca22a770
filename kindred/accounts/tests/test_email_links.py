from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.testing.factories import UserFactory
from kindred.testing.personas import PASSWORD

from .helpers import audit_actions, link_in_last_email, text

pytestmark = pytest.mark.django_db

RESEND = reverse("accounts:resend_verification")
EMAIL_CHANGE = reverse("accounts:email_change")
LOGIN = reverse("accounts:login")


@pytest.fixture
def unverified(db) -> User:
    return UserFactory(email="ash@example.org", display_name="Ash", email_verified_at=None)


def fresh_verification_link(client, user, capture) -> str:
    client.force_login(user)
    with capture(execute=True):
        assert client.post(RESEND).status_code == 302
    return link_in_last_email(user.email)


def test_resend_sends_a_link_that_confirms_the_address(client, unverified, django_capture_on_commit_callbacks):
    link = fresh_verification_link(client, unverified, django_capture_on_commit_callbacks)
    response = client.get(link, follow=True)
    assert "your email address is confirmed" in text(response)
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None
    assert "account.email_verified" in audit_actions()


def test_link_works_on_another_device_without_logging_in(client, unverified, django_capture_on_commit_callbacks):
    link = fresh_verification_link(client, unverified, django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert "your email address is confirmed" in text(response)
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_forged_link_is_refused_kindly_and_changes_nothing(client, unverified, django_capture_on_commit_callbacks):
    link = fresh_verification_link(client, unverified, django_capture_on_commit_callbacks)
    forged = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.get(forged)
    assert response.status_code == 400
    assert "Sorry, this link doesn't work" in text(response)
    assert "Nothing has been changed" in text(response)
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_nonsense_link_is_refused(client, unverified):
    response = client.get("/account/verify/not-a-token/")
    assert response.status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_expired_link_is_refused_and_changes_nothing(client, unverified, django_capture_on_commit_callbacks):
    link = fresh_verification_link(client, unverified, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        response = client.get(link)
    assert response.status_code == 400
    assert "expired" in text(response)
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_link_still_works_just_before_it_expires(client, unverified, django_capture_on_commit_callbacks):
    link = fresh_verification_link(client, unverified, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        assert client.get(link).status_code in (200, 302)
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_resend_needs_login(client):
    response = client.get(RESEND)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert client.post(RESEND).status_code == 302
    assert mail.outbox == []


def test_resend_is_limited_so_no_one_can_be_flooded(client, unverified, settings, django_capture_on_commit_callbacks):
    client.force_login(unverified)
    limit, _window = settings.RATE_LIMITS["email_change"]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(limit):
            client.post(RESEND)
        response = client.post(RESEND)
    assert response.status_code == 429
    assert len(mail.outbox) == limit


# --- changing email ---------------------------------------------------------


def test_email_change_flow(client, personas, django_capture_on_commit_callbacks):
    member = personas.member
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMAIL_CHANGE, {"new_email": "New.Me@Example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "member@example.org", "nothing changes until the link is followed"
    link = link_in_last_email("new.me@example.org")

    # Opening the link (as a mail scanner would) only asks.
    page = client.get(link)
    assert page.status_code == 200
    assert "Use my new email address" in text(page)
    member.refresh_from_db()
    assert member.email == "member@example.org"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, follow=True)
    assert "Your email address is now new.me@example.org" in text(response)
    member.refresh_from_db()
    assert member.email == "new.me@example.org"
    assert member.email_verified
    notice = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert len(notice) == 1
    assert "has just been changed" in notice[0].body
    actions = audit_actions()
    assert actions.count("account.email_change_requested") == 1
    assert actions.count("account.email_changed") == 1

    client.logout()
    assert client.post(LOGIN, {"email": "new.me@example.org", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_email": "fresh@example.org", "current_password": "wrong"}, "That password isn't right"),
        ({"new_email": "peer@example.org", "current_password": PASSWORD}, "Another account already uses"),
        ({"new_email": "MEMBER@example.org", "current_password": PASSWORD}, "That is already your email address"),
        ({"new_email": "not an email", "current_password": PASSWORD}, "Enter a valid email address"),
    ],
)
def test_email_change_refused(client, personas, django_capture_on_commit_callbacks, data, message):
    client.force_login(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMAIL_CHANGE, data)
    assert response.status_code == 400
    assert message in text(response)
    assert mail.outbox == []
    assert "account.email_change_requested" not in audit_actions()


def test_forged_email_change_link_changes_nothing(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL_CHANGE, {"new_email": "new@example.org", "current_password": PASSWORD})
    link = link_in_last_email("new@example.org")
    forged = link.replace("/confirm/", "/confirm/x")
    response = client.post(forged)
    assert response.status_code == 400
    personas.member.refresh_from_db()
    assert personas.member.email == "member@example.org"


def test_email_change_link_expires(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL_CHANGE, {"new_email": "new@example.org", "current_password": PASSWORD})
    link = link_in_last_email("new@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(link)
    assert response.status_code == 400
    personas.member.refresh_from_db()
    assert personas.member.email == "member@example.org"


def test_email_change_needs_login(client):
    response = client.post(EMAIL_CHANGE, {"new_email": "x@example.org", "current_password": "x"})
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
