from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.care.models import SupporterCheckIn
from kindred.core.models import AuditEvent

from .helpers import login, make_care

pytestmark = pytest.mark.django_db


def test_facilitator_checks_in_after_a_meeting_privately_by_default(client, personas):
    care = make_care(personas)
    login(client, personas.facilitator)
    facilitate = client.get(reverse("groups:facilitate", args=[care.past.public_id])).content.decode()
    url = reverse("care:checkin")
    assert f"{url}?meeting={care.past.public_id}" in facilitate
    page = client.get(url, {"meeting": care.past.public_id})
    assert page.status_code == 200 and "How are you after this?" in page.content.decode()
    # No supervisor is assigned in this organisation for the facilitator: the coordinators are named instead.
    assert "Coordinator" in page.content.decode()
    response = client.post(url, {"meeting": str(care.past.public_id), "feeling": "2", "note": "A heavy round"})
    assert response.status_code == 302
    checkin = SupporterCheckIn.objects.get()
    assert checkin.meeting == care.past and checkin.organisation == personas.organisation
    assert checkin.note == "A heavy round" and not checkin.shared_with_supervisor
    assert not personas.coordinator.notifications.exists()
    home = client.get(reverse("care:home")).content.decode()
    assert "A heavy round" in home and "Private to you" in home
    # The note is encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM care_supportercheckin")
        assert "heavy" not in cursor.fetchone()[0]
    # Nobody else sees it.
    login(client, personas.coordinator)
    assert "A heavy round" not in client.get(reverse("care:shared")).content.decode()


def test_a_shared_checkin_reaches_only_the_supervisor_and_can_be_unshared(client, personas):
    care = make_care(personas)
    login(client, personas.psw)
    url = reverse("care:checkin")
    page = client.get(url, {"session": care.session.public_id}).content.decode()
    assert "Supervisor" in page  # the PSW's supervisor is named before anything is shared
    response = client.post(
        url,
        {
            "session": str(care.session.public_id),
            "feeling": "1",
            "note": "Drained",
            "share_with_supervisor": "on",
            "would_like_to_talk": "on",
        },
    )
    assert response.status_code == 302
    checkin = SupporterCheckIn.objects.get()
    assert checkin.session == care.session and checkin.shared_with_supervisor
    note = personas.supervisor.notifications.get(kind="care.checkin")
    assert note.title == "Psw would like to talk"
    assert not personas.coordinator.notifications.filter(kind="care.checkin").exists()

    login(client, personas.supervisor)
    shared = client.get(reverse("care:shared")).content.decode()
    assert "Drained" in shared and "would like to talk" in shared
    assert AuditEvent.objects.filter(action="care.shared_checkins_viewed", actor=personas.supervisor).exists()
    supervisee = reverse("onetoone:supervision_supervisee", args=["riverside", personas.psw.public_id])
    assert "Drained" in client.get(supervisee).content.decode()
    for other in (personas.coordinator, personas.facilitator, personas.outsider):
        login(client, other)
        assert "Drained" not in client.get(reverse("care:shared")).content.decode()

    login(client, personas.psw)
    assert client.post(reverse("care:checkin_unshare", args=[checkin.public_id])).status_code == 302
    checkin.refresh_from_db()
    assert not checkin.shared_with_supervisor
    login(client, personas.supervisor)
    assert "Drained" not in client.get(reverse("care:shared")).content.decode()
    assert "Drained" not in client.get(supervisee).content.decode()
    # Someone else can't unshare it.
    login(client, personas.member)
    assert client.post(reverse("care:checkin_unshare", args=[checkin.public_id])).status_code == 404


def test_asking_to_talk_without_sharing_tells_the_supervisor_but_not_the_answers(client, personas):
    care = make_care(personas)
    login(client, personas.psw)
    client.post(
        reverse("care:checkin"),
        {"session": str(care.session.public_id), "feeling": "1", "note": "secret words", "would_like_to_talk": "on"},
    )
    note = personas.supervisor.notifications.get(kind="care.checkin")
    assert "kept the rest of their check-in private" in note.body and "secret" not in note.body
    login(client, personas.supervisor)
    assert "secret words" not in client.get(reverse("care:shared")).content.decode()


def test_bad_input_changes_nothing_and_others_contexts_are_404(client, personas):
    care = make_care(personas)
    login(client, personas.facilitator)
    url = reverse("care:checkin")
    response = client.post(url, {"feeling": "9"})
    assert response.status_code == 400 and "one of the five answers" in response.content.decode()
    response = client.post(url, {"note": "x"})
    assert response.status_code == 400 and "choose how you" in response.content.decode()
    assert not SupporterCheckIn.objects.exists()
    # A session the facilitator isn't the supporter in, a meeting of a group a member doesn't facilitate.
    assert client.get(url, {"session": care.session.public_id}).status_code == 404
    assert client.get(url, {"session": "not-a-uuid"}).status_code == 404
    login(client, personas.member)
    assert client.get(url, {"meeting": care.past.public_id}).status_code == 404
    assert client.post(url, {"meeting": str(care.past.public_id), "feeling": "3"}).status_code == 404
    login(client, personas.outsider)
    assert client.get(url, {"meeting": care.past.public_id}).status_code == 404
    assert not SupporterCheckIn.objects.exists()
    client.logout()
    assert client.get(reverse("care:home")).status_code == 302


def test_the_old_onetoone_checkin_address_leads_to_the_one_checkin(client, personas):
    care = make_care(personas)
    login(client, personas.psw)
    response = client.get(reverse("onetoone:wellbeing_checkin"), {"session": care.session.public_id})
    assert response.status_code == 302 and response.url.startswith(reverse("care:checkin"))
    assert str(care.session.public_id) in response.url


def test_a_checkin_about_nothing_in_particular_can_be_shared_with_my_supervisor(client, personas):
    make_care(personas)  # the supervisor supervises the PSW in Riverside
    login(client, personas.psw)
    client.post(reverse("care:checkin"), {"feeling": "3", "note": "A long week", "share_with_supervisor": "on"})
    checkin = SupporterCheckIn.objects.get()
    assert checkin.organisation is None and checkin.shared_with_supervisor
    login(client, personas.supervisor)
    assert "A long week" in client.get(reverse("care:shared")).content.decode()
    login(client, personas.coordinator)
    assert "A long week" not in client.get(reverse("care:shared")).content.decode()
