"""Search in people's own words: relevance on real phrases, synonyms, filters, order, pages, hostile input.

Everything goes through the search page (HTTP) and asserts what a person sees. The same tests run on
SQLite (FTS5) and PostgreSQL (tsvector) and expect exactly the same results in the same order.
"""

from __future__ import annotations

import html
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindred.directory import fts
from kindred.directory.models import Offer, OfferStatus
from kindred.directory.search import SearchQuery, search_offers

from .search_data import LEEDS, Directory, build_directory, make_offer

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")
# A Monday morning in January (Europe/London): next Tuesday is sooner than next Sunday.
MONDAY_9AM = datetime(2027, 1, 11, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def directory(db: None) -> Directory:
    return build_directory()


def page_text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def slugs(client: Client, **params: object) -> list[str]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return [r.offer.slug for r in response.context["page"].results]


# --- Relevance on phrases people type --------------------------------------------------------


def test_hearing_voices_group_finds_the_group_not_forums_or_hidden_listings(
    client: Client, directory: Directory
) -> None:
    found = slugs(client, q="hearing voices group")
    assert found[0] == "bolton-hearing-voices"
    assert "voices-online" not in found  # a forum, not a group
    assert "pending-voices-group" not in found  # not checked yet
    assert "lgbtq-peer-support" not in found


def test_voice_hearers_is_the_same_as_hearing_voices(client: Client, directory: Directory) -> None:
    found = slugs(client, q="voice hearers")
    assert set(found) == {"bolton-hearing-voices", "voices-online"}


def test_depression_self_help_evening(client: Client, directory: Directory) -> None:
    found = slugs(client, q="depression self help evening")
    assert found == ["leeds-evening-depression"]  # the morning café and daytime groups are left out


def test_low_mood_finds_depression_and_feeling_low(client: Client, directory: Directory) -> None:
    found = slugs(client, q="low mood")
    assert found[0] == "leeds-evening-depression"
    assert "morning-mood-cafe" in found  # "feeling low"
    assert "mens-walking-group" not in found


def test_someone_to_talk_to_online(client: Client, directory: Directory) -> None:
    found = slugs(client, q="someone to talk to online")
    assert found[0] == "video-befriending"
    assert {"peer-mentoring-after-hospital", "email-pen-friends"} <= set(found)
    assert "befriending-by-phone" not in found  # by phone, not online
    assert "mens-walking-group" not in found
    assert "bolton-hearing-voices" not in found


def test_group_for_black_women(client: Client, directory: Directory) -> None:
    found = slugs(client, q="group for black women")
    assert found == ["sisters-together"]


def test_befriending_ranks_befriending_first_then_buddies(client: Client, directory: Directory) -> None:
    found = slugs(client, q="befriending")
    assert found[:2] == ["befriending-by-phone", "video-befriending"]  # same score: title order breaks the tie
    assert "buddy-scheme" in found  # buddy ≈ befriending
    assert found.index("buddy-scheme") > 1
    assert "sisters-together" not in found


def test_result_cards_say_why_an_offer_matched(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "self help evening"})
    html = page_text(response)
    assert "Leeds Evening Depression Support" in html
    assert "Meets in the evening" in html
    assert "another way of saying “self help”" in html or "“self help” is in" in html or "Mentions “self help”" in html
    assert "We also looked for other words people use" in html


def test_nothing_matches_all_words_relaxes_and_says_so(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "polish carers"})
    found = [r.offer.slug for r in response.context["page"].results]
    assert set(found) == {"polish-group-bradford", "gateshead-carers"}
    assert "Nothing matched all of your words" in page_text(response)


def test_no_results_page_suggests_kinds_the_chooser_and_crisis_help(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "xylophone"})
    html = page_text(response)
    assert response.status_code == 200
    assert "No offers found" in html
    assert f'href="{SEARCH}?kind=group"' in html
    assert reverse("directory:chooser") in html
    assert reverse("safety:crisis") in html


# --- Empty queries browse ---------------------------------------------------------------------


def test_empty_query_lists_every_published_offer(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH)
    page = response.context["page"]
    published = Offer.objects.filter(status=OfferStatus.PUBLISHED).count()
    assert page.total == published == len(directory.offers) - 1
    assert "Pending Hearing Voices Group" not in page_text(response)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_browse_orders_by_next_meeting(client: Client, directory: Directory) -> None:
    found = slugs(client, kind="group")
    # Monday 9am: Monday 1pm, Monday 6pm, Tuesday 7pm, Wednesday 10am …
    assert found[:4] == ["womens-wellbeing-circle", "gateshead-carers", "leeds-evening-depression", "morning-mood-cafe"]


# --- Filters ----------------------------------------------------------------------------------


def test_filter_by_kind(client: Client, directory: Directory) -> None:
    assert set(slugs(client, kind="scheme")) == {
        "befriending-by-phone",
        "email-pen-friends",
        "peer-mentoring-after-hospital",
        "video-befriending",
        "buddy-scheme",
    }
    assert set(slugs(client, kind=["online_space", "psw_service"])) == {
        "voices-online",
        "young-peoples-space",
        "leeds-psw-service",
    }


def test_filter_by_delivery_counts_hybrid_as_in_person_and_video(client: Client, directory: Directory) -> None:
    in_person = slugs(client, delivery="in_person")
    assert "leeds-evening-depression" in in_person  # hybrid
    assert "voices-online" not in in_person
    assert set(slugs(client, delivery="video")) == {
        "peer-mentoring-after-hospital",
        "video-befriending",
        "leeds-evening-depression",
    }
    assert set(slugs(client, delivery="phone")) == {"befriending-by-phone"}


def test_filter_by_day(client: Client, directory: Directory) -> None:
    assert set(slugs(client, day="5")) == {"sisters-together"}
    assert set(slugs(client, day=["0", "6"])) == {"womens-wellbeing-circle", "gateshead-carers", "mens-walking-group"}


def test_filter_by_time_of_day(client: Client, directory: Directory) -> None:
    assert set(slugs(client, time="evening")) == {
        "bolton-hearing-voices",
        "leeds-evening-depression",
        "gateshead-carers",
        "polish-group-bradford",
        "lgbtq-peer-support",
    }
    assert set(slugs(client, time="morning")) == {"morning-mood-cafe", "mens-walking-group", "art-group"}
    assert set(slugs(client, time="afternoon")) == {"sisters-together", "womens-wellbeing-circle", "urdu-womens-group"}
    assert set(slugs(client, time="weekend")) == {"sisters-together", "mens-walking-group"}
    # Both: a weekend morning.
    assert set(slugs(client, time=["weekend", "morning"])) == {"mens-walking-group"}


def test_filter_by_distance_keeps_remote_support_and_sorts_nearest_first(client: Client, directory: Directory) -> None:
    page = client.get(SEARCH, {"place": "Halifax", "radius": "25", "delivery": "in_person"}).context["page"]
    found = [r.offer.slug for r in page.results]
    # Both are in Halifax itself; which of the two is first depends on whose meeting comes sooner from now.
    assert set(found[:2]) == {"mens-walking-group", "womens-wellbeing-circle"}
    assert "bolton-hearing-voices" not in found  # about 40 km away
    assert "gateshead-carers" not in found
    assert {"polish-group-bradford", "leeds-evening-depression"} <= set(found)
    distances = [r.distance_km for r in page.results]
    assert distances == sorted(distances)
    # Without the delivery filter, support you take part in from home stays in the list, after the local ones.
    everything = slugs(client, place="Halifax", radius="10")
    assert "video-befriending" in everything
    assert "leeds-evening-depression" not in everything  # Leeds is more than 10 km from Halifax


def test_distance_defaults_to_25_km_and_the_form_says_so(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "walking", "place": "Halifax"})
    assert '<option value="25" selected>' in response.content.decode()
    assert "mens-walking-group" in [r.offer.slug for r in response.context["page"].results]


def test_distance_from_a_postcode(client: Client, directory: Directory) -> None:
    found = slugs(client, place="BL1 1AA", radius="5", delivery="in_person")
    assert found == ["bolton-hearing-voices"]


def test_unknown_place_is_explained_kindly(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"place": "Atlantis", "q": "befriending"})
    assert response.status_code == 200
    assert "We don't know where “Atlantis” is yet" in page_text(response)
    assert response.context["page"].results  # the search still works


def test_filter_by_who_it_is_for(client: Client, directory: Directory) -> None:
    assert set(slugs(client, for_whom="women")) == {"sisters-together", "womens-wellbeing-circle", "urdu-womens-group"}
    assert set(slugs(client, for_whom="men")) == {"mens-walking-group"}
    assert set(slugs(client, for_whom="lgbtq")) == {"lgbtq-peer-support"}
    assert set(slugs(client, for_whom="global_majority")) == {"sisters-together", "urdu-womens-group"}
    assert set(slugs(client, for_whom="young")) == {"young-peoples-space"}
    assert set(slugs(client, for_whom="carers")) == {"gateshead-carers"}
    assert "young-peoples-space" not in slugs(client, age="40")
    assert "young-peoples-space" in slugs(client, age="19")


def test_filter_by_access_free_and_language(client: Client, directory: Directory) -> None:
    assert set(slugs(client, access="bsl")) == {"lgbtq-peer-support"}
    assert set(slugs(client, access=["step_free", "quiet_room"])) == {"urdu-womens-group"}
    assert "art-group" not in slugs(client, free="on")
    assert "art-group" in slugs(client)
    assert set(slugs(client, language="polish")) == {"polish-group-bradford"}
    assert set(slugs(client, language="Urdu")) == {"urdu-womens-group"}


def test_filters_combine_with_words(client: Client, directory: Directory) -> None:
    assert slugs(client, q="women", time="afternoon", language="urdu") == ["urdu-womens-group"]


def test_nonsense_filter_values_are_ignored_with_a_note(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"kind": "spaceship", "day": "9", "age": "-4", "radius": "lots", "q": "befriending"})
    assert response.status_code == 200
    html = page_text(response)
    assert "We left out a kind of support we couldn" in html
    assert response.context["page"].results[0].offer.slug == "befriending-by-phone"


# --- Order, pages and cost --------------------------------------------------------------------


def test_pagination(client: Client, directory: Directory) -> None:
    for n in range(45):
        make_offer(directory.organisation, f"walk-{n:02d}", title=f"Walk and talk {n:02d}", summary="A walking group.")
    first = client.get(SEARCH, {"q": "walking"}).context["page"]
    assert first.total == 46  # and the men's walking group
    assert len(first.results) == 20 and first.num_pages == 3
    third = client.get(SEARCH, {"q": "walking", "page": "3"}).context["page"]
    assert len(third.results) == 6
    seen = [
        r.offer.slug for p in (1, 2, 3) for r in client.get(SEARCH, {"q": "walking", "page": p}).context["page"].results
    ]
    assert len(set(seen)) == 46  # no offer twice, none missed
    assert client.get(SEARCH, {"q": "walking", "page": "999"}).context["page"].page == 3
    assert client.get(SEARCH, {"q": "walking", "page": "banana"}).context["page"].page == 1
    html = page_text(client.get(SEARCH, {"q": "walking", "page": "2"}))
    assert "page=3" in html and "page=1" in html and "q=walking" in html


def _page_queries(client: Client, params: dict[str, str]) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["page"]


def test_search_page_query_count_is_constant(client: Client, directory: Directory) -> None:
    # Synonyms; the page's ids, scores and total (COUNT(*) OVER ()); those offers with their organisation;
    # and their regular times. The same four for one result as for a full page: nothing per result.
    one, page = _page_queries(client, {"q": "evening group", "place": "Leeds", "free": "on"})
    assert 1 <= page.total < 5  # type: ignore[attr-defined]
    for n in range(30):
        make_offer(
            directory.organisation,
            f"more-{n}",
            title=f"Evening group {n}",
            times=((1, time(19)), (3, time(19))),
            where=LEEDS,
        )
    full, page = _page_queries(client, {"q": "evening group", "place": "Leeds", "free": "on"})
    assert len(page.results) == 20 and page.total > 30  # type: ignore[attr-defined]
    assert all(len(r.times) == 2 for r in page.results if r.offer.slug.startswith("more-"))  # type: ignore[attr-defined]
    second, page = _page_queries(client, {"q": "evening group", "place": "Leeds", "free": "on", "page": "2"})
    assert len(page.results) > 10  # type: ignore[attr-defined]
    assert one == full == second == 4
    browse, page = _page_queries(client, {"day": "1", "time": "evening"})  # no words: no synonyms query
    assert len(page.results) == 20 and browse == 3  # type: ignore[attr-defined]


def test_selector_is_usable_without_a_request(directory: Directory) -> None:
    page = search_offers(SearchQuery(text="hearing voices", place="Bolton", radius_km=10))
    assert page.results[0].offer.slug == "bolton-hearing-voices"
    assert page.results[0].distance_km == pytest.approx(0.0, abs=0.01)
    assert page.place is not None and page.place.name == "Bolton"
    near_leeds = search_offers(SearchQuery(place="Leeds", radius_km=5, sort="nearest", deliveries=("in_person",)))
    assert {r.offer.slug for r in near_leeds.results} >= {"leeds-psw-service", "art-group", "morning-mood-cafe"}
    assert near_leeds.results[-1].distance_km >= near_leeds.results[0].distance_km


# --- Hostile and odd input --------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    '"',
    "'",
    '"hearing voices',
    "*",
    "**** OR ****",
    "NEAR(",
    "NEAR(hearing voices, 2)",
    "hearing OR voices",
    "AND OR NOT",
    "voices:*",
    "'; DROP TABLE directory_offer; --",
    "1' OR '1'='1",
    "\\x00",
    "group\x00",
    "!@#$%^&*()_+{}|:<>?",
    "(((((",
    "{search_title} : voices",
    "title:voices",
    "🙂🙂🙂",
    "💔 hearing voices 🌧️",
    "ḧëärïñg vöïçës",
    "слышу голоса",
    "سماع الأصوات",
    "a" * 500,
    "hearing " * 100,
    "x" * 5000,
    "<script>alert(1)</script>",
    "%00%27%22",
    "-voices",
    "^voices",
    "voices & | ! <-> :*",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_or_odd_queries_get_a_friendly_page(client: Client, directory: Directory, query: str) -> None:
    response = client.get(SEARCH, {"q": query, "place": query[:60]})
    assert response.status_code == 200
    html = page_text(response)
    assert "<h1>Find support</h1>" in html
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "Pending Hearing Voices Group" not in html


def test_over_long_query_is_trimmed_and_explained(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "befriending " + "really " * 60})
    assert response.status_code == 200
    assert "we used the first 200 characters" in page_text(response)
    assert response.context["page"].results[0].offer.slug == "befriending-by-phone"


def test_symbols_only_query_browses_with_a_note(client: Client, directory: Directory) -> None:
    response = client.get(SEARCH, {"q": "*** 🙂 ((("})
    assert "We couldn't find words to search for" in page_text(response)
    assert response.context["page"].total == len(directory.offers) - 1


# --- Keeping the index in step ------------------------------------------------------------------


def test_edits_deletes_and_unpublishing_reach_the_index(client: Client, directory: Directory) -> None:
    offer = directory["art-group"]
    assert slugs(client, q="pottery") == []
    offer.description = "Pottery and painting."
    offer.save()
    assert slugs(client, q="pottery") == ["art-group"]
    offer.status = OfferStatus.ARCHIVED
    offer.save(update_fields=["status"])
    assert slugs(client, q="pottery") == []
    offer.delete()
    assert slugs(client, q="painting") == []


def test_search_index_is_rebuilt_after_migrate_if_a_table_rebuild_lost_it(client: Client, directory: Directory) -> None:
    # On SQLite, Django alters a table by rebuilding it, which drops its triggers; post_migrate puts them back.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are deferred
    fts.uninstall(connection)
    call_command("migrate", verbosity=0)
    assert slugs(client, q="hearing voices group")[0] == "bolton-hearing-voices"  # existing offers re-indexed
    make_offer(directory.organisation, "pottery", title="Pottery Group", summary="Clay and a chat.")
    assert slugs(client, q="pottery") == ["pottery"]  # and new ones indexed again
