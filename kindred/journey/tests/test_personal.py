"""Moments, status and reflections through the pages: add, change, remove; bad input is refused kindly."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection

from kindred.journey.models import Moment, Reflection, StatusChange
from kindred.journey.selectors import current_status, status_history_of
from kindred.journey.services import moment_create, reflection_create, status_set

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-06-01 12:00Z", tick=False)
def test_add_change_and_remove_a_moment(client, personas):
    client.force_login(personas.member)
    response = client.post("/journey/moments/new/", {"happened_on": "2024-03-01", "text": "  started   volunteering "})
    assert response.status_code == 302 and response["Location"] == "/journey/"
    moment = Moment.objects.get(person=personas.member)
    assert (moment.happened_on, moment.text) == (date(2024, 3, 1), "started volunteering")
    assert "started volunteering" in client.get("/journey/").content.decode()

    edit = client.post(f"/journey/moments/{moment.public_id}/", {"happened_on": "2024-04-02", "text": "moved house"})
    assert edit.status_code == 302
    moment.refresh_from_db()
    assert (moment.happened_on, moment.text) == (date(2024, 4, 2), "moved house")

    confirm = client.get(f"/journey/moments/{moment.public_id}/delete/")
    assert confirm.status_code == 200 and "moved house" in confirm.content.decode()
    assert client.post(f"/journey/moments/{moment.public_id}/delete/").status_code == 302
    assert not Moment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"happened_on": "", "text": "moved house"}, "Please give the date it happened"),
        ({"happened_on": "not a date", "text": "moved house"}, "Please enter a real date"),
        ({"happened_on": "2030-01-01", "text": "moved house"}, "That date is in the future"),
        ({"happened_on": "1850-01-01", "text": "moved house"}, "a very long time ago"),
        ({"happened_on": "2024-01-01", "text": "   "}, "Please write a few words"),
        ({"happened_on": "2024-01-01", "text": "x" * 141}, "140 characters or fewer"),
    ],
)
@time_machine.travel("2026-06-01 12:00Z", tick=False)
def test_bad_moments_are_refused_kindly_and_nothing_changes(client, personas, data, message):
    client.force_login(personas.member)
    response = client.post("/journey/moments/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There&#x27;s a problem" in response.content.decode() or "There's a problem" in response.content.decode()
    assert not Moment.objects.exists()


@time_machine.travel("2026-06-01 12:00Z", tick=False)
def test_a_bad_edit_leaves_the_moment_as_it_was(client, personas):
    moment = moment_create(actor=personas.member, happened_on=date(2024, 1, 1), text="moved house")
    client.force_login(personas.member)
    response = client.post(f"/journey/moments/{moment.public_id}/", {"happened_on": "2031-01-01", "text": "x"})
    assert response.status_code == 400 and "That date is in the future" in response.content.decode()
    moment.refresh_from_db()
    assert (moment.happened_on, moment.text) == (date(2024, 1, 1), "moved house")


def test_status_has_one_current_value_with_history(client, personas):
    client.force_login(personas.member)
    with time_machine.travel("2026-01-10 12:00Z", tick=False):
        assert client.post("/journey/status/", {"status": "needing_support"}).status_code == 302
    with time_machine.travel("2026-03-05 12:00Z", tick=False):
        client.post("/journey/status/", {"status": "able_to_give"})
    with time_machine.travel("2026-04-01 12:00Z", tick=False):
        client.post("/journey/status/", {"status": "able_to_give", "housebound": "on"})
        client.post("/journey/status/", {"status": "able_to_give", "housebound": "on"})  # no change, no new row
    assert StatusChange.objects.filter(person=personas.member).count() == 3
    current = current_status(list(status_history_of(personas.member)))
    assert current.status == "able_to_give" and current.housebound
    assert current.since.date() == date(2026, 3, 5)  # the housebound change didn't reset "since when"
    assert current.housebound_since.date() == date(2026, 4, 1)

    with time_machine.travel("2026-04-02 12:00Z", tick=False):
        html = client.get("/journey/").content.decode()
        assert "Able to give support</strong>, since 5 March 2026" in html
        assert "You said you're mostly at home at the moment" in html
        history = client.get("/journey/status/").content.decode()
        assert history.count("<tr><td>") == 3


def test_a_bad_status_is_refused_kindly(client, personas):
    status_set(actor=personas.member, status="just_reading")
    client.force_login(personas.member)
    response = client.post("/journey/status/", {"status": "superhero"})
    assert response.status_code == 400 and "Please choose one of the options" in response.content.decode()
    assert current_status(list(status_history_of(personas.member))).status == "just_reading"


def test_reflections_are_private_encrypted_and_editable(client, personas):
    client.force_login(personas.member)
    assert client.post("/journey/reflections/", {"text": "Talking to Sam after the group helped."}).status_code == 302
    reflection = Reflection.objects.get(person=personas.member)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journey_reflection WHERE id = %s", [reflection.pk])
        stored = cursor.fetchone()[0]
    assert "Sam" not in stored and stored.startswith("gAAAAA")
    assert "Talking to Sam after the group helped." in client.get("/journey/reflections/").content.decode()

    assert client.post(f"/journey/reflections/{reflection.public_id}/", {"text": "Walking helped."}).status_code == 302
    reflection.refresh_from_db()
    assert reflection.text == "Walking helped."

    bad = client.post(f"/journey/reflections/{reflection.public_id}/", {"text": "  "})
    assert bad.status_code == 400 and "Please write something first" in bad.content.decode()
    too_long = client.post("/journey/reflections/", {"text": "x" * 3001})
    assert too_long.status_code == 400 and "3000 characters or fewer" in too_long.content.decode()
    reflection.refresh_from_db()
    assert reflection.text == "Walking helped." and Reflection.objects.count() == 1

    assert client.post(f"/journey/reflections/{reflection.public_id}/delete/").status_code == 302
    assert not Reflection.objects.exists()


def test_reflections_of_others_are_404_even_to_staff(client, personas):
    reflection = reflection_create(actor=personas.member, text="Private words")
    personas.coordinator.is_staff = personas.coordinator.is_superuser = True
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    assert client.get(f"/journey/reflections/{reflection.public_id}/").status_code == 404
    assert client.post(f"/journey/reflections/{reflection.public_id}/", {"text": "mine now"}).status_code == 404
    assert "Private words" not in client.get("/journey/reflections/").content.decode()
    reflection.refresh_from_db()
    assert reflection.text == "Private words"


def test_pages_need_sign_in_and_refuse_wrong_methods(client, personas):
    for path in ("/journey/moments/new/", "/journey/status/", "/journey/reflections/", "/journey/suggestions/"):
        assert client.get(path).status_code == 302
    client.force_login(personas.member)
    assert client.get("/journey/suggestions/dismiss/").status_code == 405
    assert client.put("/journey/status/").status_code == 405


def test_an_over_long_reflection_or_moment_is_shown_again_in_full_so_nothing_is_lost(client, personas):
    client.force_login(personas.member)
    words = "What helped was the walk. " * 116  # 3016 characters: just over the limit
    response = client.post("/journey/reflections/", {"text": words})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please keep a reflection to 3000 characters or fewer. This one has 3015" in html
    assert f">\n{words}</textarea>" in html  # every word, back in the box to shorten
    assert "maxlength" not in html  # the browser never cuts a long paste short
    assert not Reflection.objects.exists()

    reflection = reflection_create(actor=personas.member, text="Short.")
    edit = client.post(f"/journey/reflections/{reflection.public_id}/", {"text": words})
    assert edit.status_code == 400 and f">\n{words}</textarea>" in edit.content.decode()
    reflection.refresh_from_db()
    assert reflection.text == "Short."

    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        long_moment = "moved house " * 13  # 156 characters
        moment = client.post("/journey/moments/new/", {"happened_on": "2024-01-01", "text": long_moment})
    page = moment.content.decode()
    assert moment.status_code == 400 and "140 characters or fewer" in page and "This has 155" in page
    assert f'value="{long_moment}"' in page and "maxlength" not in page
    assert not Moment.objects.exists()
