"""One block, everywhere: a block made in any form is honoured by every form, and old blocks of both kinds merge."""

from __future__ import annotations

import html

import pytest
from django.db import connection as db
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from kindred.commons.blocks import block_create
from kindred.commons.models import Block
from kindred.groups.tests.core_helpers import join, make_group
from kindred.onetoone import services as onetoone
from kindred.onetoone.matching.adapter import batch_assignment, suggestions_for
from kindred.onetoone.models import Connection, ConnectionStatus
from kindred.onetoone.tests.core_helpers import make_scheme, make_supporter
from kindred.testing.factories import UserFactory
from kindred.testing.personas import PASSWORD
from kindred.wellbeing import services as wellbeing
from kindred.wellbeing.selectors import eligible_supporters

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.logout()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_block_made_online_stops_a_one_to_one_request(client, personas):
    _client(client, personas.member).post(reverse("community:block", args=[personas.peer.public_id]))
    assert Block.objects.filter(blocker=personas.member, blocked=personas.peer).exists()
    asked = _client(client, personas.peer).post(
        reverse("onetoone:connect", args=[personas.member.public_id]),
        {"where_met": "online", "note": "Hi", "role": "both"},
    )
    assert "couldn't send a request" in _page(asked)  # the same words whatever the reason: a block isn't revealed
    assert not Connection.objects.exists()


def test_a_block_made_in_one_to_one_ends_the_connection_and_hides_them_in_groups(client, personas):
    onetoone.connection_request(actor=personas.member, recipient=personas.peer, where_met="group")
    request = Connection.objects.get()
    onetoone.connection_respond(actor=personas.peer, connection=request, accept=True)
    group = make_group(personas)
    join(group, personas.member)
    join(group, personas.peer)
    board = reverse("groups:board", kwargs={"slug": group.slug})
    _client(client, personas.peer).post(board, {"body": "Noticeboard words from peer"})
    assert "Noticeboard words from peer" in _page(_client(client, personas.member).get(board))

    client.post(reverse("onetoone:block", args=[personas.peer.public_id]))

    assert Connection.objects.get().status == ConnectionStatus.ENDED
    assert "Noticeboard words from peer" not in _page(client.get(board))
    assert "Noticeboard words from peer" in _page(_client(client, personas.facilitator).get(board))
    listed = _page(_client(client, personas.member).get(reverse("commons:blocks")))
    assert personas.peer.display_name in listed and "works everywhere in Kindred" in listed


def test_matching_never_proposes_two_people_when_one_has_blocked_the_other(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="batch")
    profile = make_supporter(personas.peer, scheme, experience_tags="grief")
    request = onetoone.match_request_create(actor=personas.member, scheme=scheme, experience_tags="grief")
    pairs, _ = batch_assignment(scheme)
    assert [(p.request, p.profile) for p in pairs] == [(request, profile)]  # the pair matches well...

    block_create(actor=personas.peer, other=personas.member)  # ...until the supporter blocks, anywhere

    pairs, unmatched = batch_assignment(scheme)
    assert pairs == [] and unmatched == [request]
    assert [s.profile for s in suggestions_for(request)] == []
    with pytest.raises(onetoone.OneToOneError):
        onetoone.match_propose(actor=personas.coordinator, request=request, profile=profile)


def test_supporter_lists_for_well_being_sharing_leave_out_blocked_people(personas):
    onetoone.connection_request(actor=personas.member, recipient=personas.peer, where_met="group")
    onetoone.connection_respond(actor=personas.peer, connection=Connection.objects.get(), accept=True)
    assert personas.peer in [s.user for s in eligible_supporters(personas.member)]
    block_create(actor=personas.peer, other=personas.member)
    assert personas.peer not in [s.user for s in eligible_supporters(personas.member)]
    with pytest.raises(wellbeing.WellbeingError):
        wellbeing.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])


def _migrate(targets):
    executor = MigrationExecutor(db)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_blocks_of_both_old_kinds_are_merged_into_one_nothing_lost():
    ana, bo, cy = UserFactory(), UserFactory(), UserFactory()
    before = [("onetoone", "0004_checkins_moved_to_care"), ("community", "0003_thread_lock_note")]
    after = [("onetoone", "0005_blocks_move_to_commons"), ("community", "0004_blocks_move_to_commons")]
    try:
        old = _migrate(before)
        old.get_model("onetoone", "Block").objects.create(blocker_id=ana.pk, blocked_id=bo.pk)
        old.get_model("community", "Block").objects.create(blocker_id=ana.pk, blocked_id=bo.pk)  # the same, twice
        old.get_model("community", "Block").objects.create(blocker_id=cy.pk, blocked_id=ana.pk)
        new = _migrate(after)
        rows = set(new.get_model("commons", "Block").objects.values_list("blocker_id", "blocked_id"))
        assert rows == {(ana.pk, bo.pk), (cy.pk, ana.pk)}
    finally:
        _migrate(MigrationExecutor(db).loader.graph.leaf_nodes())
