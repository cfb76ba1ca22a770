"""Every page and every API operation, enumerated from the URL resolver and the OpenAPI schema, not listed by hand.

- Signed out, a page that isn't public sends the person to sign in (or answers 401/403/404); an API operation
  that needs a person answers 401. Nothing answers 5xx.
- A method a page or an operation doesn't take answers 405.
- A person from another organisation gets 404 for every page and operation that shows an organisation's own
  things: the sweep finds real addresses by trying the scene's identifiers as the organisation's own people.

A new page or operation is swept the day it is added; the public ones are named here, each with its reason.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.exceptions import NoReverseMatch

from kindred.api import api
from kindred.community.models import SpaceVisibility
from kindred.community.tests.core_helpers import make_space, make_thread
from kindred.community.tests.test_rooms_helpers import make_room
from kindred.groups.tests.core_helpers import join, make_group, weekly
from kindred.testing.clients import client_for
from kindred.wellbeing.tests.helpers import befriending_match

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("sweep")]

# Pages anyone may open signed out, and why.
PUBLIC_PAGES = {
    "home": "the front page",
    "terms": "the terms",
    "privacy": "the privacy notice",
    "safety:crisis": "crisis help, one click from every page",
    "accounts:login": "signing in",
    "accounts:signup": "making an account",
    "accounts:password_reset": "asking for a new password",
    "accounts:password_reset_done": "asking for a new password",
    "accounts:password_reset_confirm": "a reset link (checks its token)",
    "accounts:password_reset_complete": "after a reset",
    "accounts:verify_email": "an address-check link (checks its token)",
    "accounts:email_change_confirm": "an address-change link (checks its token)",
    "directory:search": "finding support",
    "directory:offer": "a published listing",
    "directory:resources": "practical help",
    "directory:chooser": "help choosing between forms of support",
    "accounts:goodbye": "the page after an account is deleted",
    "groups:near": "groups meeting this week",
    "groups:detail": "a public group's page",
    "groups:group_calendar": "a public group's calendar",
    "groups:person_calendar": "a person's private feed, by its secret token",
    "groups:newsletter_unsubscribe": "leaving a newsletter by its emailed link",
    "community:spaces": "the public online spaces",
    "community:space": "a public space",
    "community:thread": "a thread in a public space",
    "commons:unsubscribe": "leaving a mailing by its emailed link",
    "organisations:invitation": "an invitation link (checks its token)",
}

# Pages about something an organisation publishes to everyone (a public group, a listing, a scheme open to
# requests), or reached by a secret link: another organisation's people see them as anyone would.
PUBLISHED_PAGES = {
    "groups:join": "joining a public group",
    "groups:rules": "a public group's ground rules",
    "groups:first_chat": "asking a public group's welcome buddy for a chat",
    "groups:meeting": "a public group's meeting",
    "directory:professional_referral": "a professional referring someone to a listing",
    "directory:professional_referral_sent": "after a referral",
    "directory:self_refer": "asking about a listing",
    "onetoone:scheme": "a scheme open to requests",
    "onetoone:request_create": "asking a scheme for support",
    "onetoone:supporter_profile": "offering to support: refused with a reason (403) to people outside the scheme",
}
PUBLISHED_OPERATIONS = {
    "/api/one-to-one/schemes/{public_id}": "a scheme open to requests",
}


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, kind): kind is uuid, slug, int or str


def _kind(converter: object) -> str:
    if isinstance(converter, UUIDConverter):
        return "uuid"
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, SlugConverter):
        return "slug"
    if isinstance(converter, StringConverter):
        return "str"
    return "str"


def _routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin"} or str(entry.pattern).startswith("api/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            outer = tuple((k, _kind(c)) for k, c in getattr(entry.pattern, "converters", {}).items())
            for route in _routes(entry.url_patterns, inner):
                yield Route(route.name, outer + route.params)
        elif entry.name:
            converters = getattr(entry.pattern, "converters", {})
            names = tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}{entry.name}", tuple((n, _kind(converters.get(n))) for n in names))


def page_routes() -> list[Route]:
    return sorted(set(_routes(get_resolver().url_patterns)), key=lambda r: r.name)


DUMMY = {"uuid": str(uuid.UUID(int=1)), "int": "999999", "slug": "no-such-thing", "str": "no-such-thing"}
EXTRAS = ("pdf", "csv", "ics")  # regex groups that take a fixed word


def _url(route: Route, values: dict[str, str] | None = None) -> str | None:
    kwargs = {name: (values or {}).get(name, DUMMY[kind]) for name, kind in route.params}
    for attempt in [kwargs, *({**kwargs, n: e} for n, _ in route.params for e in EXTRAS)]:
        try:
            return reverse(route.name, kwargs=attempt or None)
        except NoReverseMatch:
            continue
    return None


def api_operations() -> list[tuple[str, str, bool]]:
    """(method, path template, whether it needs a person) for every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            out.append((method.upper(), path, bool(operation.get("security"))))
    return sorted(out)


def _fill(path: str, values: dict[str, str] | None = None) -> str:
    out = path
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        name = out[start + 1 : end]
        value = (values or {}).get(name) or (DUMMY["uuid"] if name.endswith("id") else DUMMY["slug"])
        out = out[:start] + value + out[end + 1 :]
    return out


# --- Signed out -----------------------------------------------------------------------------------------------


def test_the_sweep_sees_every_page_and_operation():
    assert len(page_routes()) > 150
    assert len(api_operations()) > 150


def test_signed_out_a_private_page_asks_to_sign_in_and_nothing_breaks(client):
    wrong = []
    for route in page_routes():
        url = _url(route)
        if url is None:
            wrong.append(f"{route.name}: can't build an address")
            continue
        response = client.get(url)
        if response.status_code >= 500:
            wrong.append(f"{route.name} {url}: {response.status_code}")
        elif response.status_code == 200 and route.name not in PUBLIC_PAGES:
            wrong.append(f"{route.name} {url}: 200 to someone signed out")
        elif response.status_code in (301, 302) and route.name not in PUBLIC_PAGES:
            target = response.get("Location", "")
            if "/account/login" not in target and not target.startswith("/account/"):
                wrong.append(f"{route.name} {url}: redirects to {target}, not to sign in")
    assert wrong == [], "\n".join(wrong)


def test_signed_out_every_operation_that_needs_a_person_answers_401(client):
    wrong = []
    for method, path, needs_person in api_operations():
        response = client.generic(method, _fill(path), data=b"{}", content_type="application/json")
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: {response.status_code}")
        elif needs_person and response.status_code != 401:
            wrong.append(f"{method} {path}: {response.status_code}, not 401")
    assert wrong == [], "\n".join(wrong)


# --- Wrong methods --------------------------------------------------------------------------------------------


def test_a_method_no_page_takes_answers_405(personas):
    member = client_for(personas.member)
    wrong = []
    for route in page_routes():
        url = _url(route)
        if url is None:
            continue
        status = member.generic("PATCH", url).status_code
        if status != 405:
            wrong.append(f"{route.name} {url}: PATCH gave {status}")
    assert wrong == [], "\n".join(wrong)


def test_a_method_no_operation_takes_answers_405(personas):
    member = client_for(personas.member)
    by_path: dict[str, set[str]] = {}
    for method, path, _ in api_operations():
        by_path.setdefault(path, set()).add(method)
    wrong = []
    for path, methods in by_path.items():
        missing = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m not in methods]
        for method in missing[:1]:
            status = member.generic(method, _fill(path), data=b"{}", content_type="application/json")
            if status.status_code != 405:
                wrong.append(f"{method} {path}: {status.status_code}, not 405")
    assert wrong == [], "\n".join(wrong)


# --- Another organisation ---------------------------------------------------------------------------------------


def _scene(personas) -> dict[str, list[str]]:
    """Riverside's own things: a group with meetings (its members-only pages), a members-only space with a
    thread, a chat room, and a befriending match. Returns the identifiers the sweep tries, by kind."""
    group = make_group(personas, name="Riverside Tuesday circle")  # public: its own page is for anyone
    join(group, personas.member)
    weekly(group, personas)
    space = make_space(personas, visibility=SpaceVisibility.MEMBERS, name="Riverside members")
    thread = make_thread(space, personas.member)
    room = make_room(personas.organisation, name="Riverside evening")
    match = befriending_match(personas)
    uuids = [
        group.public_id,
        *group.meetings.values_list("public_id", flat=True)[:1],
        thread.public_id,
        space.public_id,
        room.public_id,
        match.public_id,
        match.scheme.public_id,
        personas.member.public_id,
    ]
    return {
        "uuid": [str(u) for u in uuids],
        "slug": [group.slug, space.slug, personas.organisation.slug, room.slug],
    }


def _candidates(params: tuple[tuple[str, str], ...], pool: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    if not params or len(params) > 2:
        return
    choices = [[(name, v) for v in pool.get("uuid" if kind == "uuid" else "slug", [])] for name, kind in params]
    for combo in itertools.product(*choices):
        yield dict(combo)


def test_another_organisation_gets_404_for_an_organisation_s_own_pages(personas):
    pool = _scene(personas)
    insiders = [client_for(p) for p in (personas.member, personas.coordinator)]
    outsider = client_for(personas.outside_coordinator)
    found, wrong = 0, []
    for route in page_routes():
        if route.name in PUBLIC_PAGES or route.name in PUBLISHED_PAGES or not route.params:
            continue
        for values in _candidates(route.params, pool):
            url = _url(route, values)
            if url is None or not any(c.get(url).status_code == 200 for c in insiders):
                continue
            found += 1
            status = outsider.get(url).status_code
            if status != 404:
                wrong.append(f"{route.name} {url}: {status} to another organisation")
    assert found >= 25  # the sweep really reached the organisation's pages
    assert wrong == [], "\n".join(wrong)


def test_another_organisation_gets_404_from_the_api_for_an_organisation_s_own_things(personas):
    pool = _scene(personas)
    insiders = [client_for(p) for p in (personas.member, personas.coordinator)]
    outsider = client_for(personas.outside_coordinator)
    found, wrong = 0, []
    for method, path, needs_person in api_operations():
        if method != "GET" or "{" not in path or not needs_person or path in PUBLISHED_OPERATIONS:
            continue
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        params = tuple((n, "uuid" if n.endswith("id") else "slug") for n in names)
        for values in _candidates(params, pool):
            url = _fill(path, values)
            if not any(c.get(url).status_code == 200 for c in insiders):
                continue
            found += 1
            status = outsider.get(url).status_code
            if status != 404:
                wrong.append(f"GET {path} {url}: {status} to another organisation")
    assert found >= 15
    assert wrong == [], "\n".join(wrong)
