"""Online spaces in a real browser: a member agrees to the house rules, starts a conversation with a content note;
another member reads it folded, opens it and reports a reply; a moderator hides the reply with a reason; its author
sees why and appeals; another moderator reverses it. axe-core checks the space, thread, queue and decision pages."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from kindred.community.models import SpaceVisibility
from kindred.community.tests.core_helpers import agree, make_reply, make_space
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def log_in(page: Any, email: str, next_url: str) -> None:
    page.goto(f"/account/login/?next={next_url}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_space_conversation_report_hide_and_appeal(page: Any, browser: Any, live_server: Any, personas: Any) -> None:
    space = make_space(personas, visibility=SpaceVisibility.PUBLIC, name="Low mood")

    # Anyone can read a public space, no account needed.
    page.goto(f"/online/spaces/{space.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Low mood")
    assert_accessible(page)

    # The member agrees to the rules and starts a conversation with a content note.
    log_in(page, personas.member.email, f"/online/spaces/{space.slug}/")
    page.get_by_role("link", name="read and agree to the house rules").click()
    assert_accessible(page)
    page.get_by_label("I've read the house rules and I'll follow them").check()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_label("Title").fill("A rough year")
    page.get_by_label("Your message").fill("Losing my job hit **hard**.")
    page.get_by_label("Content note").fill("job loss")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A rough year")
    thread_url = page.url.split("#")[0].split("?")[0]

    # A reply that breaks the rules (made directly), reported by another member in a second browser.
    thread_id = thread_url.rstrip("/").split("/")[-1]
    from kindred.community.models import Thread

    thread = Thread.objects.get(public_id=thread_id)
    reply = make_reply(thread, personas.peer, "Just get over it.")
    agree(personas.facilitator, space)
    other = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(other, personas.facilitator.email, thread_url)
    details = other.locator("details.content-warning")
    expect(details.locator("summary")).to_contain_text("Content note: job loss")
    expect(details.get_by_text("Losing my job hit")).to_be_hidden()
    details.locator("summary").click()
    expect(details.get_by_text("Losing my job hit")).to_be_visible()
    assert_accessible(other)
    other.locator(f"#post-{reply.public_id}").get_by_role("link", name="Report").click()
    other.get_by_label("Unkind, bullying or harassing").check()
    other.get_by_role("button", name="Send the report").click()
    expect(other.get_by_text("Thank you for telling us")).to_be_visible()
    other.context.close()

    # The moderator hides it from the queue with a reason.
    moderator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(moderator, personas.moderator.email, "/online/moderation/riverside/")
    expect(moderator.get_by_test_id("queue-item")).to_contain_text("Just get over it.")
    assert_accessible(moderator)
    moderator.get_by_role("link", name="Look at this report").click()
    moderator.get_by_label("Hidden").check()
    moderator.get_by_label("Reason").fill("That could really hurt someone. Please be gentle here.")
    moderator.get_by_role("button", name="Take this action").click()
    expect(moderator.get_by_text("Done. The person has been told")).to_be_visible()
    moderator.context.close()

    # The author sees why, beside the post, and appeals.
    author = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(author, personas.peer.email, thread_url)
    expect(author.get_by_text("Their reason: That could really hurt someone.")).to_be_visible()
    author.get_by_role("link", name="See the decision or appeal").click()
    assert_accessible(author)
    author.get_by_label("Why should the decision change?").fill("I meant it kindly, but I see how it read.")
    author.get_by_role("button", name="Send my appeal").click()
    expect(author.get_by_text("Your appeal has been sent")).to_be_visible()
    author.context.close()

    # Another moderator (the coordinator) decides it.
    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(coordinator, personas.coordinator.email, "/online/moderation/riverside/")
    coordinator.get_by_role("link", name="Appeal by").click()
    coordinator.get_by_label("The decision stands").check()
    coordinator.get_by_label("Reason").fill("It stays hidden, but thank you for explaining.")
    coordinator.get_by_role("button", name="Record the decision").click()
    expect(coordinator.get_by_text("Decision recorded")).to_be_visible()
    coordinator.context.close()
