from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kindred.care.models import Incident, IncidentStep
from kindred.commons import reach
from kindred.commons.models import ReachState
from kindred.community.models import Follow
from kindred.core.models import AuditEvent
from kindred.groups.models import RSVP, AbsenceCheckIn, NewsletterSubscription, RotaSlot
from kindred.groups.stay import absence_check_ins_run, subscribers

from .helpers import login, make_care

pytestmark = pytest.mark.django_db

HELLO = reach.Kind("tests.incident_hello", reach.Purpose.UPDATE, "A test message")


def open_incident(client, personas, care):
    login(client, personas.coordinator)
    url = reverse("care:incident_new", args=["riverside"])
    page = client.get(url)
    assert page.status_code == 200 and care.group.name in page.content.decode()
    response = client.post(
        url,
        {"where": f"group:{care.group.slug}", "kind": "death", "title": "After the death of a member"},
    )
    assert response.status_code == 302
    return Incident.objects.get()


def test_only_the_people_handling_an_incident_can_see_it(client, personas):
    care = make_care(personas)
    incident = open_incident(client, personas, care)
    url = reverse("care:incident", args=[incident.public_id])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="care.incident_opened", actor=personas.coordinator).exists()
    for person in (personas.outsider, personas.member, personas.facilitator, personas.outside_coordinator, care.co):
        login(client, person)
        assert client.get(url).status_code == 404, person
        assert client.post(url, {"action": "log", "log-text": "x"}).status_code == 404
        assert incident.title not in client.get(reverse("care:home")).content.decode()
    login(client, personas.member)
    assert client.get(reverse("care:incidents")).status_code == 404
    assert client.get(reverse("care:incident_new", args=["riverside"])).status_code == 404
    login(client, personas.outside_coordinator)
    assert incident.title not in client.get(reverse("care:incidents")).content.decode()
    assert client.get(reverse("care:incident_new", args=["riverside"])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in

    # A coordinator adds the facilitator as a handler: now they can see it and act, but not close it.
    login(client, personas.coordinator)
    response = client.post(url, {"action": "handler", "handler-email": personas.facilitator.email})
    assert response.status_code == 302
    assert personas.facilitator.notifications.filter(kind="care.incident_handler").exists()
    login(client, personas.facilitator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "log", "log-text": "Phoned the co-facilitator"}).status_code == 302
    assert client.post(url, {"action": "close", "close-summary": "x"}).status_code == 403
    # An outsider's email can't be added.
    login(client, personas.coordinator)
    response = client.post(url, {"action": "handler", "handler-email": personas.outsider.email})
    assert response.status_code == 400 and "couldn&#x27;t find anyone" in response.content.decode()
    # A handler who leaves the organisation no longer sees it.
    from kindred.organisations.models import Membership

    Membership.objects.filter(user=personas.facilitator, organisation=personas.organisation).delete()
    login(client, personas.facilitator)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/care/incidents/{incident.public_id}").status_code == 404
    assert client.get("/api/care/incidents").json() == []


def test_the_guided_procedure_after_a_death(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    care = make_care(personas)
    member = personas.member
    # The member who died: on the rota, on a waiting list, has an absence check-in, a newsletter and a digest.
    RotaSlot.objects.filter(meeting=care.later).update(facilitator=member)
    RSVP.objects.create(meeting=care.soon, person=member, answer="going", waitlist_position=1)
    AbsenceCheckIn.objects.create(group=care.group, member=member, trusted=care.co, after_missed=1)
    thread_follow = _follow(personas, member)
    incident = open_incident(client, personas, care)
    url = reverse("care:incident", args=[incident.public_id])

    # Steps that need the person say so kindly until the person is named.
    response = client.post(url, {"action": "stop_reminders"})
    assert response.status_code == 400 and "choose the person" in response.content.decode()
    assert client.post(url, {"action": "person", "person-person": str(member.public_id)}).status_code == 302
    incident.refresh_from_db()
    assert incident.person_concerned == member

    # 1. Inform the facilitators.
    response = client.post(url, {"action": "inform", "inform-message": ""})
    assert response.status_code == 400 and "write the message" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "inform", "inform-message": "Sad news: Member has died."})
    assert personas.facilitator.notifications.filter(kind="care.incident_inform").exists()
    assert care.co.notifications.filter(kind="care.incident_inform").exists()
    assert not personas.peer.notifications.exists()

    # 2. A debrief, told to everyone in the group.
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "debrief", "debrief-starts_at": when, "debrief-audience": "everyone"})
    assert response.status_code == 400 and "where the debrief will be" in response.content.decode()
    data = {"action": "debrief", "debrief-starts_at": when, "debrief-place": "The Quaker Meeting House"}
    client.post(url, {**data, "debrief-audience": "everyone"})
    assert care.co.notifications.filter(kind="care.debrief").exists()
    assert not member.notifications.filter(kind="care.debrief").exists()

    # 3. Postvention resources: the defaults until the organisation edits its list.
    client.post(url, {"action": "resources", "resources-audience": "leaders"})
    shared = personas.facilitator.notifications.get(kind="care.support_resources")
    assert "Samaritans, 116 123" in shared.body and "Cruse Bereavement Support, 0808 808 1677" in shared.body

    # 4. Stop reminders and nudges.
    client.post(url, {"action": "stop_reminders"})
    assert reach.is_deceased(member)
    # The incident keeps the link: it names the person and records the step; the gate keeps who recorded it.
    incident.refresh_from_db()
    assert incident.person_concerned == member and incident.steps.filter(key="stop_reminders").exists()
    assert ReachState.objects.get(person=member).deceased_recorded_by == personas.coordinator
    assert RotaSlot.objects.get(meeting=care.later).facilitator is None
    assert not RSVP.objects.filter(person=member).exists()
    assert not AbsenceCheckIn.objects.filter(member=member).exists()
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=member, kind=HELLO, title="Hello", email=True)
    assert not member.notifications.filter(kind=HELLO.key).exists() and not [
        m for m in mailoutbox if member.email in m.to
    ]
    assert absence_check_ins_run() == 0
    assert member not in subscribers(care.group)  # no newsletter reaches them from now on

    # 5. Remove from mailings: unsubscribed for good.
    client.post(url, {"action": "remove_mailings"})
    assert member not in subscribers(care.group)
    assert NewsletterSubscription.objects.get(group=care.group, person=member).subscribed is False
    thread_follow.refresh_from_db()
    assert thread_follow.email_digest is False

    # Record an action; close with a summary.
    client.post(url, {"action": "log", "log-text": "Sent a card from the group to the family."})
    page = client.get(url).content.decode()
    assert "Sent a card from the group" in page and "Coordinator" in page
    assert set(IncidentStep.objects.values_list("key", flat=True)) == {
        "inform_facilitators",
        "offer_debrief",
        "share_resources",
        "stop_reminders",
        "remove_mailings",
    }
    assert client.post(url, {"action": "close", "close-summary": ""}).status_code == 400
    client.post(url, {"action": "close", "close-summary": "All steps done; the group met with the debrief."})
    incident.refresh_from_db()
    assert incident.status == "closed" and "debrief" in incident.closing_summary
    actions = set(AuditEvent.objects.filter(subject_id=str(incident.public_id)).values_list("action", flat=True))
    assert {"care.incident_inform_facilitators", "care.incident_stop_reminders", "care.incident_closed"} <= actions
    # Closed: nothing more can be done.
    assert client.post(url, {"action": "log", "log-text": "late"}).status_code == 400


def test_absence_check_ins_about_someone_who_died_stop(personas):
    care = make_care(personas)
    AbsenceCheckIn.objects.create(group=care.group, member=personas.member, trusted=care.co, after_missed=1)
    reach.state_record_death(person=personas.member, recorded_by=None)
    assert absence_check_ins_run(now=timezone.now()) == 0
    assert not care.co.notifications.exists()


def test_the_organisation_edits_its_postvention_list(client, personas):
    login(client, personas.coordinator)
    url = reverse("care:resources", args=["riverside"])
    page = client.get(url).content.decode()
    assert "Samaritans" in page and "116 123" in page and "Support after Suicide Partnership" in page
    response = client.post(url, {"action": "add", "name": "Local bereavement café"})
    assert response.status_code == 400 and "phone number or a website" in response.content.decode()
    client.post(url, {"action": "add", "name": "Local bereavement café", "phone": "0161 000 0000"})
    client.post(url, {"action": "remove", "resource": "default-0"})
    page = client.get(url).content.decode()
    assert "Local bereavement café" in page and "Samaritans" not in page
    login(client, personas.member)
    assert client.get(url).status_code == 404
    assert (
        "Local bereavement café" in client.get(reverse("care:support_after_loss", args=["riverside"])).content.decode()
    )
    login(client, personas.outsider)
    assert client.get(reverse("care:support_after_loss", args=["riverside"])).status_code == 404


def _follow(personas, person):
    from kindred.commons.rules import rules_publish
    from kindred.community.models import Space, Thread

    space = Space.objects.create(slug="s", name="S", organisation=personas.organisation)
    rules_publish(actor=None, subject=space, text="Be kind")
    thread = Thread.objects.create(space=space, author=person, title="Hi", last_post_at=timezone.now())
    return Follow.objects.create(thread=thread, user=person, email_digest=True, digest_cursor=timezone.now())


def test_stopping_reminders_withdraws_their_requests_and_unagreed_proposals(personas):
    from kindred.care.services import incident_open, stop_reminders
    from kindred.onetoone.models import Match, MatchRequest, MatchStatus, SupporterProfile

    care = make_care(personas)
    member = personas.member
    request = MatchRequest.objects.create(seeker=member, scheme=care.world.scheme, about="Someone to talk to")
    offered = Match.objects.create(
        scheme=care.world.scheme,
        request=request,
        seeker=member,
        supporter=personas.facilitator,
        supporter_profile=SupporterProfile.objects.get(user=personas.facilitator),
        status=MatchStatus.APPROVED,
    )
    incident = incident_open(
        actor=personas.coordinator,
        organisation=personas.organisation,
        group=care.group,
        title="After a death",
        person_concerned=member,
    )
    stop_reminders(actor=personas.coordinator, incident=incident)
    request.refresh_from_db()
    offered.refresh_from_db()
    assert request.status == "withdrawn" and offered.status == MatchStatus.WITHDRAWN
    # The relationship that was already active is left for people to close kindly, not ended by the system.
    care.world.match.refresh_from_db()
    assert care.world.match.status == MatchStatus.ACTIVE
    step = incident.steps.get(key="stop_reminders")
    assert step.detail["match_requests"] == 1 and step.detail["match_proposals"] == 1
    assert not personas.facilitator.notifications.exists()  # withdrawn quietly: nobody is told about them
