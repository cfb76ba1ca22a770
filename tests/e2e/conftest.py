"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Never downloads a browser: Chromium must be installed at /usr/bin/chromium (`scripts/ensure-chromium`).
Mark every browser test with `@pytest.mark.e2e` and `@pytest.mark.xdist_group("browser")` (see `BROWSER`)
so that `pytest -n 2 --dist loadgroup` runs them all on one worker, one browser.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
# Chromium reaches the live server over IPv4 loopback; "localhost" may resolve to ::1 first.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The impacts that fail a test. Moderate and minor findings are printed but do not fail.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Apply to every browser test: `pytestmark = BROWSER` or `@pytest.mark.e2e @pytest.mark.xdist_group("browser")`.
BROWSER = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, which makes
    Django refuse database access here ("You cannot call this from an async context"). The test code,
    not an event loop, is what touches the database, so allow it — only while the browser is up, so
    the rest of the suite keeps Django's check.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (run scripts/ensure-chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test, with relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for violation in violations:
        lines.append(f"[{violation.get('impact')}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    others = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    if others:
        print(f"axe (not failing) on {page.url}:\n{format_violations(others)}")
    if blocking:
        raise AssertionError(f"Accessibility violations on {page.url}:\n{format_violations(blocking)}")


@contextmanager
def signed_in(browser: Any, live_server: Any, user: Any) -> Iterator[Any]:
    """A tab in its own browser context, signed in as `user` (the personas' password); closed afterwards."""
    from playwright.sync_api import expect

    from kindred.testing.personas import PASSWORD

    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        tab.goto("/account/login/")
        tab.get_by_label("Email address").fill(user.email)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("main").get_by_role("button", name="Log in").click()
        expect(tab).not_to_have_url("/account/login/")
        yield tab
    finally:
        context.close()
