"""Self-referral and professional referral, through the pages a person or a referrer uses."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.directory.models import Referral

from .offer_helpers import make_offer

pytestmark = pytest.mark.django_db


def refer_url(offer, kind: str = "") -> str:
    url = reverse("directory:self_refer", kwargs={"slug": offer.slug})
    return f"{url}?kind={kind}" if kind else url


def self_referral_data(**overrides):
    data = {"kind": "join", "message": "I've been feeling low and would like to meet people.", "contact": "email"}
    data.update(overrides)
    return data


# --- self-referral ------------------------------------------------------------------------------


def test_anonymous_person_is_sent_to_log_in_and_back(client, personas):
    offer = make_offer(personas.organisation)
    url = refer_url(offer, "join")
    response = client.get(url)
    assert response.status_code == 302
    login = reverse("accounts:login")
    assert response["Location"].startswith(login)
    assert "next=" in response["Location"] and offer.slug in response["Location"]
    assert client.post(refer_url(offer), self_referral_data()).status_code == 302
    assert not Referral.objects.exists()


def test_request_page_names_the_offer_and_preselects_the_choice(client, personas):
    offer = make_offer(personas.organisation, title="Hearing Voices Group")
    client.force_login(personas.member)
    html = client.get(refer_url(offer, "talk_first")).content.decode()
    assert "Hearing Voices Group" in html
    assert re.search(r'<input[^>]*value="talk_first"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="join"[^>]*checked', html)


def test_self_referral_happy_path(client, personas, django_capture_on_commit_callbacks):
    offer = make_offer(personas.organisation, title="Walk and Talk", contact_email="walks@example.org")
    client.force_login(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            refer_url(offer), self_referral_data(kind="talk_first", contact="phone", contact_detail="07700 900123")
        )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:referral", kwargs={"public_id": referral.public_id})
    assert referral.person == personas.member
    assert referral.kind == "talk_first"
    assert referral.status == "new"
    assert referral.organisation == personas.organisation
    assert referral.message.startswith("I've been feeling low")
    assert referral.preferred_contact == "By phone — 07700 900123"

    # The offer's contact is told, without the person's details in the email.
    assert [m.to for m in mail.outbox] == [["walks@example.org"]]
    body = mail.outbox[0].body
    assert "Walk and Talk" in body and str(referral.public_id) in body
    assert "feeling low" not in body and personas.member.email not in body

    event = AuditEvent.objects.get(action="referral.created")
    assert event.actor == personas.member and event.subject_id == str(referral.public_id)
    assert event.detail == {"kind": "talk_first", "offer": offer.slug}

    page = client.get(response["Location"]).content.decode()
    assert "your request has gone to Riverside Peer Support" in page
    assert "What happens next" in page


def test_without_an_offer_contact_the_coordinators_are_emailed(client, personas, django_capture_on_commit_callbacks):
    offer = make_offer(personas.organisation, contact_email="")
    client.force_login(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(refer_url(offer), self_referral_data())
    assert [m.to for m in mail.outbox] == [[personas.coordinator.email]]


def test_a_second_request_while_one_is_open_is_not_duplicated(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    first = client.post(refer_url(offer), self_referral_data())
    second = client.post(refer_url(offer), self_referral_data(message="Me again"))
    assert Referral.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "already asked about" in page
    assert "no need to send another" in page


def test_missing_choice_and_phone_without_number_are_explained_and_nothing_stored(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    response = client.post(refer_url(offer), {"message": "hello", "contact": "phone"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose whether you&#x27;d like to join or talk to someone first." in html
    assert "Please give a phone number so they can call you." in html
    assert 'class="error-summary"' in html
    assert not Referral.objects.exists()


def test_over_long_message_is_refused(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    response = client.post(refer_url(offer), self_referral_data(message="x" * 3001))
    assert response.status_code == 400
    assert "Ensure this value has at most 3000 characters" in response.content.decode()
    assert not Referral.objects.exists()


def test_unpublished_offer_cannot_be_requested(client, personas):
    offer = make_offer(personas.organisation, status="pending_review")
    client.force_login(personas.member)
    assert client.get(refer_url(offer)).status_code == 404
    assert client.post(refer_url(offer), self_referral_data()).status_code == 404
    assert not Referral.objects.exists()


def test_self_referral_wrong_method_is_405(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    assert client.put(refer_url(offer)).status_code == 405
    assert client.post(reverse("directory:my_requests")).status_code == 405


def test_self_referral_rate_limit(client, personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "referral": (2, 3600)}
    client.force_login(personas.member)
    offers = [make_offer(personas.organisation) for _ in range(3)]
    assert client.post(refer_url(offers[0]), self_referral_data()).status_code == 302
    assert client.post(refer_url(offers[1]), self_referral_data()).status_code == 302
    response = client.post(refer_url(offers[2]), self_referral_data())
    assert response.status_code == 429
    assert "paused this for a while" in response.content.decode()
    assert Referral.objects.count() == 2


def test_person_sees_the_status_change_after_the_coordinator_marks_contacted(client, personas):
    offer = make_offer(personas.organisation, title="Peer Mentoring Scheme", kind="scheme")
    client.force_login(personas.member)
    client.post(refer_url(offer), self_referral_data())
    referral = Referral.objects.get()
    html = client.get(reverse("directory:my_requests")).content.decode()
    assert "Peer Mentoring Scheme" in html and "Status: New" in html

    client.force_login(personas.coordinator)
    response = client.post(
        reverse("directory:referral_status", kwargs={"public_id": referral.public_id}), {"status": "contacted"}
    )
    assert response.status_code == 302

    client.force_login(personas.member)
    html = client.get(reverse("directory:my_requests")).content.decode()
    assert "Status: Contacted" in html
    detail = client.get(reverse("directory:referral", kwargs={"public_id": referral.public_id})).content.decode()
    assert "Status: Contacted" in detail
    assert "has been in touch" in detail


def test_a_request_page_is_hidden_from_everyone_but_the_person_and_the_coordinators(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    client.post(refer_url(offer), self_referral_data(message="Something private"))
    url = reverse("directory:referral", kwargs={"public_id": Referral.objects.get().public_id})

    for stranger in (personas.peer, personas.facilitator, personas.outsider, personas.outside_coordinator):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(personas.coordinator)
    assert "Something private" in client.get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_the_person_cannot_change_their_own_request_status(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.member)
    client.post(refer_url(offer), self_referral_data())
    referral = Referral.objects.get()
    response = client.post(
        reverse("directory:referral_status", kwargs={"public_id": referral.public_id}), {"status": "joined"}
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "new"


# --- professional referral ----------------------------------------------------------------------


def pro_url(offer) -> str:
    return reverse("directory:professional_referral", kwargs={"slug": offer.slug})


def started_from_page(client, offer, *, seconds_ago: int = 120) -> str:
    """Open the form as a referrer would, some time ago, and take the signed timestamp it carries."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds_ago)):
        html = client.get(pro_url(offer)).content.decode()
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def pro_data(token: str, **overrides):
    data = {
        "referrer_name": "Dr Asha Patel",
        "referrer_role": "GP",
        "referrer_organisation": "Riverside Health Centre",
        "referrer_email": "asha.patel@nhs.example",
        "referrer_phone": "",
        "person_name": "Sam",
        "person_email": "sam@example.org",
        "person_phone": "",
        "message": "Sam would like to meet other people who hear voices, in the evenings if possible.",
        "person_agreed": "on",
        "website": "",
        "started": token,
    }
    data.update(overrides)
    return data


def test_professional_referral_needs_no_account(client, personas, django_capture_on_commit_callbacks):
    offer = make_offer(personas.organisation, title="Hearing Voices Group", contact_email="")
    started = started_from_page(client, offer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pro_url(offer), pro_data(started))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:professional_referral_sent", kwargs={"slug": offer.slug})
    referral = Referral.objects.get()
    assert referral.kind == "professional" and referral.person is None and referral.person_agreed
    assert referral.person_email == "sam@example.org" and referral.referrer_role == "GP"
    assert referral.organisation == personas.organisation
    assert [m.to for m in mail.outbox] == [[personas.coordinator.email]]
    assert "sam@example.org" not in mail.outbox[0].body and "Sam" not in mail.outbox[0].body
    event = AuditEvent.objects.get(action="referral.created")
    assert event.actor is None and "sam" not in str(event.detail).lower()
    page = client.get(response["Location"]).content.decode()
    assert "your referral has been sent" in page


def test_professional_referral_form_is_labelled_and_hides_its_spam_guard(client, personas):
    offer = make_offer(personas.organisation)
    html = client.get(pro_url(offer)).content.decode()
    assert '<label for="id_person_agreed">The person has agreed to this referral</label>' in html
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="id_website">', html)
    assert 'name="started" value="' in html


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"person_agreed": ""}, "Please tick to confirm the person has agreed to this referral."),
        ({"person_email": "", "person_phone": ""}, "Please give an email address or a phone number for the person"),
        ({"website": "http://cheap-pills.example"}, "We couldn&#x27;t send this."),
        ({"person_email": "not-an-email"}, "Enter a valid email address."),
        ({"message": "x" * 3001}, "Ensure this value has at most 3000 characters"),
        ({"referrer_name": "x" * 151}, "Ensure this value has at most 150 characters"),
        ({"referrer_email": ""}, "This field is required."),
        ({"started": "forged:token"}, "Something went wrong with this form."),
    ],
)
def test_bad_professional_referrals_are_explained_and_nothing_is_stored(client, personas, overrides, expected):
    offer = make_offer(personas.organisation)
    response = client.post(pro_url(offer), pro_data(started_from_page(client, offer), **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert expected in html
    assert 'class="error-summary"' in html
    assert not Referral.objects.exists()


def test_a_referral_sent_back_within_seconds_is_refused_then_accepted_later(client, personas):
    offer = make_offer(personas.organisation)
    started = started_from_page(client, offer, seconds_ago=1)
    response = client.post(pro_url(offer), pro_data(started))
    assert response.status_code == 400
    assert "sent very quickly" in response.content.decode()
    assert not Referral.objects.exists()
    # The page carries a fresh timestamp; a person who checks and sends again a little later gets through.
    fresh = re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert client.post(pro_url(offer), pro_data(fresh)).status_code == 302
    assert Referral.objects.count() == 1


def test_a_form_left_open_for_days_asks_to_send_again(client, personas):
    offer = make_offer(personas.organisation)
    started = started_from_page(client, offer, seconds_ago=3 * 24 * 3600)
    response = client.post(pro_url(offer), pro_data(started))
    assert response.status_code == 400
    assert "open for a long time" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_honeypot_value_is_not_sent_back(client, personas):
    offer = make_offer(personas.organisation)
    response = client.post(pro_url(offer), pro_data(started_from_page(client, offer), website="spam-value"))
    assert "spam-value" not in response.content.decode()


def test_professional_referrals_are_rate_limited_by_ip(client, personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "referral": (2, 3600)}
    offer = make_offer(personas.organisation)
    started = started_from_page(client, offer)
    assert client.post(pro_url(offer), pro_data(started)).status_code == 302
    assert client.post(pro_url(offer), pro_data(started, person_name="Alex")).status_code == 302
    response = client.post(pro_url(offer), pro_data(started, person_name="Jo"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "paused this for a while" in response.content.decode()
    assert Referral.objects.count() == 2
    # Another address is counted separately.
    assert client.post(pro_url(offer), pro_data(started), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_professional_referral_to_an_unlisted_offer_is_404(client, personas):
    offer = make_offer(personas.organisation, status="pending_review")
    assert client.get(pro_url(offer)).status_code == 404
    assert client.post(pro_url(offer), pro_data("x")).status_code == 404


def test_professional_referral_wrong_method_is_405(client, personas):
    offer = make_offer(personas.organisation)
    assert client.delete(pro_url(offer)).status_code == 405
