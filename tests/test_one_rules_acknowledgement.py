"""One acknowledgement of rules: groups' ground rules and spaces' house rules are the same versions and agreements,
and the old tables of both are carried over by the migrations with nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection as db
from django.db.migrations.executor import MigrationExecutor

from kindred.commons.models import Rules, RulesAcknowledgement
from kindred.commons.rules import has_acknowledged, rules_current
from kindred.community import services as community
from kindred.community.tests.core_helpers import make_space
from kindred.groups import services as groups
from kindred.groups.tests.core_helpers import make_group
from kindred.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_group_and_a_space_keep_their_rules_in_the_same_place(personas):
    group = make_group(personas)
    space = make_space(personas)
    groups.ground_rules_publish(actor=personas.facilitator, group=group, text="Listen without fixing.")
    community.house_rules_update(actor=personas.coordinator, space=space, text="Be kind, always.")
    assert rules_current(group).version == 2 and rules_current(space).version == 2
    assert Rules.objects.count() == 4  # two versions each, in one table

    groups.group_join(actor=personas.member, group=group, acknowledge_rules=True)
    community.house_rules_acknowledge(user=personas.member, space=space, version=2)

    assert has_acknowledged(personas.member, rules_current(group))
    assert has_acknowledged(personas.member, rules_current(space))
    assert groups.needs_rules_acknowledgement(group, personas.member) is False
    assert community.needs_rules_acknowledgement(personas.member, space) is None
    # An old version read in another tab is refused kindly, and changes nothing.
    with pytest.raises(community.CommunityError):
        community.house_rules_acknowledge(user=personas.peer, space=space, version=1)
    assert not RulesAcknowledgement.objects.filter(person=personas.peer).exists()


def _migrate(targets):
    executor = MigrationExecutor(db)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_both_old_kinds_of_rules_are_carried_over_with_who_agreed():
    ana, bo = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    before = [("groups", "0004_private_group_offers_unlisted"), ("community", "0006_spaces_can_be_archived")]
    after = [("groups", "0005_rules_move_to_commons"), ("community", "0007_rules_move_to_commons")]
    try:
        old = _migrate(before)
        Offer = old.get_model("directory", "Offer")
        offer = Offer.objects.create(
            organisation_id=organisation.pk, title="G", slug="g", kind="group", delivery="in_person"
        )
        group = old.get_model("groups", "Group").objects.create(
            organisation_id=organisation.pk, offer_id=offer.pk, name="G", slug="g"
        )
        space_offer = Offer.objects.create(
            organisation_id=organisation.pk, title="S", slug="s", kind="online_space", delivery="online"
        )
        space = old.get_model("community", "Space").objects.create(
            organisation_id=organisation.pk, offer_id=space_offer.pk, name="S", slug="s"
        )
        ground = old.get_model("groups", "GroundRules")
        v1 = ground.objects.create(group_id=group.pk, version=1, text="One", created_by_id=ana.pk)
        v2 = ground.objects.create(group_id=group.pk, version=2, text="Two", created_by_id=ana.pk)
        old.get_model("groups", "GroundRulesAcknowledgement").objects.create(rules_id=v1.pk, person_id=bo.pk)
        old.get_model("groups", "GroundRulesAcknowledgement").objects.create(rules_id=v2.pk, person_id=ana.pk)
        house = old.get_model("community", "HouseRules").objects.create(space_id=space.pk, version=1, text="Kind")
        old.get_model("community", "HouseRulesAcknowledgement").objects.create(rules_id=house.pk, user_id=bo.pk)

        new = _migrate(after)
        rules = new.get_model("commons", "Rules").objects.select_related("subject_type")
        assert sorted((r.subject_type.model, r.subject_id, r.version, r.text) for r in rules) == [
            ("group", str(group.pk), 1, "One"),
            ("group", str(group.pk), 2, "Two"),
            ("space", str(space.pk), 1, "Kind"),
        ]
        agreed = new.get_model("commons", "RulesAcknowledgement").objects.select_related("rules")
        assert sorted((a.person_id, a.rules.text) for a in agreed) == sorted(
            [(bo.pk, "One"), (ana.pk, "Two"), (bo.pk, "Kind")]
        )
    finally:
        _migrate(MigrationExecutor(db).loader.graph.leaf_nodes())
