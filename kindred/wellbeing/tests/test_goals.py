"""Goals: the person's own, with progress notes; achieved or let go; private."""

from __future__ import annotations

import pytest

from kindred.testing.clients import client_for
from kindred.wellbeing.models import Goal, GoalNote, GoalStatus

pytestmark = pytest.mark.django_db


def test_goal_with_progress_notes_then_achieved(personas):
    client = client_for(personas.member)
    response = client.post(
        "/well-being/goals/",
        {"title": "Go to the Tuesday group", "why": "People there get it", "target_date": "2027-01-31"},
    )
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/well-being/goals/{goal.public_id}/"
    assert goal.why == "People there get it" and str(goal.target_date) == "2027-01-31"
    url = f"/well-being/goals/{goal.public_id}/"
    assert client.post(url, {"action": "note", "body": "Went once", "progress": "3"}).status_code == 302
    assert client.post(url, {"action": "note", "body": "", "progress": "6"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Went once" in page and "6 out of 10" in page
    assert client.post(url, {"action": "status", "status": "achieved"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED and goal.closed_at is not None
    assert client.post(url, {"action": "status", "status": "let_go"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.LET_GO


def test_bad_goal_input_changes_nothing(personas):
    client = client_for(personas.member)
    empty = client.post("/well-being/goals/", {"title": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    bad_date = client.post("/well-being/goals/", {"title": "Walk", "target_date": "next tuesday"})
    assert "Please enter a date" in bad_date.content.decode()
    assert not Goal.objects.exists()
    goal = Goal.objects.create(person=personas.member, title="Walk")
    url = f"/well-being/goals/{goal.public_id}/"
    blank = client.post(url, {"action": "note", "body": "", "progress": ""})
    assert (
        blank.status_code == 400 and "Please write a note or choose how far along it feels." in blank.content.decode()
    )
    over = client.post(url, {"action": "note", "body": "", "progress": "11"})
    assert over.status_code == 400
    assert client.post(url, {"action": "status", "status": "finished"}).status_code == 400
    assert not GoalNote.objects.exists()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_goals_are_private(personas):
    goal = Goal.objects.create(person=personas.member, title="Private goal")
    for other in (personas.coordinator, personas.peer, personas.outsider):
        client = client_for(other)
        assert client.get(f"/well-being/goals/{goal.public_id}/").status_code == 404
        assert client.post(f"/well-being/goals/{goal.public_id}/", {"action": "delete"}).status_code == 404
        assert "Private goal" not in client.get("/well-being/goals/").content.decode()
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_edit_and_delete(personas):
    client = client_for(personas.member)
    goal = Goal.objects.create(person=personas.member, title="Walk")
    url = f"/well-being/goals/{goal.public_id}/"
    assert client.post(url, {"action": "edit", "edit-title": "Walk further", "edit-why": ""}).status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Walk further"
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not Goal.objects.exists()


def test_odd_digits_in_progress_are_refused_kindly(personas):
    from kindred.wellbeing import services

    goal = Goal.objects.create(person=personas.member, title="Walk")
    for odd in ("\u00b3", "\u0663", "-1", "11", True):
        with pytest.raises(services.WellbeingError, match="whole number from 0 to 10"):
            services.goal_note_add(actor=personas.member, goal=goal, progress=odd)
    assert not GoalNote.objects.exists()
