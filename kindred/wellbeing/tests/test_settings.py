"""An organisation's well-being settings: coordinators only, leads from its own coordinators and supervisors."""

from __future__ import annotations

import pytest

from kindred.core.models import AuditEvent
from kindred.testing.clients import client_for
from kindred.wellbeing.models import WellbeingSettings

pytestmark = pytest.mark.django_db
URL = "/well-being/organisations/riverside/settings/"


def test_coordinator_enables_phq9_and_chooses_a_lead(personas):
    client = client_for(personas.coordinator)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "phq9_enabled": "on",
            "self_harm_response": "notify_leads",
            "safeguarding_leads": [str(personas.supervisor.public_id)],
        },
    )
    assert response.status_code == 302
    settings = WellbeingSettings.objects.get(organisation=personas.organisation)
    assert settings.phq9_enabled and not settings.gad7_enabled
    assert list(settings.safeguarding_leads.all()) == [personas.supervisor]
    audit = AuditEvent.objects.get(action="wellbeing.settings_update")
    assert audit.actor == personas.coordinator and audit.detail["phq9_enabled"] is True


def test_bad_settings_change_nothing(personas):
    client = client_for(personas.coordinator)
    no_lead = client.post(URL, {"phq9_enabled": "on", "self_harm_response": "notify_leads"})
    assert no_lead.status_code == 400 and "Please choose at least one safeguarding lead" in no_lead.content.decode()
    member_as_lead = client.post(
        URL, {"self_harm_response": "notify_leads", "safeguarding_leads": [str(personas.member.public_id)]}
    )
    assert member_as_lead.status_code == 400
    assert not WellbeingSettings.objects.exists()


def test_only_coordinators_of_the_organisation(personas):
    assert client_for(personas.member).get(URL).status_code == 403
    assert client_for(personas.supervisor).post(URL, {"self_harm_response": "signpost"}).status_code == 403
    assert client_for(personas.outsider).get(URL).status_code == 404
    assert client_for(personas.outside_coordinator).get(URL).status_code == 404
    assert client_for(personas.coordinator).delete(URL).status_code == 405
    assert not WellbeingSettings.objects.exists()
