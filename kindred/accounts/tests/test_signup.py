from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kindred.accounts.models import ConsentKind, ConsentRecord, Profile, User
from kindred.testing.factories import UserFactory

from .helpers import audit_actions, link_in_last_email, text, too_many

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def details(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Robin@Example.org",
        "display_name": "Wren",
        "real_name": "Robin Ashdown",
        "password1": "kettle-harbour-lantern",
        "password2": "kettle-harbour-lantern",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_signup_page_explains_pseudonym_and_research_is_unticked(client):
    page = text(client.get(SIGNUP))
    assert "It can be a pseudonym" in page
    assert 'name="research_contact"' in page
    research = page.split('name="research_contact"')[1].split(">")[0]
    assert "checked" not in research


def test_signup_creates_account_logs_in_and_emails_a_working_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, details(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    page = text(response)
    assert "Hello, Wren" in page
    assert "We've sent a link to robin@example.org" in page

    user = User.objects.get()
    assert user.email == "robin@example.org"
    assert (user.display_name, user.real_name) == ("Wren", "Robin Ashdown")
    assert user.check_password("kettle-harbour-lantern")
    assert user.email_verified_at is None
    assert Profile.objects.filter(user=user).exists()
    consents = {c.kind: c for c in ConsentRecord.objects.filter(user=user)}
    assert set(consents) == set(ConsentKind.values)
    for kind, record in consents.items():
        assert record.version == settings.CONSENT_VERSIONS[kind]
    assert consents["terms"].granted and consents["privacy"].granted
    assert consents["research_contact"].granted is False
    assert audit_actions() == ["account.signup"]

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin@example.org"]
    response = client.get(link_in_last_email("robin@example.org"), follow=True)
    assert "your email address is confirmed" in text(response)
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_research_contact_is_recorded_when_ticked(client):
    client.post(SIGNUP, details(research_contact="on"))
    record = ConsentRecord.objects.get(kind=ConsentKind.RESEARCH_CONTACT)
    assert record.granted is True


def assert_nothing_stored() -> None:
    assert User.objects.count() == 0
    assert Profile.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert mail.outbox == []


def test_duplicate_email_is_refused_whatever_its_case(client, django_capture_on_commit_callbacks):
    UserFactory(email="robin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, details(email="ROBIN@example.ORG"))
    assert response.status_code == 200
    assert "An account with this email address already exists" in text(response)
    assert User.objects.count() == 1
    assert ConsentRecord.objects.count() == 0
    assert mail.outbox == []
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "password123", "password2": "password123"}, "This password is too common"),
        ({"password1": "short", "password2": "short"}, "This password is too short"),
        ({"password1": "robin-ashdown", "password2": "robin-ashdown"}, "too similar"),
        ({"password2": "something-else-entirely"}, "The two passwords don't match"),
        ({"display_name": "x" * 51}, "Please keep this to 50 characters or fewer (it has 51)"),
        ({"real_name": "x" * 151}, "Please keep this to 150 characters or fewer (it has 151)"),
        ({"display_name": "   "}, "Please choose a display name"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"accept_terms": None}, "Please tick to agree to the terms of use"),
        ({"accept_privacy": None}, "Please tick to agree to the privacy notice"),
    ],
)
def test_bad_sign_up_details_get_a_clear_message_and_store_nothing(
    client, django_capture_on_commit_callbacks, overrides, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, details(**overrides))
    assert response.status_code == 200
    page = text(response)
    assert "There's a problem" in page
    assert message in page
    assert_nothing_stored()


def test_signups_from_one_address_are_limited(client, settings):
    limit, _window = settings.RATE_LIMITS["signup"]
    for n in range(limit):
        response = client.post(SIGNUP, details(email=f"person{n}@example.org"))
        assert response.status_code == 302
        client.logout()
    response = client.post(SIGNUP, details(email="one-too-many@example.org"))
    assert too_many(response)
    assert response["Retry-After"]
    assert not User.objects.filter(email="one-too-many@example.org").exists()


def test_fumbling_the_form_does_not_use_up_the_limit(client, settings):
    limit, _window = settings.RATE_LIMITS["signup"]
    for _ in range(limit + 2):
        client.post(SIGNUP, details(password2="typo"))
    assert client.post(SIGNUP, details()).status_code == 302
    assert User.objects.count() == 1


def test_logged_in_people_are_sent_to_their_dashboard(client, personas):
    client.force_login(personas.member)
    assert client.get(SIGNUP).url == reverse("dashboard")
