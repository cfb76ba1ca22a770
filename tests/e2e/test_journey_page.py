"""My journey in a real browser: a person with years of engagements sees the drawing and the table, adds a moment
of their own and says "not for me" to a suggestion. axe-core checks the journey, reflections and status pages, and
the journey again on a small phone; the same things work with JavaScript turned off."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from kindred.commons.spine import engagement_record_span
from kindred.community.models import Space
from kindred.directory.models import Offer
from kindred.journey.models import Moment, SuggestionDismissal
from kindred.journey.services import status_set
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER
LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int) -> datetime:
    return datetime(year, month, 1, 12, tzinfo=LONDON)


def listing(org: Any, slug: str, title: str, kind: str, delivery: str) -> Offer:
    return Offer.objects.create(
        slug=slug,
        organisation=org,
        kind=kind,
        delivery=delivery,
        title=title,
        summary="A friendly place.",
        description="Peer support.",
    )


def log_in(page: Any, email: str, path: str) -> None:
    page.goto(f"/account/login/?next={path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_person_sees_their_journey_adds_a_moment_and_dismisses_a_suggestion(
    page: Any, personas: Any, tmp_path: Path
) -> None:
    page.set_default_timeout(30_000)  # a shared, busy CI machine can be slow to serve the first pages
    org, person = personas.organisation, personas.member
    group = listing(org, "riverside-voices", "Riverside Hearing Voices", "group", "in_person")
    befriending = listing(org, "phone-friends", "Phone Befrienders", "scheme", "phone")
    forum = listing(org, "night-owls", "Night Owls", "online_space", "online")
    Space.objects.create(slug="night-owls", name="Night Owls", organisation=org, offer=forum, visibility="public")
    quiet = listing(org, "quiet-corner", "Quiet Corner", "online_space", "online")
    Space.objects.create(slug="quiet-corner", name="Quiet Corner", organisation=org, offer=quiet, visibility="public")
    for subject, form, role, start, end in (
        (group, "group", "receiving", at(2019, 3), at(2021, 2)),
        (group, "group", "receiving", at(2022, 1), None),
        (group, "group", "facilitating", at(2023, 1), None),
        (befriending, "one_to_one", "receiving", at(2021, 4), at(2022, 4)),
        (forum, "online", "reading", at(2020, 6), at(2024, 1)),
    ):
        engagement_record_span(
            person=person,
            subject=subject,
            form=form,
            role=role,
            started_at=start,
            ended_at=end,
            end_reason="paused" if end else "",
            organisation=org,
        )
    status_set(actor=person, status="needing_support", housebound=True)

    log_in(page, person.email, "/journey/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My journey")
    drawing = page.get_by_role("img", name="Your journey through one-to-one, group and online support, 2019 to")
    expect(drawing).to_be_visible()
    assert page.locator("svg.journey-svg rect.journey-bar").count() == 5
    table = page.get_by_role("table", name="Everything you've taken part in")
    expect(table.get_by_role("row")).to_have_count(6)  # header + five engagements
    expect(page.locator(".journey-breaks")).to_contain_text("A break from groups: Feb 2021 to Jan 2022")
    assert_accessible(page)
    (tmp_path / "journey-page.png").write_bytes(page.screenshot(full_page=True))

    # A moment of their own, with a kind refusal first.
    page.get_by_label("When it happened").fill("2030-01-01")
    page.get_by_label("What happened").fill("moved house")
    page.get_by_role("button", name="Add this moment").click()
    expect(page.get_by_role("alert")).to_contain_text("That date is in the future")
    assert not Moment.objects.exists()
    page.get_by_label("When it happened").fill("2021-05-10")
    page.get_by_role("button", name="Add this moment").click()
    expect(page.get_by_text("Your moment has been added to your journey.")).to_be_visible()
    expect(page.locator(".journey-moments")).to_contain_text("10 May 2021 — moved house")
    assert page.locator("svg.journey-svg g.journey-moment").count() == 1

    # Suggestions say why; "not for me" makes one go for good.
    suggestions = page.locator(".journey-suggestions")
    expect(suggestions).to_contain_text("Because you said you're mostly at home at the moment")
    expect(suggestions.get_by_role("heading", name="Quiet Corner")).to_be_visible()
    page.get_by_role("button", name="Not for me: Quiet Corner").click()
    expect(page.get_by_text("Thanks — we won't suggest that again.")).to_be_visible()
    expect(page.locator(".journey-suggestions").get_by_role("heading", name="Quiet Corner")).to_have_count(0)
    assert SuggestionDismissal.objects.filter(person=person, key=f"from-home:{quiet.public_id}").exists()
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Quiet Corner")

    page.goto("/journey/reflections/")
    page.get_by_label("What helped?").fill("The Sunday walk.")
    page.get_by_role("button", name="Save this reflection").click()
    expect(page.get_by_text("The Sunday walk.")).to_be_visible()
    assert_accessible(page)
    page.goto("/journey/status/")
    assert_accessible(page)
    page.goto("/journey/suggestions/")
    expect(page.locator(".journey-suggestions")).to_contain_text("Why this?")
    assert_accessible(page)


def test_the_journey_reads_on_a_phone_and_works_without_javascript(
    browser: Any, live_server: Any, personas: Any, transactional_db: None
) -> None:
    org, person = personas.organisation, personas.member
    group = listing(org, "riverside-voices", "Riverside Hearing Voices", "group", "in_person")
    forum = listing(org, "night-owls", "Night Owls", "online_space", "online")
    Space.objects.create(slug="night-owls", name="Night Owls", organisation=org, offer=forum, visibility="public")
    for start, end, role in (
        (at(2016, 3), at(2021, 2), "receiving"),
        (at(2022, 1), None, "receiving"),
        (at(2023, 1), None, "facilitating"),
    ):
        engagement_record_span(
            person=person,
            subject=group,
            form="group",
            role=role,
            started_at=start,
            ended_at=end,
            end_reason="paused" if end else "",
            organisation=org,
        )
    status_set(actor=person, status="needing_support", housebound=True)

    # A small phone: the drawing keeps a readable size and scrolls sideways inside its own focusable box, the page
    # itself never does, and axe is content.
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(30_000)
    log_in(page, person.email, "/journey/")
    chart = page.get_by_role("region", name="Journey drawing")
    expect(chart).to_be_visible()
    sizes = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            box: document.querySelector('.journey-chart').clientWidth,
            drawing: document.querySelector('svg.journey-svg').getBoundingClientRect().width,
            text: Math.min(...[...document.querySelectorAll('svg.journey-svg text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)),
        })"""
    )
    assert sizes["page"] <= 360, sizes
    assert sizes["drawing"] > sizes["box"], sizes  # wider than the screen: it scrolls, it doesn't shrink away
    assert sizes["text"] >= 9, sizes  # the smallest label (a moment's number) is still legible
    assert chart.get_attribute("tabindex") == "0"  # keyboard users can scroll it too
    expect(page.get_by_role("table", name="Everything you've taken part in")).to_be_visible()
    assert_accessible(page)
    phone.close()

    # No JavaScript at all: the drawing is server-rendered and every form is a plain form.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = plain.new_page()
    page.set_default_timeout(30_000)
    log_in(page, person.email, "/journey/")
    expect(page.locator("svg.journey-svg rect.journey-bar")).to_have_count(3)
    expect(page.locator(".journey-breaks")).to_contain_text("A break from groups: Feb 2021 to Jan 2022")
    page.get_by_label("When it happened").fill("2020-05-10")
    page.get_by_label("What happened").fill("went into hospital")
    page.get_by_role("button", name="Add this moment").click()
    expect(page.locator(".journey-moments")).to_contain_text("10 May 2020 — went into hospital")
    page.get_by_role("button", name="Not for me: Night Owls").click()
    expect(page.get_by_text("Thanks — we won't suggest that again.")).to_be_visible()
    assert SuggestionDismissal.objects.filter(person=person, key=f"from-home:{forum.public_id}").exists()
    page.get_by_label("Where are you at the moment?").select_option("able_to_give")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".journey-status strong")).to_have_text("Able to give support")
    plain.close()
