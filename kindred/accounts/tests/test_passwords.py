from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.testing.personas import PASSWORD

from .helpers import audit_actions, link_in_last_email, text, too_many

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
RESET_SENT = reverse("accounts:password_reset_done")
CHANGE = reverse("accounts:password_change")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "quiet-river-morning-tea"


def ask_for_reset(client, capture, email: str, **extra):
    with capture(execute=True):
        return client.post(RESET, {"email": email}, **extra)


def test_password_reset_by_email(client, personas, django_capture_on_commit_callbacks):
    response = ask_for_reset(client, django_capture_on_commit_callbacks, "Member@example.org")
    assert response.status_code == 302
    assert response.url == RESET_SENT
    link = link_in_last_email("member@example.org")
    assert str(personas.member.public_id) in link, "links carry the public id, not the database id"

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Your password is changed" in text(client.get(response.url))

    personas.member.refresh_from_db()
    assert personas.member.check_password(NEW_PASSWORD)
    assert "account.password_changed" in audit_actions()
    # The link works once only.
    assert "this link doesn't work" in text(client.get(link, follow=True))


def test_reset_link_uses_the_configured_site_not_the_request_host(
    client, personas, django_capture_on_commit_callbacks, settings
):
    ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org", HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body
    assert settings.SITE_URL in mail.outbox[0].body


def test_reset_does_not_reveal_whether_an_account_exists(client, personas, django_capture_on_commit_callbacks):
    known = ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org")
    unknown = ask_for_reset(client, django_capture_on_commit_callbacks, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    page = text(client.get(RESET_SENT))
    assert "If that address belongs to a Kindred account" in page


def test_weak_new_password_is_refused(client, personas, django_capture_on_commit_callbacks):
    ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org")
    form_page = client.get(link_in_last_email("member@example.org"), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert "This password is too common" in text(response)
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)


def test_expired_reset_link_changes_nothing(client, personas, django_capture_on_commit_callbacks):
    ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org")
    link = link_in_last_email("member@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        page = client.get(link, follow=True)
    assert "this link doesn't work" in text(page)


def test_forged_reset_link_is_refused(client, personas):
    page = client.get(reverse("accounts:password_reset_confirm", args=[personas.member.public_id, "abc-def"]))
    assert "this link doesn't work" in text(page)
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)


def test_reset_requests_are_limited_per_email(client, personas, settings, django_capture_on_commit_callbacks):
    limit, _window = settings.RATE_LIMITS["password_reset"]
    for n in range(limit):
        ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org", REMOTE_ADDR=f"10.0.0.{n}")
    response = ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org", REMOTE_ADDR="10.0.1.1")
    assert too_many(response)
    assert len(mail.outbox) == limit


def test_reset_requests_are_limited_per_address(client, personas, settings, django_capture_on_commit_callbacks):
    limit, _window = settings.RATE_LIMITS["password_reset"]
    for n in range(limit):
        ask_for_reset(client, django_capture_on_commit_callbacks, f"someone{n}@example.org")
    response = ask_for_reset(client, django_capture_on_commit_callbacks, "member@example.org")
    assert too_many(response)
    assert mail.outbox == []


# --- changing password while logged in ---------------------------------------


def test_password_change_keeps_me_logged_in(client, personas):
    client.force_login(personas.member)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password is changed" in text(response)
    assert client.session.get("_auth_user_id") == str(personas.member.pk)
    assert client.get(reverse("accounts:settings")).status_code == 200
    personas.member.refresh_from_db()
    assert personas.member.check_password(NEW_PASSWORD)
    assert audit_actions() == ["account.password_changed"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, "incorrectly"),
        ({"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other"}, "didn’t match"),
        ({"old_password": PASSWORD, "new_password1": "12345678901", "new_password2": "12345678901"}, "too common"),
    ],
)
def test_password_change_refused(client, personas, data, message):
    client.force_login(personas.member)
    response = client.post(CHANGE, data)
    assert response.status_code == 400
    assert message in text(response)
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)
    assert audit_actions() == []


def test_password_change_needs_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
