"""The directory over the JSON API: the same access rules as the pages.

Public reads need no account; writes and a person's own requests do. Outsiders get 404 (never "it exists"),
the wrong role gets 403, bad input a kind 4xx with nothing stored.
"""

from __future__ import annotations

import pytest

from kindred.commons.models import Engagement
from kindred.core.models import AuditEvent
from kindred.directory.models import Referral, ReferralKind, ReferralNote, ReferralStatus
from kindred.directory.tests.chooser_helpers import bearer, make_directory, make_resource

pytestmark = pytest.mark.django_db

API = "/api/directory"
NOT_FOUND = "We couldn't find that. It may not exist, or it may not be shared with you."


@pytest.fixture
def directory(personas):
    return make_directory(personas.organisation, personas.other_organisation)


def post(client, url, body, **headers):
    return client.post(url, data=body, content_type="application/json", headers=headers)


def ask_to_join(client, user, slug="leeds-hearing-voices-evening", **body):
    return post(client, f"{API}/offers/{slug}/requests", {"kind": "join", **body}, **bearer(user))


# --- Searching -----------------------------------------------------------------------------------------------------


def test_anyone_can_search_in_their_own_words(client, directory):
    response = client.get(f"{API}/offers", {"q": "hearing voices"})
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["slug"] == "leeds-hearing-voices-evening"
    assert body["results"][0]["reasons"]
    assert "leeds-unchecked-group" not in [r["slug"] for r in body["results"]]  # not published


def test_search_filters_are_the_pages_filters(client, directory):
    def slugs(**params):
        response = client.get(f"{API}/offers", params)
        assert response.status_code == 200, response.json()
        return {r["slug"] for r in response.json()["results"]}

    assert slugs(kind="online_space") == {"night-owls-online", "young-adults-peer-chat"}
    assert slugs(kind=["scheme", "online_space"], delivery="phone") == {"calder-phone-befriending"}
    assert slugs(day=1, kind="group") == {"leeds-hearing-voices-evening", "newcastle-evening-peer-group"}
    assert slugs(time="weekend") == {"bradford-walk-and-talk"}
    assert slugs(for_whom="global_majority") == {"sisters-of-colour-video-circle"}
    assert slugs(language="urdu") == {"calder-phone-befriending"}
    assert "leeds-hearing-voices-evening" in slugs(access="step_free")
    assert "newcastle-evening-peer-group" not in slugs(place="Leeds", radius_km=25, kind="group")


def test_search_results_are_paginated(client, directory):
    first = client.get(f"{API}/offers", {"per_page": 4}).json()
    second = client.get(f"{API}/offers", {"per_page": 4, "page": 2}).json()
    assert (first["count"], first["pages"], first["page"], len(first["results"])) == (10, 3, 1, 4)
    assert not {r["slug"] for r in first["results"]} & {r["slug"] for r in second["results"]}


def test_search_is_the_same_with_a_token(client, personas, directory):
    anonymous = client.get(f"{API}/offers", {"q": "group"}).json()
    assert client.get(f"{API}/offers", {"q": "group"}, headers=bearer(personas.member)).json() == anonymous


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "cult"}, "kind"),
        ({"day": 9}, "day"),
        ({"time": "midnight"}, "time"),
        ({"per_page": 500}, "per_page"),
        ({"page": 0}, "page"),
        ({"q": "x" * 501}, "q"),
        ({"age": "old"}, "age"),
    ],
)
def test_odd_search_parameters_get_a_kind_422(client, directory, params, field):
    response = client.get(f"{API}/offers", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"Please check {field}")


@pytest.mark.parametrize("q", ["", "     ", "'; DROP TABLE directory_offer; --", '"unbalanced AND (', "*" * 300])
def test_hostile_or_empty_searches_are_answered_not_errors(client, directory, q):
    response = client.get(f"{API}/offers", {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


# --- One offer ---------------------------------------------------------------------------------------------------


def test_anyone_can_read_a_published_offer_with_what_to_expect_and_practical_help(client, personas, directory):
    make_resource(personas.organisation, "Yorkshire Debt Advice", region="Yorkshire")
    make_resource(personas.organisation, "Leeds Crisis Cafe", region="Yorkshire", category="crisis")
    make_resource(personas.organisation, "North West Housing", region="North West", category="housing")
    response = client.get(f"{API}/offers/leeds-hearing-voices-evening")
    assert response.status_code == 200
    offer = response.json()
    assert offer["title"] == "Leeds Hearing Voices Group"
    assert offer["form"] == "group"
    assert offer["what_to_expect"]["can_just_listen"] is True
    assert offer["times"] == [
        {"weekday": 1, "weekday_name": "Tuesday", "starts_at": "18:30:00", "ends_at": None, "note": ""}
    ]
    assert offer["url"] == "/find/offers/leeds-hearing-voices-evening/"
    assert [r["name"] for r in offer["practical_resources"]] == ["Leeds Crisis Cafe", "Yorkshire Debt Advice"]


def test_an_unpublished_offer_is_not_found_unless_you_manage_it(client, personas, directory):
    url = f"{API}/offers/{directory.pending.slug}"
    response = client.get(url)
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND, "code": "not_found"}
    assert client.get(url, headers=bearer(personas.member)).status_code == 404
    assert client.get(url, headers=bearer(personas.outside_coordinator)).status_code == 404
    response = client.get(url, headers=bearer(personas.coordinator))
    assert response.status_code == 200 and response.json()["status"] == "pending_review"
    client.force_login(personas.coordinator)  # the browser session counts too
    assert client.get(url).status_code == 200


def test_a_token_that_does_not_work_is_refused_even_on_a_public_read(client, directory):
    response = client.get(f"{API}/offers/leeds-hearing-voices-evening", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_an_unknown_or_odd_slug_is_simply_not_found(client, directory):
    for slug in ("no-such-offer", "x" * 500, "%3Cscript%3E"):
        response = client.get(f"{API}/offers/{slug}")
        assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND, "code": "not_found"}


# --- Asking to join (self-referral) ------------------------------------------------------------------------------


def test_a_person_asks_to_join_with_a_token(client, personas, directory):
    response = ask_to_join(client, personas.member, message="I'm nervous but I'd like to come.")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new" and body["kind"] == "join"
    assert body["offer"] == {"slug": "leeds-hearing-voices-evening", "title": "Leeds Hearing Voices Group"}
    referral = Referral.objects.get()
    assert str(referral.public_id) == body["public_id"]
    assert (referral.person, referral.organisation) == (personas.member, personas.organisation)
    assert referral.message == "I'm nervous but I'd like to come."
    assert AuditEvent.objects.filter(action="referral.created", actor=personas.member).exists()


def test_asking_needs_someone_signed_in(client, directory):
    response = post(client, f"{API}/offers/leeds-hearing-voices-evening/requests", {"kind": "join"})
    assert response.status_code == 401
    assert not Referral.objects.exists()


def test_asking_twice_is_refused_kindly(client, personas, directory):
    assert ask_to_join(client, personas.member).status_code == 201
    response = ask_to_join(client, personas.member, kind="talk_first")
    assert response.status_code == 409
    assert "already asked about Leeds Hearing Voices Group" in response.json()["detail"]
    assert Referral.objects.count() == 1


def test_you_cannot_ask_to_join_something_not_published(client, personas, directory):
    response = ask_to_join(client, personas.member, slug=directory.pending.slug)
    assert response.status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "professional"}, "kind"),
        ({"kind": "join", "message": "x" * 3001}, "message"),
        ({"kind": "join", "person_agreed": True}, "person_agreed"),
        ({"message": "no kind"}, "kind"),
    ],
)
def test_bad_requests_are_explained_and_nothing_is_stored(client, personas, directory, body, field):
    url = f"{API}/offers/leeds-hearing-voices-evening/requests"
    response = post(client, url, body, **bearer(personas.member))
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"Please check {field}")
    assert response.json()["detail"].endswith("Nothing has been changed.")
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_is_a_kind_400(client, personas, directory):
    url = f"{API}/offers/leeds-hearing-voices-evening/requests"
    response = client.post(url, data="kind=join", content_type="application/json", headers=bearer(personas.member))
    assert response.status_code == 400
    assert "Please send JSON" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_asking_is_rate_limited(client, personas, directory, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "referral": (2, 3600)}
    headers = bearer(personas.member)
    slugs = ["leeds-hearing-voices-evening", "leeds-womens-circle", "bradford-walk-and-talk"]
    codes = [post(client, f"{API}/offers/{s}/requests", {"kind": "join"}, **headers).status_code for s in slugs]
    assert codes == [201, 201, 429]
    assert Referral.objects.count() == 2


def test_a_browser_session_without_its_csrf_token_cannot_ask(personas, directory):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.member)
    response = post(browser, f"{API}/offers/leeds-hearing-voices-evening/requests", {"kind": "join"})
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- My requests, the inbox, and moving a request on ---------------------------------------------------------------


@pytest.fixture
def requests_made(client, personas, directory):
    mine = Referral.objects.create(
        offer=directory.voices, organisation=personas.organisation, kind=ReferralKind.JOIN, person=personas.member
    )
    theirs = Referral.objects.create(
        offer=directory.sisters,
        organisation=personas.other_organisation,
        kind=ReferralKind.JOIN,
        person=personas.outsider,
    )
    professional = Referral.objects.create(
        offer=directory.walk,
        organisation=personas.organisation,
        kind=ReferralKind.PROFESSIONAL,
        person_agreed=True,
        person_name="Sam Example",
        person_email="sam@example.org",
        referrer_name="Dr Rivers",
        referrer_role="GP",
    )
    return mine, theirs, professional


def test_people_see_only_their_own_requests(client, personas, requests_made):
    mine, _theirs, _professional = requests_made
    assert client.get(f"{API}/requests").status_code == 401
    response = client.get(f"{API}/requests", headers=bearer(personas.member))
    assert [r["public_id"] for r in response.json()] == [str(mine.public_id)]
    assert client.get(f"{API}/requests", headers=bearer(personas.peer)).json() == []


def test_one_request_is_visible_to_its_person_and_the_organisations_coordinators_only(client, personas, requests_made):
    mine, _theirs, _professional = requests_made
    url = f"{API}/requests/{mine.public_id}"
    assert client.get(url, headers=bearer(personas.member)).json()["status"] == "new"
    coordinator_view = client.get(url, headers=bearer(personas.coordinator)).json()
    assert coordinator_view["person"]["display_name"] == "Member"
    for who in (personas.peer, personas.outsider, personas.outside_coordinator):
        response = client.get(url, headers=bearer(who))
        assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND, "code": "not_found"}
    assert client.get(f"{API}/requests/not-a-uuid", headers=bearer(personas.member)).status_code == 422


def test_the_inbox_is_for_coordinators_and_shows_only_their_organisations(client, personas, requests_made):
    mine, theirs, professional = requests_made
    assert client.get(f"{API}/inbox").status_code == 401
    response = client.get(f"{API}/inbox", headers=bearer(personas.member))
    assert response.status_code == 403 and response.json()["detail"] == "The requests inbox is for coordinators."

    inbox = client.get(f"{API}/inbox", headers=bearer(personas.coordinator)).json()
    assert inbox["count"] == 2
    assert {r["public_id"] for r in inbox["results"]} == {str(mine.public_id), str(professional.public_id)}
    referred = next(r for r in inbox["results"] if r["kind"] == "professional")
    assert referred["referred_person"]["name"] == "Sam Example" and referred["referrer"]["role"] == "GP"

    outside = client.get(f"{API}/inbox", headers=bearer(personas.outside_coordinator)).json()
    assert [r["public_id"] for r in outside["results"]] == [str(theirs.public_id)]


def test_the_inbox_filters_and_pages(client, personas, requests_made):
    headers = bearer(personas.coordinator)
    assert client.get(f"{API}/inbox", {"status": "contacted"}, headers=headers).json()["count"] == 0
    page = client.get(f"{API}/inbox", {"page_size": 1, "page": 2}, headers=headers).json()
    assert (page["count"], page["pages"], page["page"], len(page["results"])) == (2, 2, 2, 1)
    response = client.get(f"{API}/inbox", {"status": "lost"}, headers=headers)
    assert response.status_code == 422 and response.json()["detail"].startswith("Please check status")
    assert client.get(f"{API}/inbox", {"page_size": 500}, headers=headers).status_code == 422


def test_a_coordinator_marks_a_request_contacted_and_the_person_sees_it(client, personas, requests_made):
    mine, _theirs, _professional = requests_made
    url = f"{API}/requests/{mine.public_id}/status"
    response = post(client, url, {"status": "contacted", "note": "Rang on Tuesday."}, **bearer(personas.coordinator))
    assert response.status_code == 200 and response.json()["status"] == "contacted"
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.CONTACTED
    assert ReferralNote.objects.get(referral=mine).text == "Rang on Tuesday."
    assert client.get(f"{API}/requests", headers=bearer(personas.member)).json()[0]["status"] == "contacted"

    response = post(client, url, {"status": "joined"}, **bearer(personas.coordinator))
    assert response.json()["status"] == "joined"
    assert Engagement.objects.filter(person=personas.member, form="group").exists()


def test_only_the_organisations_coordinators_can_move_a_request_on(client, personas, requests_made):
    mine, _theirs, _professional = requests_made
    url = f"{API}/requests/{mine.public_id}/status"
    assert post(client, url, {"status": "contacted"}).status_code == 401
    response = post(client, url, {"status": "contacted"}, **bearer(personas.member))  # their own: may see, not act
    assert response.status_code == 403
    assert "coordinators" in response.json()["detail"]
    for outsider in (personas.outside_coordinator, personas.peer):
        response = post(client, url, {"status": "contacted"}, **bearer(outsider))
        assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND, "code": "not_found"}
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.NEW
    assert not ReferralNote.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "detail"),
    [
        ({"status": "closed"}, 400, "Please say why this request is being closed"),
        ({"status": "new"}, 422, "Please check status"),
        ({"status": "contacted", "reason": "x" * 301}, 422, "Please check reason"),
        ({"status": "contacted", "colour": "red"}, 422, "Please check colour"),
    ],
)
def test_bad_status_changes_are_explained_and_change_nothing(client, personas, requests_made, body, code, detail):
    mine, _theirs, _professional = requests_made
    response = post(client, f"{API}/requests/{mine.public_id}/status", body, **bearer(personas.coordinator))
    assert response.status_code == code
    assert response.json()["detail"].startswith(detail)
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.NEW
    assert not ReferralNote.objects.exists()


def test_a_closed_request_cannot_be_reopened(client, personas, requests_made):
    mine, _theirs, _professional = requests_made
    url = f"{API}/requests/{mine.public_id}/status"
    headers = bearer(personas.coordinator)
    assert post(client, url, {"status": "closed", "reason": "Moved away."}, **headers).status_code == 200
    response = post(client, url, {"status": "contacted"}, **headers)
    assert response.status_code == 409
    assert "already closed" in response.json()["detail"]


# --- The chooser and practical resources ------------------------------------------------------------------------


def test_the_chooser_answers_with_ranked_reasons_and_other_forms_without_an_account(client, directory):
    answers = {"connect": "group", "where": "in_person", "when": ["evenings"], "region": "Yorkshire"}
    answers["who"] = ["just_listen"]
    response = post(client, f"{API}/chooser", answers)
    assert response.status_code == 200
    body = response.json()
    first = body["suggestions"][0]
    assert first["offer"]["slug"] == "leeds-hearing-voices-evening"
    assert "it meets on Tuesday evenings" in first["reasons"]
    assert "you said you'd like to just listen — you can" in first["reasons"]
    assert all(s["offer"]["form"] == "group" for s in body["suggestions"])
    assert {a["form"] for a in body["also_try"]} == {"online", "one_to_one"}
    assert body["place"] == {"name": "Yorkshire", "region": "Yorkshire"}
    assert not Referral.objects.exists()


def test_the_chooser_with_no_answers_still_suggests_something(client, directory):
    body = post(client, f"{API}/chooser", {}).json()
    assert len(body["suggestions"]) == 10
    assert {s["offer"]["form"] for s in body["suggestions"]} == {"group", "one_to_one", "online"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"connect": "telepathy"}, "connect"),
        ({"when": ["midnight"]}, "when.0"),
        ({"who": "women"}, "who"),
        ({"language": "x" * 41}, "language"),
        ({"limit": 0}, "limit"),
        ({"mood": "low"}, "mood"),
    ],
)
def test_odd_chooser_answers_get_a_kind_422(client, directory, body, field):
    response = post(client, f"{API}/chooser", body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"Please check {field}")


def test_practical_resources_for_a_region_crisis_lines_first(client, personas):
    make_resource(personas.organisation, "Yorkshire Debt Advice", region="Yorkshire")
    make_resource(personas.organisation, "Samaritans Leeds", region="yorkshire", category="crisis")
    make_resource(personas.organisation, "National Housing Line", region="UK", category="housing")
    make_resource(personas.organisation, "Cumbria Advice", region="Cumbria")
    response = client.get(f"{API}/resources", {"region": "Yorkshire"})
    assert response.status_code == 200
    names = [r["name"] for r in response.json()]
    assert names == ["Samaritans Leeds", "Yorkshire Debt Advice", "National Housing Line"]
    assert response.json()[0]["category_label"] == "Crisis lines"


@pytest.mark.parametrize("params", [{}, {"region": ""}, {"region": "x" * 81}])
def test_practical_resources_need_a_sensible_region(client, params):
    response = client.get(f"{API}/resources", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Please check region")


def test_the_directory_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/directory/offers",
        "/api/directory/offers/{slug}",
        "/api/directory/offers/{slug}/requests",
        "/api/directory/requests",
        "/api/directory/inbox",
        "/api/directory/requests/{public_id}/status",
        "/api/directory/chooser",
        "/api/directory/resources",
    ):
        assert path in schema["paths"], path
    assert "security" not in schema["paths"]["/api/directory/chooser"]["post"]
    assert schema["paths"]["/api/directory/inbox"]["get"]["security"]
