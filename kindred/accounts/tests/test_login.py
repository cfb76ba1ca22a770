from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.testing.personas import PASSWORD

from .helpers import text, too_many

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
NOT_RIGHT = "That email address or password isn't right"


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_good_login_whatever_the_case_of_the_email(client, personas):
    response = client.post(LOGIN, {"email": "  Member@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert logged_in_as(client) == str(personas.member.pk)


@pytest.mark.parametrize(
    ("email", "password"),
    [("member@example.org", "not-the-password"), ("nobody@example.org", PASSWORD)],
    ids=["wrong-password", "no-such-account"],
)
def test_bad_login_gets_the_same_gentle_message_either_way(client, personas, email, password):
    response = client.post(LOGIN, {"email": email, "password": password})
    assert response.status_code == 200
    assert NOT_RIGHT in text(response)
    assert logged_in_as(client) is None


def test_inactive_account_cannot_log_in(client, personas):
    personas.member.is_active = False
    personas.member.save()
    response = client.post(LOGIN, {"email": "member@example.org", "password": PASSWORD})
    assert NOT_RIGHT in text(response)
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/account/profile/", "/account/profile/"),
        ("https://evil.example/steal", "/dashboard/"),
        ("//evil.example/steal", "/dashboard/"),
    ],
)
def test_next_is_followed_only_within_the_site(client, personas, next_url, lands_on):
    response = client.post(LOGIN, {"email": "member@example.org", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.url == lands_on


def test_login_form_carries_a_safe_next_through(client):
    page = text(client.get(LOGIN, {"next": "/account/settings/"}))
    assert 'name="next" value="/account/settings/"' in page


def test_eleventh_attempt_on_one_account_is_blocked_even_with_the_right_password(client, personas, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for _ in range(limit):
        assert client.post(LOGIN, {"email": "member@example.org", "password": "guess"}).status_code == 200
    response = client.post(LOGIN, {"email": "member@example.org", "password": PASSWORD})
    assert too_many(response)
    assert logged_in_as(client) is None


def test_one_address_trying_many_accounts_is_blocked(client, personas, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for n in range(limit):
        client.post(LOGIN, {"email": f"someone{n}@example.org", "password": "guess"})
    response = client.post(LOGIN, {"email": "peer@example.org", "password": PASSWORD})
    assert too_many(response)
    assert logged_in_as(client) is None


def test_attempts_from_another_address_on_another_account_are_not_blocked(client, personas, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for _ in range(limit + 1):
        client.post(LOGIN, {"email": "member@example.org", "password": "guess"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(LOGIN, {"email": "peer@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_logout_needs_a_post(client, personas):
    client.force_login(personas.member)
    assert client.get(LOGOUT).status_code == 405
    assert logged_in_as(client) == str(personas.member.pk)
    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You've logged out" in text(response)
    assert logged_in_as(client) is None


def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(client, personas, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for n in range(limit - 1):
        client.post(LOGIN, {"email": f"someone{n}@example.org", "password": "guess"})
    assert client.post(LOGIN, {"email": "peer@example.org", "password": PASSWORD}).status_code == 302
    client.logout()
    assert too_many(client.post(LOGIN, {"email": "someone@example.org", "password": "guess"}))


def test_a_good_login_clears_the_accounts_own_count(client, personas, settings):
    limit, _window = settings.RATE_LIMITS["login"]
    for round_ in range(2):
        for n in range(limit - 1):
            client.post(LOGIN, {"email": "member@example.org", "password": "typo"}, REMOTE_ADDR=f"10.{round_}.0.{n}")
        response = client.post(LOGIN, {"email": "member@example.org", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 302, round_
        client.logout()
