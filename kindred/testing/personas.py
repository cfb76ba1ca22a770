"""The people every test can call on: one of each role in one organisation, and an outsider elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from kindred.accounts.models import User
from kindred.organisations.models import Organisation, Role

from .factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "a-long-test-password"


@dataclass
class Personas:
    organisation: Organisation
    other_organisation: Organisation
    member: User
    peer: User
    facilitator: User
    psw: User
    coordinator: User
    moderator: User
    supervisor: User
    outsider: User  # a member of other_organisation only
    outside_coordinator: User  # coordinator of other_organisation only


def make_personas() -> Personas:
    organisation = OrganisationFactory(name="Riverside Peer Support", slug="riverside")
    other = OrganisationFactory(name="Hilltop Mind", slug="hilltop")

    def person(name: str, organisation: Organisation, role: Role) -> User:
        user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
        MembershipFactory(user=user, organisation=organisation, role=role)
        if role != Role.MEMBER:
            MembershipFactory(user=user, organisation=organisation, role=Role.MEMBER)
        return user

    return Personas(
        organisation=organisation,
        other_organisation=other,
        member=person("member", organisation, Role.MEMBER),
        peer=person("peer", organisation, Role.PEER),
        facilitator=person("facilitator", organisation, Role.FACILITATOR),
        psw=person("psw", organisation, Role.PSW),
        coordinator=person("coordinator", organisation, Role.COORDINATOR),
        moderator=person("moderator", organisation, Role.MODERATOR),
        supervisor=person("supervisor", organisation, Role.SUPERVISOR),
        outsider=person("outsider", other, Role.MEMBER),
        outside_coordinator=person("outsidecoord", other, Role.COORDINATOR),
    )
