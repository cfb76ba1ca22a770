from __future__ import annotations

import json

import pytest

from kindred.care.export import export_person
from kindred.care.models import Incident, StepBack, SupporterCheckIn
from kindred.care.selectors import is_suppressed
from kindred.care.services import incident_log_add, incident_open

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
    assert is_suppressed(personas.member)
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
