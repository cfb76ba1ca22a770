"""My journey in a real browser: a person with years of engagements sees the drawing and the table, adds a moment
of their own and says "not for me" to a suggestion. axe-core checks the journey, reflections and status pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from kindred.community.models import Space
from kindred.directory.models import Offer
from kindred.journey.models import Moment, SuggestionDismissal
from kindred.journey.services import engagement_record_span, status_set
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
