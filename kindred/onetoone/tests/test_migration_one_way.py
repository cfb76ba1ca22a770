"""Migration 0003: the note policy and quiet hours move to one place each, without widening who can read notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kindred.testing.factories import OrganisationFactory, UserFactory

BEFORE = [("onetoone", "0002_practice"), ("accounts", "0001_initial")]
AFTER = [("onetoone", "0003_one_note_policy_and_person_quiet_hours")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_policy_and_quiet_hours_are_carried_over():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    ana, bo = UserFactory(email="ana@example.org"), UserFactory(email="bo@example.org")
    try:
        old = _migrate(BEFORE)
        Offer = old.get_model("directory", "Offer")
        Scheme = old.get_model("onetoone", "Scheme")
        PracticePolicy = old.get_model("onetoone", "PracticePolicy")
        SupporterProfile = old.get_model("onetoone", "SupporterProfile")
        Profile = old.get_model("accounts", "Profile")

        def scheme(org, title, reads=False):
            offer = Offer.objects.create(
                organisation_id=org.pk,
                title=title,
                slug=title.lower().replace(" ", "-"),
                kind="scheme",
                delivery="online",
            )
            return Scheme.objects.create(organisation_id=org.pk, offer=offer, supervisor_reads_notes=reads)

        befriending, psw = scheme(organisation, "Befriending"), scheme(organisation, "PSW")
        elsewhere, elsewhere_psw = scheme(other, "Elsewhere"), scheme(other, "Elsewhere PSW", reads=True)
        PracticePolicy.objects.create(organisation_id=organisation.pk, supervisors_may_read_notes=True)
        PracticePolicy.objects.create(organisation_id=other.pk, supervisors_may_read_notes=False)
        SupporterProfile.objects.create(
            user_id=ana.pk, scheme=befriending, quiet_hours_start=dt.time(21), quiet_hours_end=dt.time(7)
        )
        # Bo already has quiet hours of his own: they are kept.
        Profile.objects.update_or_create(
            user_id=bo.pk, defaults={"quiet_hours_start": dt.time(22), "quiet_hours_end": dt.time(8)}
        )
        SupporterProfile.objects.create(
            user_id=bo.pk, scheme=psw, quiet_hours_start=dt.time(18), quiet_hours_end=dt.time(9)
        )

        new = _migrate(AFTER)
        Scheme = new.get_model("onetoone", "Scheme")
        Profile = new.get_model("accounts", "Profile")
        reads = dict(Scheme.objects.values_list("pk", "supervisor_reads_notes"))
        # The organisation-wide yes becomes yes on each of its schemes; nobody else gains access.
        assert reads == {befriending.pk: True, psw.pk: True, elsewhere.pk: False, elsewhere_psw.pk: True}
        hours = {p.user_id: (p.quiet_hours_start, p.quiet_hours_end) for p in Profile.objects.all()}
        assert hours[ana.pk] == (dt.time(21), dt.time(7))
        assert hours[bo.pk] == (dt.time(22), dt.time(8))
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest state for the other tests
