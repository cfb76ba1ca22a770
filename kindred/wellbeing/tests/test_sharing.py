"""Sharing a summary: only with someone in an active one-to-one relationship, only what was chosen, stoppable."""

from __future__ import annotations

import pytest

from kindred.commons.models import Block
from kindred.core.models import AuditEvent
from kindred.onetoone.models import Connection, ConnectionStatus, MatchStatus
from kindred.testing.clients import client_for
from kindred.wellbeing import services
from kindred.wellbeing.models import Share

from .helpers import ONS4_GOOD, befriending_match

pytestmark = pytest.mark.django_db


def _share(client, supporter, **extra):
    data = {"supporter": str(supporter.public_id), "measures": ["ons4"], "include_goals": "on", **extra}
    return client.post("/well-being/sharing/", data)


def test_share_with_befriender_who_sees_only_the_summary_then_stop(personas):
    befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    member = client_for(personas.member)
    member.post("/well-being/check-in/ons4/", ONS4_GOOD)
    member.post("/well-being/check-in/ons4/", {**ONS4_GOOD, "happiness": "6"})
    member.post("/well-being/check-in/ucla3/", {"companionship": "3", "left_out": "3", "isolated": "3"})
    services.goal_create(actor=personas.member, title="Walk on Sundays", why="A secret reason")
    page = member.get("/well-being/sharing/").content.decode()
    assert "Peer — Your befriender in Riverside befriending" in page
    assert _share(member, personas.peer).status_code == 302
    share = Share.objects.get()
    audit = AuditEvent.objects.get(action="wellbeing.share")
    assert audit.actor == personas.member and audit.subject_id == str(share.public_id)

    peer = client_for(personas.peer)
    summary = peer.get(f"/well-being/shared/{share.public_id}/")
    assert summary.status_code == 200
    text = summary.content.decode()
    assert "Member&#x27;s well-being summary" in text or "Member's well-being summary" in text
    assert "Happiness" in text and "Went up (from 4)" in text
    assert "Walk on Sundays" in text
    assert "A secret reason" not in text  # never why a goal matters
    assert "Loneliness" not in text  # not chosen
    assert f"/well-being/shared/{share.public_id}/" in peer.get("/well-being/shared/").content.decode()

    # Nobody else: not the coordinator, not an outsider, not the person's other contacts.
    for other in (personas.coordinator, personas.supervisor, personas.outsider, personas.psw):
        assert client_for(other).get(f"/well-being/shared/{share.public_id}/").status_code == 404

    stop = member.post(f"/well-being/sharing/{share.public_id}/stop/")
    assert stop.status_code == 302
    assert peer.get(f"/well-being/shared/{share.public_id}/").status_code == 404
    assert f"/well-being/shared/{share.public_id}/" not in peer.get("/well-being/shared/").content.decode()
    assert AuditEvent.objects.filter(action="wellbeing.unshare", subject_id=str(share.public_id)).count() == 1


def test_only_people_in_an_active_one_to_one_relationship(personas):
    member = client_for(personas.member)
    # No match or connection yet: nobody to choose, and a forged choice changes nothing.
    assert "There's nobody to share with yet" in member.get("/well-being/sharing/").content.decode()
    assert _share(member, personas.peer).status_code == 400
    with pytest.raises(services.WellbeingError):
        services.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])
    # The member as the *supporter* in a match doesn't make the seeker someone they can share with.
    befriending_match(personas, seeker=personas.facilitator, supporter=personas.member)
    with pytest.raises(services.WellbeingError):
        services.share_create(actor=personas.member, supporter=personas.facilitator, measures=["ons4"])
    # An accepted connection works either way round; a requested one doesn't.
    connection = Connection.objects.create(requester=personas.psw, recipient=personas.member)
    with pytest.raises(services.WellbeingError):
        services.share_create(actor=personas.member, supporter=personas.psw, measures=["ons4"])
    connection.status = ConnectionStatus.ACCEPTED
    connection.save()
    share = services.share_create(actor=personas.member, supporter=personas.psw, measures=["ons4"])
    assert client_for(personas.psw).get(f"/well-being/shared/{share.public_id}/").status_code == 200
    # If the relationship ends, the summary is no longer visible, even before the person stops sharing.
    connection.status = ConnectionStatus.ENDED
    connection.save()
    assert client_for(personas.psw).get(f"/well-being/shared/{share.public_id}/").status_code == 404
    assert Share.objects.count() == 1


def test_blocked_or_ended_match_cannot_be_shared_with(personas):
    match = befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    Block.objects.create(blocker=personas.member, blocked=personas.peer)
    with pytest.raises(services.WellbeingError):
        services.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])
    Block.objects.all().delete()
    share = services.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])
    match.status = MatchStatus.ENDED
    match.save()
    assert client_for(personas.peer).get(f"/well-being/shared/{share.public_id}/").status_code == 404


def test_nothing_chosen_or_sharing_twice_is_refused_kindly(personas):
    befriending_match(personas)
    member = client_for(personas.member)
    nothing = member.post("/well-being/sharing/", {"supporter": str(personas.peer.public_id)})
    assert "Please choose at least one thing to share." in nothing.content.decode()
    assert _share(member, personas.peer).status_code == 302
    again = _share(member, personas.peer)
    assert again.status_code == 400 and "You are already sharing a summary with Peer" in again.content.decode()
    assert Share.objects.count() == 1


def test_only_the_person_can_stop_sharing_and_only_by_post(personas):
    befriending_match(personas)
    share = services.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])
    assert client_for(personas.peer).post(f"/well-being/sharing/{share.public_id}/stop/").status_code == 404
    assert client_for(personas.outsider).post(f"/well-being/sharing/{share.public_id}/stop/").status_code == 404
    assert client_for(personas.member).get(f"/well-being/sharing/{share.public_id}/stop/").status_code == 405
    share.refresh_from_db()
    assert share.is_active


def test_share_with_a_peer_support_worker_they_choose(personas):
    from kindred.onetoone.tests.core_helpers import make_scheme
    from kindred.onetoone.tests.practice_fixtures import make_active_match

    scheme = make_scheme(personas.coordinator, personas.organisation, kind="psw", title="Peer support", caseload_cap=5)
    make_active_match(scheme, seeker=personas.member, supporter=personas.psw)
    befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    member = client_for(personas.member)
    page = member.get("/well-being/sharing/").content.decode()
    assert "Psw — Your peer support worker in Peer support" in page
    assert "Peer — Your befriender in Riverside befriending" in page
    assert _share(member, personas.psw).status_code == 302
    share = Share.objects.get()
    assert share.supporter == personas.psw  # only the one they chose
    assert client_for(personas.psw).get(f"/well-being/shared/{share.public_id}/").status_code == 200
    assert client_for(personas.peer).get(f"/well-being/shared/{share.public_id}/").status_code == 404


def test_a_supporter_no_longer_lists_a_summary_once_the_relationship_ends(personas):
    match = befriending_match(personas, seeker=personas.member, supporter=personas.peer)
    share = services.share_create(actor=personas.member, supporter=personas.peer, measures=["ons4"])
    peer = client_for(personas.peer)
    assert "Summaries shared with you (1)" in peer.get("/well-being/").content.decode()
    match.status = MatchStatus.ENDED
    match.save()
    assert "Summaries shared with you" not in peer.get("/well-being/").content.decode()
    listing = peer.get("/well-being/shared/").content.decode()
    assert f"/well-being/shared/{share.public_id}/" not in listing
    assert "Nobody is sharing a summary with you at the moment." in listing


def test_only_check_ins_available_to_the_person_can_be_shared(personas):
    befriending_match(personas)
    with pytest.raises(services.WellbeingError, match="Please choose check-ins from the list"):
        services.share_create(actor=personas.member, supporter=personas.peer, measures=["phq9"])
    assert not Share.objects.exists()
