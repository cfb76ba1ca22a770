"""The foundation's main journeys, in a real browser, checked with axe-core."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def test_get_help_now_from_the_home_page_shows_uk_crisis_routes(page: Any) -> None:
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Get help now").click()

    expect(page).to_have_url(re.compile(r"/help/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Call 116 123 (free)")).to_have_attribute("href", "tel:116123")
    expect(main.get_by_role("link", name="Call 111 and choose option 2")).to_have_attribute("href", "tel:111")
    expect(main.get_by_role("link", name="Call 999 or go to A&E")).to_have_attribute("href", "tel:999")
    expect(main.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute("href", "sms:85258")
    expect(main).to_contain_text("Samaritans")
    assert_accessible(page)


def test_first_tab_on_the_crisis_page_reaches_the_skip_link(page: Any) -> None:
    page.goto("/help/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # it appears on focus
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_join_log_out_log_in_share_my_experience_and_find_help(page: Any, mailoutbox: list[Any]) -> None:
    email, password = "river@example.org", "kettle-lantern-meadow-42"
    experience = "Low moods that come in with the winter. Walking with others helps."

    # Join
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Create a free account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Display name").fill("River")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_label("I agree to the terms of use").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create my account").click()

    # My Kindred, with a nudge to confirm the email address we sent
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, River")
    expect(page.get_by_role("status")).to_contain_text("Welcome to Kindred, River")
    assert [message.to for message in mailoutbox] == [[email]]
    assert_accessible(page)

    # Log out, and back in
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You've logged out")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, River")

    # Share my experience with the members of my organisations
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Edit my profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit my profile")
    assert_accessible(page)
    page.get_by_label("My experience", exact=True).fill(experience)
    page.get_by_label("Who can see this (my experience)").select_option(label="Members of my organisations")
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved")
    mine = page.locator("dl.profile").first
    expect(mine).to_contain_text(experience)
    expect(mine).to_contain_text("Who can see this: Members of my organisations")
    assert_accessible(page)

    # Help is one click away from here too
    page.get_by_role("banner").get_by_role("link", name="Get help now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.get_by_role("main")).to_contain_text("Samaritans")
    assert_accessible(page)
