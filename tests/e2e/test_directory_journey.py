"""Finding support in a real browser: a newcomer uses the chooser, opens a suggested group, reads what to expect and
asks to join; the coordinator marks the request contacted; the person sees the new status. axe-core checks the
search, chooser, offer and request pages on the way."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from kindred.directory.models import Offer, ReferralStatus
from kindred.directory.models import Referral as ReferralModel
from kindred.directory.tests.chooser_helpers import make_directory
from kindred.testing.factories import UserFactory
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def log_in(page: Any, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_newcomer_finds_a_group_with_the_chooser_asks_to_join_and_sees_it_move_on(
    page: Any, browser: Any, live_server: Any, personas: Any
) -> None:
    make_directory(personas.organisation, personas.other_organisation)
    Offer.objects.filter(slug="leeds-hearing-voices-evening").update(
        format="sharing_circle",
        typical_size="6–10 people",
        first_visit="Someone will meet you at the door and show you where the tea is.",
    )
    newcomer = UserFactory(email="newcomer@example.org", display_name="Robin")

    # Search, then "not sure where to start?"
    page.goto("/find/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="answer a few gentle questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not sure where to start?")
    assert_accessible(page)

    # The chooser: a group, in person, in the evening, in Yorkshire, where I can just listen.
    page.get_by_label("Be in a group").check()
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Evenings").check()
    page.get_by_label("Or choose your area").select_option("Yorkshire")
    page.get_by_label("I can just listen at first").check()
    page.get_by_role("button", name="Show me some places to start").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Places you could start")
    suggestions = page.get_by_test_id("chooser-suggestions")
    first = suggestions.get_by_test_id("suggestion").first
    expect(first.get_by_role("heading")).to_have_text("Leeds Hearing Voices Group")
    expect(first).to_contain_text("It meets on Tuesday evenings")
    expect(first).to_contain_text("You said you'd like to just listen — you can")
    also = page.get_by_test_id("chooser-also-try")
    expect(also.get_by_role("heading", name="An online space")).to_be_visible()
    expect(also).to_contain_text("Night Owls Online Space")
    assert_accessible(page)

    # The suggested group: what to expect.
    first.get_by_role("link", name="Leeds Hearing Voices Group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leeds Hearing Voices Group")
    expect(page.get_by_role("heading", name="What to expect")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Yes. You never have to speak or share.")
    expect(main).to_contain_text("Someone will meet you at the door and show you where the tea is.")
    assert_accessible(page)

    # I'd like to join: log in, then ask.
    main.get_by_role("link", name="I'd like to join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    log_in(page, newcomer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask about Leeds Hearing Voices Group")
    expect(page.get_by_label("I'd like to join")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Anything you'd like them to know (optional)").fill("I'm a bit nervous about the first time.")
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request about Leeds Hearing Voices Group")
    expect(page.get_by_role("heading", name="Status: New")).to_be_visible()
    assert_accessible(page)
    referral = ReferralModel.objects.get(person=newcomer)
    assert referral.status == ReferralStatus.NEW

    # The coordinator, in their own browser, marks it contacted.
    coordinator_context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    coordinator_context.set_default_timeout(10_000)
    coordinator = coordinator_context.new_page()
    try:
        coordinator.goto("/account/login/")
        log_in(coordinator, personas.coordinator.email)
        coordinator.goto("/find/requests/inbox/")
        expect(coordinator.get_by_role("heading", level=1)).to_have_text("Requests inbox")
        row = coordinator.get_by_role("row").filter(has_text="Leeds Hearing Voices Group")
        expect(row).to_contain_text("Robin")
        assert_accessible(coordinator)
        row.get_by_role("link").click()
        expect(coordinator.get_by_role("heading", level=1)).to_have_text("Request about Leeds Hearing Voices Group")
        expect(coordinator.get_by_role("main")).to_contain_text("I'm a bit nervous about the first time.")
        assert_accessible(coordinator)
        coordinator.get_by_label("New status").select_option("contacted")
        coordinator.get_by_label("Note for the team (optional)").fill("Phoned Robin; meeting them at the door.")
        coordinator.get_by_role("button", name="Save status").click()
        expect(coordinator.get_by_role("status")).to_contain_text("Marked as contacted")
    finally:
        coordinator_context.close()

    # The person sees the new status.
    page.goto("/find/requests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My requests")
    expect(page.get_by_role("main")).to_contain_text("Status: Contacted")
    assert_accessible(page)
    page.get_by_role("link", name="Leeds Hearing Voices Group").click()
    expect(page.get_by_role("heading", name="Status: Contacted")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/find/requests/{referral.public_id}/$"))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONTACTED
