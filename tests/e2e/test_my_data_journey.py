"""My data (issue 7 part 6) in a real browser: from account settings, confirm the password, download the file,
then read the same data as a page. axe-core on both pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kindred.accounts import services
from kindred.testing.factories import UserFactory
from kindred.testing.personas import PASSWORD
from tests.e2e.conftest import BROWSER, assert_accessible

pytestmark = BROWSER


def test_download_my_data_and_read_it_as_a_page(page: Any, tmp_path: Path) -> None:
    person = UserFactory(email="river@example.org", display_name="River")
    services.profile_update(actor=person, changes={"experience": "Winter low moods; walking helps."})

    page.goto("/account/login/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))

    page.goto("/account/settings/")
    page.get_by_role("link", name="Get a copy of your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    assert_accessible(page)

    page.get_by_label("Your current password").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data (JSON file)").click()
    download = download_info.value
    assert download.suggested_filename == f"kindred-my-data-{timezone.localdate().isoformat()}.json"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = json.loads(target.read_text())
    assert data["account"]["profile"]["experience"] == "Winter low moods; walking helps."

    # Confirmed a moment ago: the page needs no password now.
    page.goto("/account/settings/my-data/")
    expect(page.get_by_label("Your current password")).to_have_count(0)
    page.get_by_role("button", name="Show it as a page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything Kindred holds about you")
    expect(page.get_by_role("heading", level=2, name="Your account and profile")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Winter low moods; walking helps.")
    expect(page.get_by_role("main")).to_contain_text("subject access request")
    assert_accessible(page)
