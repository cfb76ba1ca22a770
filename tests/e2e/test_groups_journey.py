"""Groups in a real browser. A newcomer joins and says they're coming; the facilitator marks who's here and runs
the round; the next day the facilitator is prompted and the newcomer gets a kind follow-up. Then a group closes
and a member downloads what was shared. axe-core checks the group, meeting, facilitator and closing pages."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kindred.groups import services
from kindred.groups.models import Attendance, BoardPost, FollowUpPrompt, Group, Meeting, RotaSlot
from kindred.groups.tests.more_helpers import make_group
from kindred.testing.factories import UserFactory
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def log_in(page: Any, email: str, path: str) -> None:
    page.goto(f"/account/login/?next={path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def second_tab(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_newcomer_rsvps_is_welcomed_in_the_round_and_gets_a_follow_up(
    page: Any, browser: Any, live_server: Any, personas: Any
) -> None:
    group = make_group(personas, name="Riverside Tuesday Group")
    starts = timezone.now() + timedelta(minutes=30)
    meeting = Meeting.objects.create(group=group, starts_at=starts, ends_at=starts + timedelta(minutes=90))
    RotaSlot.objects.create(meeting=meeting, facilitator=personas.facilitator)
    last_week = Meeting.objects.create(
        group=group, starts_at=starts - timedelta(days=7), ends_at=starts - timedelta(days=7) + timedelta(minutes=90)
    )
    Attendance.objects.create(meeting=last_week, person=personas.member, present=True)  # a regular, not new
    newcomer = UserFactory(email="robin@example.org", display_name="Robin")

    # The newcomer reads the group page, joins and says they're coming.
    log_in(page, newcomer.email, f"/groups/{group.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Tuesday Group")
    expect(page.get_by_role("heading", name="What to expect")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Join this group").click()
    page.get_by_role("button", name="Join the group").click()
    expect(page.get_by_text("You're a member of this group")).to_be_visible()
    page.goto(f"/groups/meetings/{meeting.public_id}/")
    assert_accessible(page)
    page.get_by_label("Going").check()
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("main")).to_contain_text("You've said: going")

    # The facilitator marks who's here (Robin's first visit) and runs the round.
    context, tab = second_tab(browser, live_server)
    try:
        log_in(tab, personas.facilitator.email, f"/groups/meetings/{meeting.public_id}/")
        tab.get_by_role("link", name="Run this meeting").click()
        expect(tab.get_by_role("heading", level=1)).to_contain_text("Facilitating")
        assert_accessible(tab)
        tab.get_by_label("Robin is here").check()
        tab.get_by_label("Robin's first visit").check()
        tab.get_by_label("Member is here").check()
        tab.get_by_role("button", name="Save attendance").click()
        expect(tab.get_by_label("Robin is here")).to_be_checked()
        tab.get_by_role("button", name="Start in name order").click()
        expect(tab.get_by_text("speaking now")).to_be_visible()
        first_speaker = tab.locator("[aria-current=step]").inner_text()
        tab.get_by_role("button", name="Next person").click()
        expect(tab.locator("[aria-current=step]")).not_to_have_text(first_speaker)
        assert_accessible(tab)
        assert Attendance.objects.get(meeting=meeting, person=newcomer).first_visit

        # The next day the facilitator is prompted to follow up, and sends a kind note.
        assert services.follow_ups_prompt_due(now=starts + timedelta(days=1)) == 1
        assert FollowUpPrompt.objects.get().newcomer == newcomer
        assert FollowUpPrompt.objects.get().prompted == personas.facilitator
        tab.goto("/groups/follow-ups/")
        tab.get_by_role("link", name="Robin").click()
        tab.get_by_label("Message").fill("Lovely to meet you on Tuesday, Robin. Hope to see you next week.")
        tab.get_by_role("button", name="Send the message").click()
    finally:
        context.close()

    page.goto("/notifications/")
    expect(page.get_by_role("main")).to_contain_text("Lovely to meet you on Tuesday, Robin.")


def test_a_group_closes_and_a_member_downloads_what_was_shared(
    page: Any, browser: Any, live_server: Any, personas: Any
) -> None:
    group = make_group(personas, name="Riverside Thursday Circle")
    BoardPost.objects.create(group=group, author=personas.member, body="Thank you all — this group helped me.")
    BoardPost.objects.create(group=group, author=personas.peer, body="Lifts from the station, anyone?")

    log_in(page, personas.facilitator.email, f"/groups/{group.slug}/funds/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Thursday Circle funds")
    page.get_by_label("Money in").check()
    page.get_by_label("Category").select_option("grant")
    page.get_by_label("Amount in pounds").fill("-20")
    page.get_by_role("button", name="Add to the ledger").click()
    expect(page.get_by_role("alert")).to_contain_text("positive number")
    assert_accessible(page)
    page.goto(f"/groups/{group.slug}/noticeboard/")
    assert_accessible(page)
    page.goto(f"/groups/{group.slug}/newsletter/")
    assert_accessible(page)
    page.goto(f"/groups/{group.slug}/closing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Closing Riverside Thursday Circle")
    assert_accessible(page)
    page.get_by_label("Now").check()
    page.get_by_label("A message to members (optional)").fill("Thank you for three good years.")
    page.get_by_label("I understand that members will be told").check()
    page.get_by_role("button", name="Close the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Thursday Circle has closed")
    assert Group.objects.get(pk=group.pk).status == "closed"

    context, tab = second_tab(browser, live_server)
    try:
        log_in(tab, personas.member.email, "/notifications/")
        tab.get_by_role("link", name="Riverside Thursday Circle has closed").click()
        expect(tab.get_by_role("main")).to_contain_text("Thank you for three good years.")
        assert_accessible(tab)
        with tab.expect_download() as info:
            tab.get_by_role("link", name="Download everything").click()
        download = info.value
        assert download.suggested_filename == f"{group.slug}-archive.zip"
        archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
        assert "Lifts from the station" in archive.read("noticeboard.txt").decode()
        assert "this group helped me" in archive.read("my-posts.txt").decode()
        assert "Lifts from the station" not in archive.read("my-posts.txt").decode()
    finally:
        context.close()
