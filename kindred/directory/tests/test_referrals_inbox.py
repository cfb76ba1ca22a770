"""The coordinators' requests inbox: statuses, notes, invitations, deleting referral data, tenant isolation."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindred.commons.models import Engagement
from kindred.core.models import AuditEvent
from kindred.directory.models import Referral, ReferralNote
from kindred.organisations.models import Invitation

from .offer_helpers import make_offer

pytestmark = pytest.mark.django_db


def self_referral(person, offer, **overrides) -> Referral:
    values = {"offer": offer, "organisation": offer.organisation, "kind": "join", "person": person}
    values.update(overrides)
    return Referral.objects.create(**values)


def professional_referral(offer, **overrides) -> Referral:
    values = {
        "offer": offer,
        "organisation": offer.organisation,
        "kind": "professional",
        "person_name": "Sam Jones",
        "person_email": "sam.jones@example.org",
        "person_phone": "07700 900456",
        "referrer_name": "Dr Asha Patel",
        "referrer_role": "GP",
        "referrer_organisation": "Riverside Health Centre",
        "referrer_email": "asha.patel@nhs.example",
        "message": "Sam would like a group in the evenings.",
        "person_agreed": True,
    }
    values.update(overrides)
    return Referral.objects.create(**values)


def url(name: str, referral: Referral) -> str:
    return reverse(f"directory:{name}", kwargs={"public_id": referral.public_id})


# --- the inbox ----------------------------------------------------------------------------------


def test_inbox_shows_only_the_coordinators_own_organisation(client, personas):
    ours = make_offer(personas.organisation, title="Riverside Walk and Talk")
    theirs = make_offer(personas.other_organisation, title="Hilltop Hearing Voices")
    self_referral(personas.member, ours)
    self_referral(personas.outsider, theirs)

    client.force_login(personas.coordinator)
    html = client.get(reverse("directory:inbox")).content.decode()
    assert "Riverside Walk and Talk" in html and personas.member.display_name in html
    assert "Hilltop Hearing Voices" not in html and personas.outsider.display_name not in html

    client.force_login(personas.outside_coordinator)
    html = client.get(reverse("directory:inbox")).content.decode()
    assert "Hilltop Hearing Voices" in html and "Riverside Walk and Talk" not in html


def test_inbox_filters_by_status(client, personas):
    first = make_offer(personas.organisation, title="Monday Group")
    second = make_offer(personas.organisation, title="Friday Group")
    self_referral(personas.member, first)
    self_referral(personas.member, second, status="contacted")
    client.force_login(personas.coordinator)
    html = client.get(reverse("directory:inbox"), {"status": "contacted"}).content.decode()
    assert "Friday Group" in html and "Monday Group" not in html
    html = client.get(reverse("directory:inbox"), {"status": "nonsense"}).content.decode()
    assert "Friday Group" in html and "Monday Group" in html


def test_inbox_is_for_coordinators_only(client, personas):
    for person in (personas.member, personas.psw, personas.outsider):
        client.force_login(person)
        assert client.get(reverse("directory:inbox")).status_code == 403
    client.logout()
    assert client.get(reverse("directory:inbox")).status_code == 302
    client.force_login(personas.coordinator)
    assert client.post(reverse("directory:inbox")).status_code == 405


def test_inbox_query_count_does_not_grow_with_requests(client, personas):
    offer = make_offer(personas.organisation)
    client.force_login(personas.coordinator)
    self_referral(personas.member, offer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("directory:inbox"))
    for person in (personas.peer, personas.psw, personas.moderator, personas.supervisor):
        self_referral(person, offer)
    professional_referral(offer)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("directory:inbox")).content.decode()
    assert html.count("/find/requests/") >= 6
    assert len(many) == len(one)


# --- tenant isolation and methods ---------------------------------------------------------------


def test_a_coordinator_of_another_organisation_gets_404_everywhere(client, personas):
    offer = make_offer(personas.organisation)
    referral = professional_referral(offer)
    client.force_login(personas.outside_coordinator)
    assert client.get(url("referral", referral)).status_code == 404
    assert client.post(url("referral_status", referral), {"status": "contacted"}).status_code == 404
    assert client.post(url("referral_note", referral), {"text": "peek"}).status_code == 404
    assert client.post(url("referral_invite", referral)).status_code == 404
    assert client.post(url("referral_delete_data", referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "new"
    assert not ReferralNote.objects.exists() and not Invitation.objects.exists()


@pytest.mark.parametrize("name", ["referral_status", "referral_note", "referral_invite", "referral_delete_data"])
def test_actions_only_accept_post(client, personas, name):
    referral = professional_referral(make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    assert client.get(url(name, referral)).status_code == 405


def test_unknown_request_is_404(client, personas):
    client.force_login(personas.coordinator)
    missing = reverse("directory:referral", kwargs={"public_id": "6f1c1f0e-0000-4000-8000-000000000000"})
    assert client.get(missing).status_code == 404


# --- statuses and notes -------------------------------------------------------------------------


def test_status_change_is_noted_and_audited(client, personas):
    referral = self_referral(personas.member, make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    response = client.post(url("referral_status", referral), {"status": "contacted", "note": "Phoned, left a message"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "contacted"
    note = ReferralNote.objects.get()
    assert note.status_change == "contacted" and note.text == "Phoned, left a message"
    assert note.author == personas.coordinator
    event = AuditEvent.objects.get(action="referral.status_changed")
    assert event.actor == personas.coordinator and event.organisation == personas.organisation
    assert event.detail == {"from": "new", "to": "contacted"}
    page = client.get(url("referral", referral)).content.decode()
    assert "Phoned, left a message" in page and "Marked as contacted." in page


def test_closing_needs_a_reason(client, personas):
    referral = self_referral(personas.member, make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    response = client.post(url("referral_status", referral), {"status": "closed", "reason": "  "})
    assert response.status_code == 400
    assert "Please say why this request is being closed." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "new" and not ReferralNote.objects.exists()

    client.post(url("referral_status", referral), {"status": "closed", "reason": "The group is full until spring."})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closed_reason == "The group is full until spring."
    client.force_login(personas.member)
    assert "The group is full until spring." in client.get(reverse("directory:my_requests")).content.decode()


def test_an_impossible_status_change_is_refused(client, personas):
    referral = self_referral(personas.member, make_offer(personas.organisation), status="closed", closed_reason="x")
    client.force_login(personas.coordinator)
    response = client.post(url("referral_status", referral), {"status": "contacted"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert not AuditEvent.objects.filter(action="referral.status_changed").exists()


def test_marking_joined_records_an_engagement(client, personas):
    offer = make_offer(personas.organisation, title="Tuesday Sharing Circle")
    referral = self_referral(personas.member, offer, status="contacted")
    client.force_login(personas.coordinator)
    client.post(url("referral_status", referral), {"status": "joined"})
    engagement = Engagement.objects.get()
    assert engagement.person == personas.member
    assert engagement.subject == offer
    assert engagement.form == "group" and engagement.role == "receiving"
    assert engagement.organisation == personas.organisation
    assert engagement.ended_at is None


def test_a_professional_referral_marked_joined_has_no_account_to_record(client, personas):
    referral = professional_referral(make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    assert client.post(url("referral_status", referral), {"status": "joined"}).status_code == 302
    assert not Engagement.objects.exists()


def test_notes_are_stored_audited_and_never_shown_to_the_person(client, personas):
    referral = self_referral(personas.member, make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    response = client.post(url("referral_note", referral), {"text": "Prefers afternoons"})
    assert response.status_code == 302
    note = ReferralNote.objects.get()
    assert note.text == "Prefers afternoons" and note.status_change == ""
    event = AuditEvent.objects.get(action="referral.note_added")
    assert event.subject_id == str(referral.public_id) and "Prefers" not in str(event.detail)

    assert client.post(url("referral_note", referral), {"text": ""}).status_code == 400
    assert client.post(url("referral_note", referral), {"text": "x" * 3001}).status_code == 400
    assert ReferralNote.objects.count() == 1

    client.force_login(personas.member)
    assert "Prefers afternoons" not in client.get(url("referral", referral)).content.decode()


# --- professional referrals: invite and delete ----------------------------------------------------


def test_accept_and_invite_sends_an_invitation(client, personas, django_capture_on_commit_callbacks):
    referral = professional_referral(make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("referral_invite", referral))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "sam.jones@example.org"
    assert invitation.role == "member" and invitation.organisation == personas.organisation
    assert [m.to for m in mail.outbox] == [["sam.jones@example.org"]]
    assert "/invitations/" in mail.outbox[0].body
    referral.refresh_from_db()
    assert referral.status == "contacted"
    assert AuditEvent.objects.filter(action="referral.accepted", subject_id=str(referral.public_id)).exists()
    assert "invitation to sam.jones@example.org" in client.get(response["Location"]).content.decode()

    # A second click doesn't send a second invitation.
    client.post(url("referral_invite", referral))
    assert Invitation.objects.count() == 1


def test_a_referral_without_an_email_cannot_be_invited(client, personas):
    referral = professional_referral(make_offer(personas.organisation), person_email="")
    client.force_login(personas.coordinator)
    response = client.post(url("referral_invite", referral), follow=True)
    assert "We don&#x27;t have an email address for this person" in response.content.decode()
    assert not Invitation.objects.exists()


def test_deleting_referral_data_blanks_personal_details_once_closed(client, personas):
    referral = professional_referral(make_offer(personas.organisation))
    client.force_login(personas.coordinator)
    client.post(url("referral_note", referral), {"text": "Sam said mornings are hard"})

    # Not while it's open.
    client.post(url("referral_delete_data", referral))
    referral.refresh_from_db()
    assert referral.person_name == "Sam Jones"

    client.post(url("referral_status", referral), {"status": "closed", "reason": "Sam chose another group."})
    response = client.post(url("referral_delete_data", referral))
    assert response.status_code == 302
    referral.refresh_from_db()
    for field in (
        "person_name",
        "person_email",
        "person_phone",
        "referrer_name",
        "referrer_email",
        "message",
        "closed_reason",
    ):
        assert getattr(referral, field) == ""
    assert referral.status == "closed"
    assert not ReferralNote.objects.filter(referral=referral).exists()

    event = AuditEvent.objects.get(action="referral.data_deleted")
    assert event.actor == personas.coordinator and event.subject_id == str(referral.public_id)
    assert "Sam" not in str(event.detail) and "example" not in str(event.detail)
    assert "person_name" in event.detail["fields"]

    page = client.get(url("referral", referral)).content.decode()
    assert "were deleted" in page and "Sam Jones" not in page
    assert "Details deleted" in client.get(reverse("directory:inbox")).content.decode()
