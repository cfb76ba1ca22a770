"""Supporter care in a real browser: a facilitator checks in after a meeting and shares it with their supervisor,
who sees it; the facilitator steps back, comes back and takes their rota slots back; a coordinator opens an
incident and completes steps.
axe-core checks the care page, the check-in page and the incident page.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from kindred.care.models import Incident, SupporterCheckIn
from kindred.care.tests.helpers import make_care
from kindred.groups.models import RotaSlot
from kindred.onetoone.models import SupervisionAssignment
from tests.e2e.conftest import BROWSER, assert_accessible, signed_in

pytestmark = BROWSER


def test_a_facilitator_checks_in_shares_it_steps_back_and_comes_back(
    browser: Any, live_server: Any, personas: Any
) -> None:
    p = personas
    care = make_care(p)
    SupervisionAssignment.objects.create(organisation=p.organisation, supervisor=p.supervisor, supervisee=p.facilitator)

    with signed_in(browser, live_server, p.facilitator) as tab:
        tab.goto(f"/groups/meetings/{care.past.public_id}/facilitate/")
        tab.get_by_role("link", name="How are you after this? A short, optional check-in").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("How are you after this?")
        expect(tab.get_by_text("Your supervisor here: Supervisor")).to_be_visible()
        assert_accessible(tab)
        tab.get_by_label("2 — A bit low").check()
        tab.get_by_label("Anything you'd like to note (optional)").fill("Someone shared a lot tonight")
        tab.get_by_label("Share this check-in with my supervisor").check()
        tab.get_by_role("button", name="Save check-in").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("My care")
        expect(tab.get_by_text("Someone shared a lot tonight")).to_be_visible()
        expect(tab.get_by_text("Shared with your supervisor.")).to_be_visible()
        assert_accessible(tab)

        tab.get_by_role("link", name="Step back for a while").click()
        tab.get_by_role("button", name="Step back").click()
        expect(tab.get_by_role("button", name="I'm ready to come back")).to_be_visible()
        assert RotaSlot.objects.get(meeting=care.soon).facilitator is None
        tab.get_by_role("button", name="I'm ready to come back").click()
        expect(tab.get_by_role("heading", name="Meetings you could pick up again")).to_be_visible()
        assert_accessible(tab)
        tab.get_by_role("button", name="Take back the ticked meetings").click()
        expect(tab.get_by_text("You're back on the rota for 2 meetings. Thank you.")).to_be_visible()
        assert RotaSlot.objects.get(meeting=care.soon).facilitator == p.facilitator

    checkin = SupporterCheckIn.objects.get()
    assert checkin.meeting == care.past and checkin.shared_with_supervisor

    with signed_in(browser, live_server, p.supervisor) as tab:
        tab.goto("/care/shared-with-me/")
        expect(tab.get_by_text("Someone shared a lot tonight")).to_be_visible()


def test_a_coordinator_opens_an_incident_and_completes_steps(browser: Any, live_server: Any, personas: Any) -> None:
    p = personas
    care = make_care(p)
    with signed_in(browser, live_server, p.coordinator) as tab:
        tab.goto("/care/incidents/")
        tab.get_by_role("link", name="Open an incident").click()
        tab.get_by_label("Which group or space is this about?").select_option(label=f"Group: {care.group.name}")
        tab.get_by_label("A short title").fill("After the death of a member")
        tab.get_by_role("button", name="Open the incident").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("After the death of a member")
        assert_accessible(tab)

        tab.get_by_label("Message to the facilitators or moderators").fill("Some sad news about a member.")
        tab.get_by_role("button", name="Send to the facilitators").click()
        expect(tab.get_by_text("The facilitators have been told.")).to_be_visible()
        tab.get_by_role("button", name="Share these").click()
        expect(tab.get_by_text("The support resources have been shared.")).to_be_visible()
        tab.get_by_label("What was done").fill("Phoned both facilitators.")
        tab.get_by_role("button", name="Add to the record").click()
        expect(tab.get_by_text("Phoned both facilitators.")).to_be_visible()
        tab.get_by_label("Closing summary").fill("Facilitators supported; resources shared.")
        tab.get_by_role("button", name="Close the incident").click()
        expect(tab.get_by_role("heading", name="Closed")).to_be_visible()
        assert_accessible(tab)

    incident = Incident.objects.get()
    assert incident.status == "closed"
    assert set(incident.steps.values_list("key", flat=True)) == {"inform_facilitators", "share_resources"}
    assert p.facilitator.notifications.filter(kind="care.incident_inform").exists()

    with signed_in(browser, live_server, p.facilitator) as tab:
        response = tab.goto(f"/care/incidents/{incident.public_id}/")
        assert response is not None and response.status == 404
