from __future__ import annotations

import json

import pytest

from kindred.care.export import export_person
from kindred.care.models import Incident, StepBack, SupporterCheckIn
from kindred.care.services import incident_log_add, incident_open
from kindred.commons import reach

from .helpers import login, make_care

pytestmark = pytest.mark.django_db
API = "/api/care"


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_checkins_and_step_back_over_the_api(client, personas):
    care = make_care(personas)
    assert client.get(f"{API}/check-ins").status_code == 401
    assert post(client, f"{API}/check-ins", {"feeling": 3}).status_code == 401
    login(client, personas.facilitator)
    response = post(client, f"{API}/check-ins", {"feeling": 4, "meeting": str(care.past.public_id), "note": "ok"})
    assert response.status_code == 201 and response.json()["about"] == "meeting"
    assert response.json()["shared_with_supervisor"] is False
    bad = post(client, f"{API}/check-ins", {"feeling": 9})
    assert bad.status_code == 422 and "detail" in bad.json()
    assert post(client, f"{API}/check-ins", {"feeling": 3, "colour": "blue"}).status_code == 422
    assert post(client, f"{API}/check-ins", {"feeling": 3, "session": str(care.session.public_id)}).status_code == 404
    assert [c["note"] for c in client.get(f"{API}/check-ins").json()] == ["ok"]
    assert SupporterCheckIn.objects.count() == 1
    login(client, personas.member)
    assert post(client, f"{API}/check-ins", {"feeling": 3, "meeting": str(care.past.public_id)}).status_code == 404
    assert client.get(f"{API}/check-ins").json() == []

    login(client, personas.facilitator)
    assert client.get(f"{API}/step-back").json()["stepped_back"] is False
    assert post(client, f"{API}/step-back", {"note": "x" * 1001}).status_code == 422
    assert post(client, f"{API}/step-back", {}).status_code == 201
    assert post(client, f"{API}/step-back", {}).status_code == 400
    back = post(client, f"{API}/come-back")
    assert back.status_code == 200
    assert {m["group"] for m in back.json()["meetings_to_pick_up"]} == {care.group.name}
    assert post(client, f"{API}/come-back").status_code == 400
    assert client.get(f"{API}/step-back").json()["stepped_back"] is False


def test_incidents_over_the_api_follow_the_same_rules(client, personas):
    care = make_care(personas)
    incident = incident_open(
        actor=personas.coordinator, organisation=personas.organisation, group=care.group, title="After a death"
    )
    url = f"{API}/incidents/{incident.public_id}"
    assert client.get(url).status_code == 401
    for person in (personas.outsider, personas.member, personas.facilitator, personas.outside_coordinator):
        login(client, person)
        assert client.get(url).status_code == 404
        assert post(client, f"{url}/log", {"text": "x"}).status_code == 404
        assert post(client, f"{url}/steps/inform_facilitators", {"message": "x"}).status_code == 404
        assert client.get(f"{API}/incidents").json() == []
    login(client, personas.coordinator)
    assert client.get(f"{API}/incidents/not-a-uuid").status_code == 422
    assert [i["title"] for i in client.get(f"{API}/incidents").json()] == ["After a death"]
    assert post(client, f"{url}/log", {"text": ""}).status_code == 422
    assert post(client, f"{url}/log", {"text": "Called the family liaison"}).status_code == 201
    assert post(client, f"{url}/steps/make_tea", {}).status_code == 422
    assert post(client, f"{url}/steps/inform_facilitators", {"message": ""}).status_code == 400
    detail = post(client, f"{url}/steps/inform_facilitators", {"message": "Sad news."})
    assert detail.status_code == 200
    assert next(s for s in detail.json()["steps"] if s["key"] == "inform_facilitators")["done"] is True
    assert post(client, f"{url}/steps/stop_reminders", {}).status_code == 400  # nobody named yet
    body = client.get(url).json()
    assert any(e["text"] == "Called the family liaison" for e in body["log"])
    assert post(client, f"{url}/person", {"person": str(personas.outsider.public_id)}).status_code == 400
    named = post(client, f"{url}/person", {"person": str(personas.member.public_id)})
    assert named.status_code == 200 and named.json()["person_concerned"] == "Member"
    assert post(client, f"{url}/steps/stop_reminders", {}).status_code == 200
    assert reach.is_deceased(personas.member)
    login(client, personas.member)  # (the API doesn't care; the person's account still signs in)
    assert post(client, f"{url}/person", {"person": None}).status_code == 404


def test_export_holds_my_checkins_and_step_backs_but_no_incidents(personas):
    care = make_care(personas)
    SupporterCheckIn.objects.create(worker=personas.coordinator, feeling=2, note="My own tiring day")
    SupporterCheckIn.objects.create(worker=personas.facilitator, feeling=5, note="Someone else's")
    StepBack.objects.create(person=personas.coordinator, note="Rest")
    incident = incident_open(
        actor=personas.coordinator,
        organisation=personas.organisation,
        group=care.group,
        title="After the death of Sam",
        what_happened="Sam died",
    )
    incident_log_add(actor=personas.coordinator, incident=incident, text="Told Sam's family")
    data = export_person(personas.coordinator)
    text = json.dumps(data)
    assert [c["note"] for c in data["supporter_checkins"]] == ["My own tiring day"]
    assert data["step_backs"][0]["note"] == "Rest"
    assert "Sam" not in text and "Someone else" not in text
    assert Incident.objects.count() == 1


def test_sharing_and_unsharing_over_the_api_reaches_only_the_supervisor(client, personas):
    from kindred.core.models import AuditEvent

    care = make_care(personas)
    login(client, personas.psw)
    made = post(
        client,
        f"{API}/check-ins",
        {"feeling": 2, "note": "Heavy", "session": str(care.session.public_id), "share_with_supervisor": True},
    )
    assert made.status_code == 201 and made.json()["about"] == "session"
    checkin_id = made.json()["id"]
    assert client.get(f"{API}/check-ins/shared-with-me").json() == []  # not shared with yourself
    login(client, personas.supervisor)
    shared = client.get(f"{API}/check-ins/shared-with-me").json()
    assert [(c["note"], c["person"]) for c in shared] == [("Heavy", "Psw")]
    assert AuditEvent.objects.filter(action="care.shared_checkins_viewed", actor=personas.supervisor).exists()
    assert post(client, f"{API}/check-ins/{checkin_id}/unshare").status_code == 404  # not theirs
    for other in (personas.coordinator, personas.facilitator, personas.outsider):
        login(client, other)
        assert client.get(f"{API}/check-ins/shared-with-me").json() == []
        assert post(client, f"{API}/check-ins/{checkin_id}/unshare").status_code == 404
    login(client, personas.psw)
    unshared = post(client, f"{API}/check-ins/{checkin_id}/unshare")
    assert unshared.status_code == 200 and unshared.json()["shared_with_supervisor"] is False
    login(client, personas.supervisor)
    assert client.get(f"{API}/check-ins/shared-with-me").json() == []
    client.logout()
    assert client.get(f"{API}/check-ins/shared-with-me").status_code == 401


def test_opening_handling_and_closing_an_incident_over_the_api(client, personas):
    from kindred.core.models import AuditEvent

    care = make_care(personas)
    body = {"organisation": "riverside", "group": care.group.slug, "title": "After the death of a member"}
    for person in (personas.member, personas.facilitator, personas.outside_coordinator):
        login(client, person)
        assert post(client, f"{API}/incidents", body).status_code == 404
    assert not Incident.objects.exists()
    login(client, personas.coordinator)
    assert post(client, f"{API}/incidents", {**body, "group": "nope"}).status_code == 400
    assert post(client, f"{API}/incidents", {k: v for k, v in body.items() if k != "group"}).status_code == 400
    assert post(client, f"{API}/incidents", {**body, "title": "  "}).status_code == 400
    assert not Incident.objects.exists()
    opened = post(client, f"{API}/incidents", body)
    assert opened.status_code == 201 and opened.json()["group"] == care.group.slug
    incident = Incident.objects.get()
    assert AuditEvent.objects.filter(action="care.incident_opened", actor=personas.coordinator).exists()
    url = f"{API}/incidents/{incident.public_id}"

    assert post(client, f"{url}/handlers", {"email": personas.outsider.email}).status_code == 400
    added = post(client, f"{url}/handlers", {"email": personas.facilitator.email})
    assert added.status_code == 200 and added.json()["handlers"] == ["Facilitator"]
    login(client, personas.facilitator)
    assert client.get(url).status_code == 200
    assert post(client, f"{url}/handlers", {"email": personas.peer.email}).status_code == 403
    assert post(client, f"{url}/close", {"summary": "Done"}).status_code == 403
    login(client, personas.member)
    assert post(client, f"{url}/close", {"summary": "Done"}).status_code == 404
    assert post(client, f"{url}/handlers", {"email": personas.member.email}).status_code == 404

    login(client, personas.coordinator)
    assert post(client, f"{url}/close", {"summary": " "}).status_code == 400
    closed = post(client, f"{url}/close", {"summary": "Everyone told; debrief held."})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["closing_summary"] == "Everyone told; debrief held."
    assert post(client, f"{url}/log", {"text": "late"}).status_code == 400
    assert post(client, f"{url}/close", {"summary": "again"}).status_code == 400


def test_the_facilitators_network_over_the_api(client, personas):
    from kindred.care.models import FacilitatorsNetwork

    login(client, personas.member)
    assert client.get(f"{API}/networks").json() == []
    assert post(client, f"{API}/networks/riverside").status_code == 404
    assert post(client, f"{API}/networks/nowhere").status_code == 404
    assert not FacilitatorsNetwork.objects.exists()
    login(client, personas.psw)
    assert client.get(f"{API}/networks").json() == [
        {"organisation": "riverside", "organisation_name": personas.organisation.name, "space": None}
    ]
    opened = post(client, f"{API}/networks/riverside")
    space = FacilitatorsNetwork.objects.get().space
    assert opened.status_code == 200 and opened.json()["space"] == space.slug
    assert client.get(f"{API}/networks").json()[0]["space"] == space.slug
    assert space.memberships.filter(user=personas.psw).exists()
    login(client, personas.outsider)
    assert client.get(f"{API}/networks").json() == []
