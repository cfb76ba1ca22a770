"""Supporters are protected from overload: the batch run and a coordinator's approval never go past capacity."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kindred.notifications.models import Notification
from kindred.onetoone import services
from kindred.onetoone.models import Match, MatchStatus, SupporterProfile
from kindred.organisations.models import Role
from kindred.testing.clients import client_for
from kindred.testing.factories import MembershipFactory, UserFactory

from .core_helpers import make_scheme, make_supporter

pytestmark = pytest.mark.django_db


def _person(personas, name, role=Role.MEMBER):
    user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
    MembershipFactory(user=user, organisation=personas.organisation, role=role)
    return user


def _ask(personas, scheme, names):
    return [
        services.match_request_create(actor=_person(personas, name), scheme=scheme, experience_tags="grief")
        for name in names
    ]


def _manage(client, scheme):
    return html.unescape(client.get(reverse("onetoone:scheme_manage", args=[scheme.public_id])).content.decode())


def test_matching_run_never_proposes_past_capacity_and_explains_who_waits(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="batch")
    ana = _person(personas, "ana", Role.PEER)
    make_supporter(ana, scheme, experience_tags="grief", capacity=2)
    _ask(personas, scheme, ["eli", "fay", "gus"])
    coordinator = client_for(personas.coordinator)

    response = coordinator.post(reverse("onetoone:scheme_run_matching", args=[scheme.public_id]), follow=True)

    assert Match.objects.filter(supporter=ana, status=MatchStatus.PROPOSED).count() == 2
    page = html.unescape(response.content.decode())
    assert "1 person is still waiting because every supporter is at the number of people they said they can" in page
    assert "never propose anyone past their capacity" in page
    assert "at capacity" in page  # shown against Ana in the supporters table
    # Running again proposes nothing more for Ana.
    coordinator.post(reverse("onetoone:scheme_run_matching", args=[scheme.public_id]))
    assert Match.objects.filter(supporter=ana).count() == 2


def test_matching_run_respects_a_psw_caseload_cap_below_capacity(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="batch", kind="psw", caseload_cap=1)
    make_supporter(personas.psw, scheme, experience_tags="grief", capacity=5)
    _ask(personas, scheme, ["eli", "fay"])

    created = services.matching_run(actor=personas.coordinator, scheme=scheme)

    assert len(created) == 1
    assert Match.objects.filter(supporter=personas.psw).count() == 1


def test_approval_never_goes_past_capacity_and_the_coordinator_is_told_kindly(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    ana = _person(personas, "ana", Role.PEER)
    profile = make_supporter(ana, scheme, experience_tags="grief", capacity=2)
    eli, fay = _ask(personas, scheme, ["eli", "fay"])
    first = services.match_propose(actor=personas.coordinator, request=eli, profile=profile)
    second = services.match_propose(actor=personas.coordinator, request=fay, profile=profile)
    services.match_approve(actor=personas.coordinator, match=first)
    # Ana has since said she can support only one person (as if two proposals raced past the check).
    SupporterProfile.objects.filter(pk=profile.pk).update(capacity=1)
    coordinator = client_for(personas.coordinator)

    response = coordinator.post(reverse("onetoone:match_action", args=[second.public_id, "approve"]), follow=True)

    second.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED  # nothing sent, nobody told
    page = html.unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == reverse("onetoone:scheme_manage", args=[scheme.public_id])
    assert "Ana has said they can support 1 person at a time, and already has 1" in page
    assert "to protect them from overload" in page
    assert not Notification.objects.filter(user=fay.seeker, kind="onetoone.match_offered").exists()


def test_approval_past_a_caseload_cap_needs_a_recorded_reason(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, kind="psw", caseload_cap=1)
    profile = make_supporter(personas.psw, scheme, experience_tags="grief", capacity=3)
    eli, fay = _ask(personas, scheme, ["eli", "fay"])
    first = services.match_propose(actor=personas.coordinator, request=eli, profile=profile)
    services.match_approve(actor=personas.coordinator, match=first)
    second = services.match_propose(
        actor=personas.coordinator, request=fay, profile=profile, cap_override_reason="Short piece of work"
    )
    # Without a reason on the proposal, approval asks for one.
    Match.objects.filter(pk=second.pk).update(cap_override_reason="")
    coordinator = client_for(personas.coordinator)
    url = reverse("onetoone:match_action", args=[second.public_id, "approve"])

    page = html.unescape(coordinator.post(url, follow=True).content.decode())
    second.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED
    assert "is at the caseload cap of 1. To send this proposal anyway, please record why." in page

    coordinator.post(url, {"cap_override_reason": "Covering for a colleague on leave"})
    second.refresh_from_db()
    assert second.status == MatchStatus.APPROVED
    assert second.cap_override_reason == "Covering for a colleague on leave"


def test_api_approval_past_capacity_is_refused_with_the_reason(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    ana = _person(personas, "ana", Role.PEER)
    profile = make_supporter(ana, scheme, experience_tags="grief", capacity=1)
    eli, fay = _ask(personas, scheme, ["eli", "fay"])
    first = services.match_propose(actor=personas.coordinator, request=eli, profile=profile)
    services.match_approve(actor=personas.coordinator, match=first)
    # A proposal created past capacity by a race (bypassing the checks) is still never sent.
    second = Match.objects.create(
        scheme=scheme, request=fay, seeker=fay.seeker, supporter=ana, supporter_profile=profile
    )
    client = client_for(personas.coordinator)

    response = client.post(
        f"/api/one-to-one/matches/{second.public_id}/actions",
        {"action": "approve"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "already has 1" in response.json()["detail"]
    second.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED
