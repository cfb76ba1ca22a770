"""The well-being API: the same rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.testing.clients import api_for
from kindred.testing.factories import CrisisResourceFactory
from kindred.wellbeing.models import CheckIn, Goal, GoalNote, ReminderSettings, SelfHarmResponse, Share

from .helpers import befriending_match, enable

pytestmark = pytest.mark.django_db
API = "/api/well-being"
JSON = "application/json"


def test_needs_a_signed_in_person():
    for path in ("/measures", "/check-ins", "/goals", "/reminders", "/shares", "/shared-with-me"):
        response = Client().get(f"{API}{path}")
        assert response.status_code == 401 and "detail" in response.json()


def test_measures_available_to_me(personas):
    member = api_for(personas.member)
    assert [m["code"] for m in member.get(f"{API}/measures").json()] == ["ons4", "ucla3"]
    enable(personas.organisation, phq9=True, gad7=False)
    codes = [m["code"] for m in member.get(f"{API}/measures").json()]
    assert codes == ["ons4", "ucla3", "phq9"]
    assert [m["code"] for m in api_for(personas.outsider).get(f"{API}/measures").json()] == ["ons4", "ucla3"]


def test_check_in_and_list(personas):
    member = api_for(personas.member)
    answers = {"life_satisfaction": 7, "worthwhile": 9, "happiness": 4, "anxiety": 1}
    created = member.post(f"{API}/check-ins", {"measure": "ons4", "answers": answers}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["scores"] == answers and body["bands"]["anxiety"] == "Very low" and not body["self_harm_followup"]
    assert body["crisis"] is None and body["what_happens"] == []
    listed = member.get(f"{API}/check-ins").json()
    assert [c["public_id"] for c in listed] == [body["public_id"]]
    assert member.get(f"{API}/check-ins/{body['public_id']}").status_code == 200
    assert api_for(personas.coordinator).get(f"{API}/check-ins/{body['public_id']}").status_code == 404
    assert api_for(personas.coordinator).get(f"{API}/check-ins").json() == []
    assert member.delete(f"{API}/check-ins/{body['public_id']}").status_code == 405


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"measure": "ucla3", "answers": {"companionship": 1, "left_out": 2}}, "Please answer question 3"),
        ({"measure": "ucla3", "answers": {"companionship": 1, "left_out": 2, "isolated": 9}}, "from 1 to 3"),
        (
            {"measure": "ons4", "answers": {"life_satisfaction": "x", "worthwhile": 1, "happiness": 1, "anxiety": 1}},
            "whole number",
        ),
        ({"measure": "mood", "answers": {}}, "We don't know that check-in"),
        ({"measure": "ons4"}, "answers"),
        ({"measure": "ucla3", "answers": {"companionship": "\u00b3", "left_out": 1, "isolated": 1}}, "whole number"),
    ],
)
def test_invalid_check_ins_are_422_and_store_nothing(personas, payload, message):
    response = api_for(personas.member).post(f"{API}/check-ins", payload, content_type=JSON)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_phq9_not_enabled_is_404_and_self_harm_path(personas):
    member = api_for(personas.member)
    answers = {f"q{n}": 0 for n in range(1, 10)} | {"q9": 2}
    assert (
        member.post(f"{API}/check-ins", {"measure": "phq9", "answers": answers}, content_type=JSON).status_code == 404
    )
    enable(personas.organisation, response=SelfHarmResponse.NOTIFY_LEADS, leads=[personas.coordinator])
    CrisisResourceFactory(organisation=personas.organisation, name="Riverside night line")
    response = member.post(f"{API}/check-ins", {"measure": "phq9", "answers": answers}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["self_harm_followup"] is True and body["scores"] == {"total": 2}
    assert "safeguarding lead has been told" in body["what_happens"][0]
    # The crisis signposting comes back at once, as on the page: UK routes and the organisation's own contacts.
    assert body["crisis"]["title"] == "You don't have to face this alone"
    assert any(route["name"] == "Samaritans" for route in body["crisis"]["uk_routes"])
    assert [r["name"] for r in body["crisis"]["local"]] == ["Riverside night line"]
    # Reading it back later says the same, from what happened at the time.
    again = member.get(f"{API}/check-ins/{body['public_id']}").json()
    assert again["what_happens"] == body["what_happens"] and again["crisis"] == body["crisis"]
    assert Notification.objects.filter(user=personas.coordinator, kind="wellbeing_safeguarding").count() == 1
    assert AuditEvent.objects.filter(action="wellbeing.safeguarding_followup").count() == 1


def test_goals_crud_and_notes(personas):
    member = api_for(personas.member)
    created = member.post(
        f"{API}/goals", {"title": "Swim", "why": "Calm", "target_date": "2027-05-01"}, content_type=JSON
    )
    assert created.status_code == 201
    gid = created.json()["public_id"]
    note = member.post(f"{API}/goals/{gid}/notes", {"body": "Went once", "progress": 4}, content_type=JSON)
    assert note.status_code == 201 and note.json()["progress"] == 4
    bad = member.post(f"{API}/goals/{gid}/notes", {"progress": 12}, content_type=JSON)
    assert bad.status_code == 422 and "0 to 10" in bad.json()["detail"]
    patched = member.patch(f"{API}/goals/{gid}", {"title": "Swim weekly", "status": "achieved"}, content_type=JSON)
    assert patched.status_code == 200 and patched.json()["status"] == "achieved"
    assert patched.json()["target_date"] == "2027-05-01"  # unchanged when not sent
    assert [n["body"] for n in member.get(f"{API}/goals/{gid}").json()["notes"]] == ["Went once"]
    assert member.patch(f"{API}/goals/{gid}", {"status": "done"}, content_type=JSON).status_code == 422
    assert member.post(f"{API}/goals", {"title": ""}, content_type=JSON).status_code == 422
    assert member.post(f"{API}/goals", {"title": "x", "colour": "red"}, content_type=JSON).status_code == 422
    outsider = api_for(personas.outsider)
    assert outsider.get(f"{API}/goals/{gid}").status_code == 404
    assert outsider.patch(f"{API}/goals/{gid}", {"title": "Mine"}, content_type=JSON).status_code == 404
    assert outsider.delete(f"{API}/goals/{gid}").status_code == 404
    assert outsider.post(f"{API}/goals/{gid}/notes", {"body": "hi"}, content_type=JSON).status_code == 404
    assert Goal.objects.get().title == "Swim weekly" and GoalNote.objects.count() == 1
    assert member.delete(f"{API}/goals/{gid}").status_code == 204
    assert not Goal.objects.exists()


def test_reminder_settings(personas):
    member = api_for(personas.member)
    assert member.get(f"{API}/reminders").json()["frequency"] == "off"
    saved = member.put(f"{API}/reminders", {"frequency": "fortnightly", "measures": ["ucla3"]}, content_type=JSON)
    assert saved.status_code == 200 and saved.json()["measures"] == ["ucla3"]
    assert member.put(f"{API}/reminders", {"frequency": "hourly"}, content_type=JSON).status_code == 422
    assert (
        member.put(f"{API}/reminders", {"frequency": "weekly", "measures": ["phq9"]}, content_type=JSON).status_code
        == 422
    )
    assert ReminderSettings.objects.get().frequency == "fortnightly"


def test_shares_create_list_read_revoke(personas):
    befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    member, peer = api_for(personas.member), api_for(personas.peer)
    member.post(
        f"{API}/check-ins",
        {"measure": "ucla3", "answers": {"companionship": 2, "left_out": 2, "isolated": 2}},
        content_type=JSON,
    )
    outsider_share = member.post(
        f"{API}/shares", {"supporter": str(personas.outsider.public_id), "measures": ["ucla3"]}, content_type=JSON
    )
    assert outsider_share.status_code == 404
    created = member.post(
        f"{API}/shares", {"supporter": str(personas.peer.public_id), "measures": ["ucla3"]}, content_type=JSON
    )
    assert created.status_code == 201 and created.json()["active"] is True
    sid = created.json()["public_id"]
    again = member.post(
        f"{API}/shares", {"supporter": str(personas.peer.public_id), "measures": ["ucla3"]}, content_type=JSON
    )
    assert again.status_code == 409
    assert [s["public_id"] for s in peer.get(f"{API}/shared-with-me").json()] == [sid]
    summary = peer.get(f"{API}/shared-with-me/{sid}").json()
    assert summary["measures"][0]["series"][0]["latest"] == 6 and summary["goals"] is None
    for other in (personas.coordinator, personas.outsider, personas.member):
        assert api_for(other).get(f"{API}/shared-with-me/{sid}").status_code == 404
    assert peer.post(f"{API}/shares/{sid}/revoke").status_code == 404  # only the person can stop it
    revoked = member.post(f"{API}/shares/{sid}/revoke")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert peer.get(f"{API}/shared-with-me/{sid}").status_code == 404
    assert peer.get(f"{API}/shared-with-me").json() == []
    assert Share.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action__in=["wellbeing.share", "wellbeing.unshare"]).count() == 2


def test_sharing_over_the_api_offers_the_same_check_ins_as_the_page(personas):
    befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    member = api_for(personas.member)
    refused = member.post(
        f"{API}/shares", {"supporter": str(personas.peer.public_id), "measures": ["phq9"]}, content_type=JSON
    )
    assert refused.status_code == 422 and "Please choose check-ins from the list" in refused.json()["detail"]
    assert not Share.objects.exists()


def test_the_well_being_api_is_documented_in_the_openapi_schema(personas):
    schema = api_for(personas.member).get("/api/openapi.json").json()
    expected = {
        "/api/well-being/measures": {"get"},
        "/api/well-being/check-ins": {"get", "post"},
        "/api/well-being/check-ins/{public_id}": {"get"},
        "/api/well-being/goals": {"get", "post"},
        "/api/well-being/goals/{public_id}": {"get", "patch", "delete"},
        "/api/well-being/goals/{public_id}/notes": {"post"},
        "/api/well-being/reminders": {"get", "put"},
        "/api/well-being/shares": {"get", "post"},
        "/api/well-being/shares/{public_id}/revoke": {"post"},
        "/api/well-being/shared-with-me": {"get"},
        "/api/well-being/shared-with-me/{public_id}": {"get"},
        "/api/well-being/organisations/{slug}/settings": {"get", "put"},
    }
    for path, methods in expected.items():
        assert path in schema["paths"], path
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation["summary"] and operation["security"], (path, method)
    # The documented response is the well-being check-in, not another app's schema of the same name.
    created = schema["paths"]["/api/well-being/check-ins"]["post"]["responses"]["201"]
    name = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    checkin = schema["components"]["schemas"][name]["properties"]
    assert {"scores", "bands", "self_harm_followup", "what_happens", "crisis"} <= set(checkin)
    sent = schema["paths"]["/api/well-being/check-ins"]["post"]["requestBody"]["content"]["application/json"]
    assert set(schema["components"]["schemas"][sent["schema"]["$ref"].rsplit("/", 1)[-1]]["properties"]) == {
        "measure",
        "answers",
    }


def test_organisation_settings_over_the_api_follow_the_page_rules(personas):
    from kindred.wellbeing.models import WellbeingSettings

    url = f"{API}/organisations/riverside/settings"
    coordinator = api_for(personas.coordinator)
    current = coordinator.get(url)
    assert current.status_code == 200
    body = current.json()
    assert body["phq9_enabled"] is False and body["self_harm_response"] == "signpost"
    assert str(personas.supervisor.public_id) in {c["public_id"] for c in body["lead_candidates"]}
    assert str(personas.member.public_id) not in {c["public_id"] for c in body["lead_candidates"]}
    # Bad input changes nothing and says why.
    for payload, message in (
        ({"phq9_enabled": True, "self_harm_response": "notify_leads"}, "at least one safeguarding lead"),
        (
            {"self_harm_response": "notify_leads", "safeguarding_leads": [str(personas.member.public_id)]},
            "coordinators or supervisors",
        ),
        ({"self_harm_response": "call_the_police"}, "Please choose what happens"),
    ):
        refused = coordinator.put(url, payload, content_type=JSON)
        assert refused.status_code == 422 and message in refused.json()["detail"], refused.content
    assert not WellbeingSettings.objects.exists()
    saved = coordinator.put(
        url,
        {
            "phq9_enabled": True,
            "self_harm_response": "notify_leads",
            "safeguarding_leads": [str(personas.supervisor.public_id)],
        },
        content_type=JSON,
    )
    assert saved.status_code == 200 and saved.json()["phq9_enabled"] is True
    assert [lead["display_name"] for lead in saved.json()["safeguarding_leads"]] == ["Supervisor"]
    assert AuditEvent.objects.filter(action="wellbeing.settings_update").count() == 1
    assert [m["code"] for m in api_for(personas.member).get(f"{API}/measures").json()] == ["ons4", "ucla3", "phq9"]
    # The same people as the page: members of the organisation 403, everyone else 404.
    assert api_for(personas.member).get(url).status_code == 403
    assert api_for(personas.supervisor).put(url, {"gad7_enabled": True}, content_type=JSON).status_code == 403
    assert api_for(personas.outsider).get(url).status_code == 404
    assert api_for(personas.outside_coordinator).put(url, {}, content_type=JSON).status_code == 404
    assert api_for(personas.coordinator).get(f"{API}/organisations/nowhere/settings").status_code == 404
    assert WellbeingSettings.objects.get().gad7_enabled is False
