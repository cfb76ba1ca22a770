"""Well-being in a real browser: a person checks in, sees the result and their chart, shares a summary with their
befriender, who can read it; then the person stops sharing and the befriender can't any more. axe-core checks
the check-in page, the result page and the chart page; the chart links through to the person's journey. A PHQ-9
answer above zero on the self-harm question shows crisis signposting at once and says who was told.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kindred.commons.spine import engagement_end, engagement_record
from kindred.onetoone import services as onetoone
from kindred.onetoone.models import Match, MatchStatus
from kindred.wellbeing.models import CheckIn, Share
from tests.e2e.conftest import BROWSER, assert_accessible, signed_in

pytestmark = BROWSER


def test_check_in_chart_share_with_befriender_and_stop_sharing(browser: Any, live_server: Any, personas: Any) -> None:
    p = personas
    scheme = onetoone.scheme_create(
        actor=p.coordinator,
        organisation=p.organisation,
        title="Riverside Befriending",
        summary="A befriender to meet for a walk or a cuppa.",
        kind="befriending",
        channels=["in_person", "phone"],
    )
    now = timezone.now()
    Match.objects.create(
        scheme=scheme,
        seeker=p.member,
        supporter=p.peer,
        status=MatchStatus.ACTIVE,
        approved_at=now,
        seeker_accepted_at=now,
        supporter_accepted_at=now,
        activated_at=now,
    )
    # Some history to shade behind the chart: a year in a group, and the befriending since.
    year_ago = now - timedelta(days=365)
    engagement_record(person=p.member, subject=p.organisation, form="group", role="receiving", at=year_ago)
    engagement_end(person=p.member, subject=p.organisation, reason="paused", at=now - timedelta(days=60))
    engagement_record(person=p.member, subject=scheme, form="one_to_one", role="receiving", at=now)

    with signed_in(browser, live_server, p.member) as member:
        member.goto("/well-being/")
        member.get_by_role("link", name="ONS personal well-being (ONS4)").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("ONS personal well-being (ONS4)")
        assert_accessible(member)
        # Leaving a question out is explained kindly and nothing is saved.
        member.locator("#id_life_satisfaction_7").check()
        member.get_by_role("button", name="Save my check-in").click()
        expect(member.get_by_role("alert")).to_contain_text("Please choose an answer for this question.")
        assert not CheckIn.objects.exists()
        member.locator("#id_life_satisfaction_7").check()
        member.locator("#id_worthwhile_8").check()
        member.locator("#id_happiness_6").check()
        member.locator("#id_anxiety_3").check()
        member.get_by_role("button", name="Save my check-in").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("Thank you for checking in")
        expect(member.get_by_role("row", name="Life satisfaction 7 High")).to_be_visible()
        assert_accessible(member)

        member.get_by_role("link", name="See your chart").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("Your well-being over time")
        expect(member.get_by_role("img", name="Happiness")).to_be_visible()
        expect(member.locator("table")).to_contain_text("Happiness 6 (Medium)")
        # The periods of each form are shaded behind the line: the group year and the befriending since.
        happiness = member.get_by_role("img", name="Happiness")
        assert happiness.locator("rect.wb-shade").count() == 2
        assert_accessible(member)

        # From the chart to the journey it sits on: the same group and befriending, as lanes.
        member.get_by_role("link", name="See your whole journey").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("My journey")
        expect(member.get_by_role("main")).to_contain_text("Riverside Befriending")
        member.go_back()
        expect(member.get_by_role("heading", level=1)).to_have_text("Your well-being over time")

        member.get_by_role("navigation", name="Well-being").get_by_role("link", name="Sharing").click()
        member.get_by_label("Peer — Your befriender in Riverside Befriending").check()
        member.get_by_label("Personal well-being").check()
        member.get_by_role("button", name="Share", exact=True).click()
        expect(member.get_by_role("status")).to_contain_text("You are now sharing a summary with Peer")
        share = Share.objects.get(person=p.member, revoked_at=None)

        with signed_in(browser, live_server, p.peer) as peer:
            peer.goto("/well-being/shared/")
            peer.get_by_role("link", name="Member").click()
            expect(peer.get_by_role("heading", level=1)).to_have_text("Member's well-being summary")
            expect(peer.get_by_role("row", name="Life satisfaction 7 High First check-in")).to_be_visible()

            member.get_by_role("button", name="Stop sharing with Peer").click()
            expect(member.get_by_role("status")).to_contain_text("You have stopped sharing with Peer")

            response = peer.goto(f"/well-being/shared/{share.public_id}/")
            assert response is not None and response.status == 404
            peer.goto("/well-being/shared/")
            expect(peer.get_by_role("main")).to_contain_text("Nobody is sharing a summary with you at the moment.")


def test_phq9_self_harm_answer_shows_crisis_signposting_at_once(browser: Any, live_server: Any, personas: Any) -> None:
    from kindred.testing.factories import CrisisResourceFactory
    from kindred.wellbeing.models import SelfHarmResponse, WellbeingSettings

    p = personas
    settings = WellbeingSettings.objects.create(
        organisation=p.organisation, phq9_enabled=True, self_harm_response=SelfHarmResponse.NOTIFY_LEADS
    )
    settings.safeguarding_leads.set([p.supervisor])
    CrisisResourceFactory(organisation=p.organisation, name="Riverside night line")

    with signed_in(browser, live_server, p.member) as member:
        member.goto("/well-being/")
        member.get_by_role("link", name="Patient Health Questionnaire (PHQ-9)").click()
        # Told before answering what happens, in the organisation's own words too.
        expect(member.get_by_test_id("safeguarding-before")).to_contain_text(
            "will also let its safeguarding lead know that a check-in needs a follow-up"
        )
        assert_accessible(member)
        for number in range(1, 9):
            member.locator(f"#id_q{number}_0").check()
        member.locator("#id_q9_1").check()
        member.get_by_role("button", name="Save my check-in").click()
        panel = member.get_by_test_id("crisis-panel")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("Samaritans")
        expect(panel).to_contain_text("Riverside night line")
        expect(member.get_by_test_id("safeguarding-after")).to_contain_text(
            "safeguarding lead has been told that a check-in needs a follow-up"
        )
        assert_accessible(member)
    assert CheckIn.objects.get(person=p.member).self_harm
