"""Grassroots listings: submit, review, manage, and keep current."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.directory.models import Offer, OfferTime

from .offer_helpers import make_offer

pytestmark = pytest.mark.django_db


def listing_data(organisation_slug: str = "riverside", **overrides):
    data = {
        "organisation": organisation_slug,
        "title": "Canal Walkers",
        "summary": "A friendly weekly walk and chat for anyone feeling low.",
        "description": "We walk for an hour along the canal, then have tea. Nobody has to talk about anything.",
        "kind": "group",
        "delivery": "in_person",
        "town": "Riverside",
        "postcode": "RV1 2AB",
        "contact_email": "canalwalkers@example.org",
        "format": "activity",
        "can_bring_someone": "true",
        "can_just_listen": "",
        "first_visit": "Someone will say hello at the lock gates.",
        "is_free": "on",
        "times-TOTAL_FORMS": "3",
        "times-INITIAL_FORMS": "0",
        "times-MIN_NUM_FORMS": "0",
        "times-MAX_NUM_FORMS": "7",
        "times-0-weekday": "5",
        "times-0-starts_at": "10:30",
        "times-0-ends_at": "12:00",
        "times-0-note": "",
        "times-1-weekday": "2",
        "times-1-starts_at": "18:00",
        "times-1-ends_at": "",
        "times-1-note": "first Wednesday of the month",
    }
    data.update(overrides)
    return data


def submit(client, **overrides):
    return client.post(reverse("directory:submit_listing"), listing_data(**overrides))


def review(client, offer, decision: str, reason: str = ""):
    data = {"decision": decision}
    if reason:
        data[f"decline-{offer.slug}-reason"] = reason
    return client.post(reverse("directory:review_listing", kwargs={"slug": offer.slug}), data)


# --- submitting ---------------------------------------------------------------------------------


def test_listing_needs_an_account(client, personas):
    response = client.get(reverse("directory:submit_listing"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert submit(client).status_code == 302
    assert not Offer.objects.exists()


def test_a_submitted_listing_waits_for_review(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.outsider)  # anyone signed in, with any organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302 and response["Location"] == reverse("directory:my_listings")
    offer = Offer.objects.get()
    assert offer.status == "pending_review" and offer.is_grassroots
    assert offer.organisation == personas.organisation
    assert offer.listed_by == personas.outsider
    assert list(offer.managers.all()) == [personas.outsider]
    assert offer.can_bring_someone is True and offer.can_just_listen is None
    assert offer.slug == "canal-walkers"
    assert [(t.weekday, t.starts_at.strftime("%H:%M"), t.note) for t in OfferTime.objects.order_by("weekday")] == [
        (2, "18:00", "first Wednesday of the month"),
        (5, "10:30", ""),
    ]
    assert not Offer.objects.filter(status="published").exists()
    assert [m.to for m in mail.outbox] == [[personas.coordinator.email]]
    assert "Canal Walkers" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="listing.submitted", actor=personas.outsider).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Canal Walkers" in html and "quick check" in html


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": ""}, "Please fill in “Name of the group”."),
        ({"town": "", "postcode": ""}, "Please give the town or postcode, so people can find it."),
        ({"contact_email": ""}, "Please give an email address or a phone number so people can get in touch."),
        ({"organisation": "no-such-org"}, "Select a valid choice."),
        ({"kind": "psw_service"}, "Select a valid choice."),
        ({"times-0-starts_at": ""}, "Please give the starting time"),
        ({"times-0-ends_at": "09:00"}, "Please make the finishing time later than the starting time."),
        ({"title": "x" * 151}, "Ensure this value has at most 150 characters"),
        ({"times-TOTAL_FORMS": "50"}, "Please submit at most 7 forms."),
    ],
)
def test_bad_listings_are_explained_and_nothing_is_stored(client, personas, overrides, expected):
    client.force_login(personas.member)
    response = submit(client, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert expected in html
    assert 'class="error-summary"' in html
    assert not Offer.objects.exists() and not OfferTime.objects.exists()


def test_online_spaces_need_no_town(client, personas):
    client.force_login(personas.member)
    response = submit(client, delivery="online", kind="online_space", town="", postcode="")
    assert response.status_code == 302
    assert Offer.objects.get().kind == "online_space"


def test_listing_is_rate_limited(client, personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "listing": (1, 86400)}
    client.force_login(personas.member)
    assert submit(client).status_code == 302
    response = submit(client, title="Another Group")
    assert response.status_code == 429
    assert "paused this for now" in response.content.decode()
    assert Offer.objects.count() == 1


# --- reviewing ----------------------------------------------------------------------------------


def test_approving_publishes_the_listing(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.member)
    submit(client)
    offer = Offer.objects.get()

    client.force_login(personas.coordinator)
    queue = client.get(reverse("directory:review_queue")).content.decode()
    assert "Canal Walkers" in queue and "first Wednesday of the month" in queue
    with (
        time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = review(client, offer, "approve")
    assert response.status_code == 302
    assert list(Offer.objects.filter(status="published")) == [offer]
    offer.refresh_from_db()
    assert offer.last_confirmed_at == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert [m.to for m in mail.outbox] == [[personas.member.email]]
    assert "now listed" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="listing.approved", actor=personas.coordinator).exists()
    assert f'id="listing-{offer.slug}"' not in client.get(reverse("directory:review_queue")).content.decode()


def test_declining_needs_a_kind_reason_and_tells_the_submitter(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.member)
    submit(client)
    offer = Offer.objects.get()
    client.force_login(personas.coordinator)

    response = review(client, offer, "decline")
    assert response.status_code == 400
    assert "Please give a short, kind reason." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "pending_review"

    reason = "Please add when and where you meet, and we'll list it."
    with django_capture_on_commit_callbacks(execute=True):
        assert review(client, offer, "decline", reason).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "rejected"
    assert not Offer.objects.filter(status="published").exists()
    assert [m.to for m in mail.outbox] == [[personas.member.email]]
    assert reason in mail.outbox[0].body
    assert AuditEvent.objects.get(action="listing.declined").detail["reason"] == reason

    # The submitter sees why, changes it, and it goes back for another check.
    client.force_login(personas.member)
    mine = client.get(reverse("directory:my_listings")).content.decode()
    assert "Please add when and where you meet" in mine
    edit = reverse("directory:edit_listing", kwargs={"slug": offer.slug})
    data = listing_data(description="We meet on Saturdays at 10:30 by the lock gates, then have tea.")
    data.pop("organisation")
    assert client.post(edit, data).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "pending_review" and offer.description.startswith("We meet on Saturdays")


def test_the_review_queue_is_for_coordinators_of_that_organisation(client, personas):
    client.force_login(personas.member)
    submit(client)
    offer = Offer.objects.get()

    for person in (personas.member, personas.peer, personas.outsider):
        client.force_login(person)
        assert client.get(reverse("directory:review_queue")).status_code == 403
    # The submitter manages the listing but may not pass their own check.
    client.force_login(personas.member)
    assert review(client, offer, "approve").status_code == 403

    client.force_login(personas.outside_coordinator)
    assert f'id="listing-{offer.slug}"' not in client.get(reverse("directory:review_queue")).content.decode()
    client.force_login(personas.coordinator)
    assert f'id="listing-{offer.slug}"' in client.get(reverse("directory:review_queue")).content.decode()
    client.force_login(personas.outside_coordinator)
    assert review(client, offer, "approve").status_code == 404
    offer.refresh_from_db()
    assert offer.status == "pending_review"


def test_review_only_accepts_post_and_known_decisions(client, personas):
    client.force_login(personas.member)
    submit(client)
    offer = Offer.objects.get()
    client.force_login(personas.coordinator)
    assert client.get(reverse("directory:review_listing", kwargs={"slug": offer.slug})).status_code == 405
    assert client.post(reverse("directory:review_queue")).status_code == 405
    review(client, offer, "publish-everything")
    offer.refresh_from_db()
    assert offer.status == "pending_review"


# --- managing -----------------------------------------------------------------------------------


def test_the_submitter_edits_and_confirms_their_listing(client, personas):
    offer = make_offer(
        personas.organisation,
        title="Canal Walkers",
        is_grassroots=True,
        listed_by=personas.member,
        contact_email="cw@example.org",
    )
    offer.managers.add(personas.member)
    OfferTime.objects.create(offer=offer, weekday=5, starts_at="10:30")
    client.force_login(personas.member)
    edit = reverse("directory:edit_listing", kwargs={"slug": offer.slug})

    page = client.get(edit).content.decode()
    assert 'value="Canal Walkers"' in page and 'value="10:30"' in page

    data = listing_data(summary="A gentle walk, every Saturday.", **{"times-INITIAL_FORMS": "1"})
    data.pop("organisation")
    assert client.post(edit, data).status_code == 302
    offer.refresh_from_db()
    assert offer.summary == "A gentle walk, every Saturday." and offer.status == "published"
    assert offer.times.count() == 2
    assert AuditEvent.objects.get(action="listing.updated").detail["fields"]

    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        response = client.post(reverse("directory:confirm_listing", kwargs={"slug": offer.slug}), {"return_to": "mine"})
    assert response["Location"] == reverse("directory:my_listings")
    offer.refresh_from_db()
    assert offer.last_confirmed_at == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert AuditEvent.objects.filter(action="listing.confirmed", actor=personas.member).exists()


def test_other_people_cannot_edit_or_confirm_a_listing(client, personas):
    offer = make_offer(personas.organisation, is_grassroots=True, listed_by=personas.member)
    offer.managers.add(personas.member)
    pending = make_offer(personas.organisation, is_grassroots=True, status="pending_review")
    client.force_login(personas.peer)
    assert client.get(reverse("directory:edit_listing", kwargs={"slug": offer.slug})).status_code == 403
    assert client.get(reverse("directory:edit_listing", kwargs={"slug": pending.slug})).status_code == 404
    assert client.post(reverse("directory:confirm_listing", kwargs={"slug": offer.slug})).status_code == 403
    assert client.get(reverse("directory:confirm_listing", kwargs={"slug": offer.slug})).status_code == 405
    offer.refresh_from_db()
    assert offer.last_confirmed_at is None


# --- listings to confirm -------------------------------------------------------------------------


def test_stale_listings_are_those_not_confirmed_for_six_months(client, personas):
    start = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        old = make_offer(
            personas.organisation, title="Old Allotment Group", is_grassroots=True, last_confirmed_at=timezone.now()
        )
        make_offer(personas.organisation, title="Never Confirmed Scheme", kind="scheme")
        make_offer(personas.other_organisation, title="Hilltop Old Group", last_confirmed_at=timezone.now())
        make_offer(personas.organisation, title="Unlisted Group", status="archived")
    with time_machine.travel(start + timedelta(days=100), tick=False):
        make_offer(personas.organisation, title="Newer Group", last_confirmed_at=timezone.now())

    client.force_login(personas.coordinator)
    with time_machine.travel(start + timedelta(days=179), tick=False):
        html = client.get(reverse("directory:stale_listings")).content.decode()
    assert "Old Allotment Group" not in html and "Every listing has been confirmed" in html

    with time_machine.travel(start + timedelta(days=181), tick=False):
        html = client.get(reverse("directory:stale_listings")).content.decode()
        assert "Old Allotment Group" in html and "Never Confirmed Scheme" in html
        assert "Newer Group" not in html and "Hilltop Old Group" not in html and "Unlisted Group" not in html

        response = client.post(reverse("directory:confirm_listing", kwargs={"slug": old.slug}), {"return_to": "stale"})
        assert response["Location"] == reverse("directory:stale_listings")
        html = client.get(reverse("directory:stale_listings")).content.decode()
    assert reverse("directory:confirm_listing", kwargs={"slug": old.slug}) not in html
    assert "Never Confirmed Scheme" in html
    old.refresh_from_db()
    assert old.last_confirmed_at == start + timedelta(days=181)


def test_stale_listings_are_for_coordinators(client, personas):
    client.force_login(personas.member)
    assert client.get(reverse("directory:stale_listings")).status_code == 403
    client.force_login(personas.outside_coordinator)
    offer = make_offer(personas.organisation)
    assert client.post(reverse("directory:confirm_listing", kwargs={"slug": offer.slug})).status_code == 403
