"""Check-in pages: who sees which measures, invalid answers change nothing, and the self-harm path."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for
from kindred.testing.factories import CrisisResourceFactory
from kindred.wellbeing.models import CheckIn, SelfHarmResponse

from .helpers import ONS4_GOOD, PHQ9_SELF_HARM, enable

pytestmark = pytest.mark.django_db


def test_pages_need_a_signed_in_person():
    for url in ("/well-being/", "/well-being/check-in/ons4/", "/well-being/chart/", "/well-being/goals/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_ons4_check_in_is_scored_and_shown_only_to_the_person(personas):
    client = client_for(personas.member)
    page = client.get("/well-being/check-in/ons4/")
    assert page.status_code == 200
    assert "Overall, how satisfied are you with your life nowadays?" in page.content.decode()
    response = client.post("/well-being/check-in/ons4/", ONS4_GOOD)
    checkin = CheckIn.objects.get(person=personas.member)
    assert response.status_code == 302 and response["Location"] == f"/well-being/check-ins/{checkin.public_id}/"
    assert checkin.scores == {"life_satisfaction": 7, "worthwhile": 9, "happiness": 4, "anxiety": 6}
    result = client.get(response["Location"]).content.decode()
    assert "Very high" in result and "Thank you for checking in" in result
    assert "crisis-panel" not in result
    # Nobody else can open it: not staff of the same organisation, not an outsider.
    for other in (personas.coordinator, personas.supervisor, personas.outsider):
        assert client_for(other).get(f"/well-being/check-ins/{checkin.public_id}/").status_code == 404


def test_missing_and_out_of_range_answers_store_nothing(personas):
    client = client_for(personas.member)
    missing = client.post("/well-being/check-in/ucla3/", {"companionship": "1", "left_out": "2"})
    assert missing.status_code == 400
    assert "Please choose an answer for this question." in missing.content.decode()
    out_of_range = client.post("/well-being/check-in/ucla3/", {"companionship": "1", "left_out": "2", "isolated": "7"})
    assert out_of_range.status_code == 400
    assert "Please choose an answer from 1 to 3." in out_of_range.content.decode()
    not_a_number = client.post("/well-being/check-in/ons4/", {**ONS4_GOOD, "anxiety": "lots"})
    assert not_a_number.status_code == 400
    assert CheckIn.objects.count() == 0


def test_phq9_and_gad7_only_when_an_organisation_enables_them(personas):
    client = client_for(personas.member)
    assert client.get("/well-being/check-in/phq9/").status_code == 404
    assert client.post("/well-being/check-in/gad7/", {f"q{n}": "0" for n in range(1, 8)}).status_code == 404
    assert "PHQ-9" not in client.get("/well-being/").content.decode()
    enable(personas.organisation, phq9=True, gad7=False)
    assert client.get("/well-being/check-in/phq9/").status_code == 200
    assert client.get("/well-being/check-in/gad7/").status_code == 404
    # Another organisation's setting doesn't reach this person.
    enable(personas.other_organisation, phq9=True, gad7=True)
    assert client.get("/well-being/check-in/gad7/").status_code == 404
    assert client_for(personas.outsider).get("/well-being/check-in/gad7/").status_code == 200
    assert CheckIn.objects.count() == 0


def test_unknown_measure_is_404(personas):
    assert client_for(personas.member).get("/well-being/check-in/madeup/").status_code == 404


def test_person_is_told_before_phq9_what_happens(personas):
    enable(personas.organisation, response=SelfHarmResponse.NOTIFY_LEADS, leads=[personas.supervisor])
    page = client_for(personas.member).get("/well-being/check-in/phq9/").content.decode()
    assert 'data-testid="safeguarding-before"' in page
    assert "will also let its safeguarding lead know that a check-in needs a follow-up" in page
    assert personas.organisation.safeguarding_policy in page
    enable(personas.organisation, response=SelfHarmResponse.SIGNPOST)
    page = client_for(personas.member).get("/well-being/check-in/phq9/").content.decode()
    assert "Riverside Peer Support is not told. Only you see your answers." in page


def test_self_harm_answer_signposts_at_once_and_only_signposts_when_that_is_the_policy(
    personas, django_capture_on_commit_callbacks
):
    enable(personas.organisation, response=SelfHarmResponse.SIGNPOST)
    CrisisResourceFactory(organisation=personas.organisation, name="Riverside night line")
    client = client_for(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/well-being/check-in/phq9/", PHQ9_SELF_HARM, follow=True)
    page = response.content.decode()
    assert 'data-testid="crisis-panel"' in page and "Riverside night line" in page and "Samaritans" in page
    assert "Riverside Peer Support has not been told" in page
    assert "A moderator" not in page  # the check-in says itself who is told
    checkin = CheckIn.objects.get()
    assert checkin.self_harm and checkin.total == 9
    assert Notification.objects.filter(kind="wellbeing_safeguarding").count() == 0
    assert mail.outbox == []
    audit = AuditEvent.objects.get(action="wellbeing.safeguarding_followup")
    assert audit.subject_id == str(checkin.public_id) and audit.detail["response"] == "signpost"
    assert audit.detail["notified"] == 0


def test_self_harm_answer_tells_the_chosen_leads_without_the_answers(personas, django_capture_on_commit_callbacks):
    enable(personas.organisation, response=SelfHarmResponse.NOTIFY_LEADS, leads=[personas.supervisor])
    client = client_for(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/well-being/check-in/phq9/", PHQ9_SELF_HARM, follow=True)
    page = response.content.decode()
    assert 'data-testid="crisis-panel"' in page
    assert "safeguarding lead has been told that a check-in needs a follow-up" in page
    told = Notification.objects.get(kind="wellbeing_safeguarding")
    assert told.user == personas.supervisor
    assert told.title == "A check-in needs a safeguarding follow-up"
    assert "Member" in told.body and "PHQ" not in told.body and "9" not in told.body
    assert not Notification.objects.filter(kind="wellbeing_safeguarding", user=personas.coordinator).exists()
    assert [m.to for m in mail.outbox] == [[personas.supervisor.email]]
    assert "better off dead" not in mail.outbox[0].body
    audit = AuditEvent.objects.get(action="wellbeing.safeguarding_followup")
    assert audit.detail == {"person": str(personas.member.public_id), "response": "notify_leads", "notified": 1}
    assert audit.organisation == personas.organisation


def test_phq9_without_self_harm_tells_nobody(personas):
    enable(personas.organisation, response=SelfHarmResponse.NOTIFY_LEADS, leads=[personas.supervisor])
    answers = {**PHQ9_SELF_HARM, "q9": "0"}
    response = client_for(personas.member).post("/well-being/check-in/phq9/", answers, follow=True)
    assert 'data-testid="crisis-panel"' not in response.content.decode()
    assert not Notification.objects.filter(kind="wellbeing_safeguarding").exists()
    assert not AuditEvent.objects.filter(action="wellbeing.safeguarding_followup").exists()


def test_wrong_method_on_result_page(personas):
    client = client_for(personas.member)
    client.post("/well-being/check-in/ons4/", ONS4_GOOD)
    checkin = CheckIn.objects.get()
    assert client.put(f"/well-being/check-ins/{checkin.public_id}/").status_code == 405
    assert client.put("/well-being/check-in/ons4/").status_code == 405


def test_result_page_says_what_happened_at_the_time_even_if_settings_change(personas):
    enable(personas.organisation, response=SelfHarmResponse.NOTIFY_LEADS, leads=[personas.supervisor])
    client = client_for(personas.member)
    response = client.post("/well-being/check-in/phq9/", PHQ9_SELF_HARM)
    enable(personas.organisation, response=SelfHarmResponse.SIGNPOST)
    page = client.get(response["Location"]).content.decode()
    assert "safeguarding lead has been told that a check-in needs a follow-up" in page
    assert "has not been told" not in page


def test_home_shows_the_latest_of_each_check_in_and_active_goals(personas):
    from kindred.wellbeing import services

    client = client_for(personas.member)
    client.post("/well-being/check-in/ucla3/", {"companionship": "3", "left_out": "3", "isolated": "3"})
    client.post("/well-being/check-in/ucla3/", {"companionship": "1", "left_out": "2", "isolated": "1"})
    client.post("/well-being/check-in/ons4/", ONS4_GOOD)
    services.goal_create(actor=personas.member, title="Phone my brother")
    done = services.goal_create(actor=personas.member, title="Finished goal")
    services.goal_set_status(actor=personas.member, goal=done, status="achieved")
    page = client.get("/well-being/").content.decode()
    assert "Total score 4" in page and "Total score 9" not in page
    assert "Life satisfaction 7 (High)" in page
    assert "Phone my brother" in page and "Finished goal" not in page
    assert "Well-being check-in settings" not in page
    assert (
        "Well-being check-in settings for Riverside"
        in client_for(personas.coordinator).get("/well-being/").content.decode()
    )


def test_coordinator_link_is_in_the_page_not_its_title(personas):
    page = client_for(personas.coordinator).get("/well-being/").content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title and "settings" not in title
    main = page[page.index("<main") :]
    assert "Well-being check-in settings for Riverside" in main
