"""One-to-one in a real browser: a member asks a befriending scheme for a match; the coordinator runs matching and
sends the proposal; both say yes; they exchange messages; the befriender logs a session; their supervisor sees it in
supervision. axe-core checks the request, suggestions, proposed matches, conversation, session and supervision pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kindred.onetoone import services
from kindred.onetoone.models import Match, MatchRequest, MatchStatus, Session, SupervisionAssignment
from tests.e2e.conftest import BROWSER, assert_accessible, signed_in

pytestmark = BROWSER


def test_a_member_is_matched_with_a_befriender_they_talk_and_supervision_sees_the_session(
    browser: Any, live_server: Any, personas: Any
) -> None:
    p = personas
    scheme = services.scheme_create(
        actor=p.coordinator,
        organisation=p.organisation,
        title="Riverside Befriending",
        summary="A befriender to meet for a walk or a cuppa.",
        kind="befriending",
        channels=["in_person", "phone"],
    )
    services.supporter_profile_save(
        actor=p.peer,
        scheme=scheme,
        experience_tags="hearing voices, loneliness",
        interest_tags="music, walking",
        channels=["in_person", "phone"],
        languages="English",
        capacity=2,
    )
    SupervisionAssignment.objects.create(organisation=p.organisation, supervisor=p.supervisor, supervisee=p.peer)

    # The member asks for a match.
    with signed_in(browser, live_server, p.member) as member:
        member.goto(f"/one-to-one/schemes/{scheme.public_id}/")
        member.get_by_role("link", name="Ask for a match").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("Ask Riverside Befriending for a match")
        assert_accessible(member)
        member.get_by_label("In your own words, what would you like support with? (optional)").fill(
            "I hear voices and feel alone with them. I'd like someone to walk and talk with."
        )
        member.get_by_label("Experiences you'd like to share with someone (optional)").fill("hearing voices")
        member.get_by_label("Interests (optional)").fill("walking, music")
        member.get_by_label("Phone").check()
        member.get_by_role("button", name="Send my request").click()
        expect(member.get_by_text("Your request has been sent")).to_be_visible()

    # The coordinator looks at the suggestions for the request (with reasons in plain words), runs matching,
    # reviews the proposal and sends it to both.
    match_request = MatchRequest.objects.get(scheme=scheme, seeker=p.member)
    with signed_in(browser, live_server, p.coordinator) as coordinator:
        coordinator.goto(f"/one-to-one/requests/{match_request.public_id}/")
        suggestion = coordinator.get_by_test_id("suggestion").first
        expect(suggestion).to_contain_text("Peer")
        expect(suggestion).to_contain_text("hearing voices")
        assert_accessible(coordinator)
        coordinator.goto(f"/one-to-one/schemes/{scheme.public_id}/manage/")
        coordinator.get_by_role("button", name="Suggest matches for everyone waiting").click()
        expect(coordinator.get_by_text("ready for you to check")).to_be_visible()
        expect(coordinator.get_by_role("main")).to_contain_text("Peer")
        assert_accessible(coordinator)
        coordinator.get_by_role("button", name="Send to both").click()
        expect(coordinator.get_by_text("Sent to both people. Contact opens")).to_be_visible()

    match = Match.objects.get(scheme=scheme)
    assert match.status == MatchStatus.APPROVED

    # Both say yes; then they talk.
    with signed_in(browser, live_server, p.member) as member:
        member.goto(f"/one-to-one/matches/{match.public_id}/")
        member.get_by_role("button", name="Yes, I'd like to go ahead").click()
    with signed_in(browser, live_server, p.peer) as peer:
        peer.goto(f"/one-to-one/matches/{match.public_id}/")
        peer.get_by_role("button", name="Yes, I'd like to go ahead").click()
        match.refresh_from_db()
        assert match.status == MatchStatus.ACTIVE
        peer.get_by_role("link", name="Open your conversation").click()
        expect(peer.get_by_role("heading", level=1)).to_have_text("Conversation with Member")
        peer.get_by_label("Your message").fill("Hello! Would a walk by the river on Tuesday suit you?")
        peer.get_by_role("button", name="Send").click()
        expect(peer.get_by_text("Would a walk by the river on Tuesday suit you?")).to_be_visible()

    with signed_in(browser, live_server, p.member) as member:
        member.goto(f"/one-to-one/matches/{match.public_id}/")
        member.get_by_role("link", name="Open your conversation").click()
        expect(member.get_by_text("Would a walk by the river on Tuesday suit you?")).to_be_visible()
        member.get_by_label("Your message").fill("Yes please, that sounds lovely.")
        member.get_by_role("button", name="Send").click()
        expect(member.get_by_text("Yes please, that sounds lovely.")).to_be_visible()
        assert_accessible(member)

    # The befriender logs the walk from their practice page, with a private note.
    with signed_in(browser, live_server, p.peer) as peer:
        peer.goto("/one-to-one/practice/")
        peer.get_by_role("link", name="Sessions with Member").click()
        expect(peer.get_by_role("heading", level=1)).to_have_text("Sessions with Member")
        # Earlier today: after they were matched (a session can't be dated before that) and already over.
        earlier = timezone.localtime(timezone.now() - timedelta(hours=2))
        peer.get_by_label("Date and time").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
        peer.get_by_label("How long (minutes)").fill("75")
        peer.get_by_label("In person").check()
        peer.get_by_label("Yes, it happened").check()
        peer.get_by_role("button", name="Save session").click()
        expect(peer.get_by_text("Session saved.")).to_be_visible()
        assert_accessible(peer)
        peer.get_by_label("Your private note").fill("A good first walk. Member talked about the voices at night.")
        peer.get_by_role("button", name="Save note").click()
        expect(peer.get_by_text("Only you can read it")).to_be_visible()
        assert Session.objects.get(match=match).duration_minutes == 75

    # The supervisor sees the session and the contact time, but not the private note.
    with signed_in(browser, live_server, p.supervisor) as supervisor:
        supervisor.goto("/one-to-one/supervision/")
        assert_accessible(supervisor)
        supervisor.get_by_role("link", name="Peer").click()
        expect(supervisor.get_by_role("heading", level=1)).to_have_text("Supervision: Peer")
        sessions = supervisor.get_by_test_id("supervision-sessions")
        expect(sessions).to_contain_text("Member")
        expect(sessions).to_contain_text("75 minutes")
        expect(sessions).to_contain_text("1 private note")
        expect(supervisor.get_by_test_id("contact-hours")).to_have_text("1 hour 15 minutes")
        expect(supervisor.get_by_role("main")).not_to_contain_text("voices at night")
        assert_accessible(supervisor)
