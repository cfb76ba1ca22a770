"""Migration 0003: care's own step-back and death state moves into the reach gate's one ReachState."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kindred.testing.factories import UserFactory

BEFORE = [("care", "0002_move_onetoone_checkins"), ("commons", "0003_spine")]
AFTER = [("care", "0003_care_state_into_reach_state")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_step_backs_and_deaths_are_carried_over_and_care_state_goes():
    resting, gone, both, coordinator = (UserFactory(email=f"{n}@example.org") for n in ("r", "g", "b", "c"))
    since = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    died = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC)
    try:
        old = _migrate(BEFORE)
        CareState = old.get_model("care", "CareState")
        OldReachState = old.get_model("commons", "ReachState")
        CareState.objects.create(person_id=resting.pk, stepped_back_since=since)
        CareState.objects.create(person_id=gone.pk, deceased_at=died, deceased_recorded_by_id=coordinator.pk)
        CareState.objects.create(person_id=both.pk, stepped_back_since=since)
        OldReachState.objects.create(person_id=both.pk, deceased_at=died)  # already known to the gate: kept

        new = _migrate(AFTER)
        ReachState = new.get_model("commons", "ReachState")
        states = {s.person_id: s for s in ReachState.objects.all()}
        assert set(states) == {resting.pk, gone.pk, both.pk}
        assert (states[resting.pk].stepped_back_since, states[resting.pk].deceased_at) == (since, None)
        assert states[gone.pk].deceased_at == died and states[gone.pk].deceased_recorded_by_id == coordinator.pk
        assert (states[both.pk].stepped_back_since, states[both.pk].deceased_at) == (since, died)
        with pytest.raises(LookupError):
            new.get_model("care", "CareState")
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest state for the other tests
