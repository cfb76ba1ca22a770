from __future__ import annotations

import re

import pytest
from django.core import mail

from kindred.accounts.models import User
from kindred.organisations.models import Role
from kindred.organisations.services import membership_grant
from kindred.testing.personas import Personas

INVITATION_LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def token_from_last_email() -> str:
    match = INVITATION_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def staff_coordinators(personas: Personas) -> Personas:
    """The personas' coordinators as the service makes them: coordinators may use the admin."""
    for user, organisation in (
        (personas.coordinator, personas.organisation),
        (personas.outside_coordinator, personas.other_organisation),
    ):
        membership_grant(actor=None, organisation=organisation, user=user, role=Role.COORDINATOR)
        user.refresh_from_db()
    return personas


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("operator@example.org", "a-long-test-password")
