"""Organisation pages: who may see them, what they show, and the coordinator's details and crisis contacts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.organisations.models import CrisisResource, Organisation, Role
from kindred.testing.factories import CrisisResourceFactory, MembershipFactory, UserFactory
from kindred.testing.personas import Personas

pytestmark = pytest.mark.django_db


def _coordinator_urls(personas: Personas) -> dict[str, str]:
    slug = personas.organisation.slug
    return {
        "people": reverse("organisations:people", args=[slug]),
        "person": reverse("organisations:person", args=[slug, personas.member.public_id]),
        "invitations": reverse("organisations:invitations", args=[slug]),
        "edit": reverse("organisations:edit", args=[slug]),
        "crisis": reverse("organisations:crisis_resources", args=[slug]),
    }


# --- The organisation page -------------------------------------------------------------------


def test_member_sees_their_organisation_page(client, personas):
    organisation = personas.organisation
    organisation.description = "Weekly groups and a befriending scheme by the river."
    organisation.safeguarding_policy = "We will always talk to you first before contacting anyone."
    organisation.save()
    client.force_login(personas.member)

    response = client.get(reverse("organisations:detail", args=["riverside"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Riverside Peer Support" in page
    assert "North West" in page
    assert "Weekly groups and a befriending scheme" in page
    assert "We will always talk to you first" in page
    assert "<li>Member</li>" in page
    assert f"{reverse('safety:crisis')}?org=riverside" in page
    assert reverse("organisations:people", args=["riverside"]) not in page


def test_coordinator_sees_links_to_manage(client, personas):
    client.force_login(personas.coordinator)
    page = client.get(reverse("organisations:detail", args=["riverside"])).content.decode()
    assert "<li>Coordinator</li>" in page
    urls = _coordinator_urls(personas)
    for name in ("people", "invitations", "edit", "crisis"):
        assert f'href="{urls[name]}"' in page


def test_page_without_a_safeguarding_policy_says_so_kindly(client, personas):
    Organisation.objects.filter(pk=personas.organisation.pk).update(safeguarding_policy="")
    client.force_login(personas.member)
    page = client.get(reverse("organisations:detail", args=["riverside"])).content.decode()
    assert "hasn't published its safeguarding policy" in page


def test_outsider_gets_404_for_an_organisation_they_are_not_in(client, personas):
    client.force_login(personas.outsider)
    assert client.get(reverse("organisations:detail", args=["riverside"])).status_code == 404


def test_unknown_organisation_is_404(client, personas):
    client.force_login(personas.member)
    assert client.get(reverse("organisations:detail", args=["nowhere"])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, personas):
    url = reverse("organisations:detail", args=["riverside"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_organisation_page_is_read_only(client, personas):
    client.force_login(personas.coordinator)
    assert client.post(reverse("organisations:detail", args=["riverside"])).status_code == 405


# --- Who may use the coordinator pages --------------------------------------------------------


@pytest.mark.parametrize("page", ["people", "person", "invitations", "edit", "crisis"])
def test_coordinator_pages_open_to_coordinators(client, personas, page):
    client.force_login(personas.coordinator)
    assert client.get(_coordinator_urls(personas)[page]).status_code == 200


@pytest.mark.parametrize("page", ["people", "person", "invitations", "edit", "crisis"])
@pytest.mark.parametrize("persona", ["member", "peer", "facilitator", "psw", "moderator", "supervisor"])
def test_coordinator_pages_forbidden_to_other_roles(client, personas, page, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(_coordinator_urls(personas)[page]).status_code == 403


@pytest.mark.parametrize("page", ["people", "person", "invitations", "edit", "crisis"])
def test_coordinator_pages_are_not_found_for_another_organisations_coordinator(client, personas, page):
    client.force_login(personas.outside_coordinator)
    assert client.get(_coordinator_urls(personas)[page]).status_code == 404


@pytest.mark.parametrize("page", ["people", "person", "invitations", "edit", "crisis"])
def test_coordinator_pages_ask_visitors_to_log_in(client, personas, page):
    response = client.get(_coordinator_urls(personas)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_superuser_may_use_coordinator_pages(client, personas, superuser):
    client.force_login(superuser)
    assert client.get(_coordinator_urls(personas)["people"]).status_code == 200


def _post_only_urls(personas: Personas) -> list[str]:
    slug = personas.organisation.slug
    resource = CrisisResourceFactory(organisation=personas.organisation)
    return [
        reverse("organisations:person_role_grant", args=[slug, personas.member.public_id]),
        reverse("organisations:person_role_revoke", args=[slug, personas.member.public_id]),
        reverse("organisations:invitation_withdraw", args=[slug, "6f1d4c1e-5d4b-4a7e-8f7e-2f1f0c8b9a11"]),
        reverse("organisations:crisis_resource_delete", args=[slug, resource.pk]),
    ]


def test_post_only_actions_refuse_get(client, personas):
    client.force_login(personas.coordinator)
    for url in _post_only_urls(personas):
        assert client.get(url).status_code == 405, url


def test_post_only_actions_are_not_found_for_another_organisations_coordinator(client, personas):
    client.force_login(personas.outside_coordinator)
    before = AuditEvent.objects.count()
    for url in _post_only_urls(personas):
        assert client.post(url, {"role": "peer"}).status_code == 404, url
    assert AuditEvent.objects.count() == before
    assert CrisisResource.objects.filter(organisation=personas.organisation).count() == 1


def test_post_only_actions_are_forbidden_to_members(client, personas):
    client.force_login(personas.member)
    for url in _post_only_urls(personas):
        assert client.post(url, {"role": "peer"}).status_code == 403, url
    assert CrisisResource.objects.filter(organisation=personas.organisation).count() == 1


# --- People ------------------------------------------------------------------------------------


def test_people_list_shows_roles_names_and_emails_to_the_coordinator(client, personas):
    personas.psw.real_name = "Priya Shah"
    personas.psw.save()
    client.force_login(personas.coordinator)

    response = client.get(reverse("organisations:people", args=["riverside"]))

    page = response.content.decode()
    assert "Psw" in page
    assert "Priya Shah" in page
    assert "psw@example.org" in page
    assert "Member, Peer support worker" in page or "Peer support worker, Member" in page
    assert "outsider@example.org" not in page
    assert "Outsidecoord" not in page


def test_people_list_queries_do_not_grow_with_people(client, personas, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    url = reverse("organisations:people", args=["riverside"])
    client.get(url)  # warm the session
    for _ in range(15):
        MembershipFactory(organisation=personas.organisation, role=Role.PEER)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 1 + 7 + 15


def test_coordinator_cannot_open_a_person_from_another_organisation(client, personas):
    client.force_login(personas.coordinator)
    url = reverse("organisations:person", args=["riverside", personas.outsider.public_id])
    assert client.get(url).status_code == 404
    client.force_login(personas.outside_coordinator)
    url = reverse("organisations:person", args=["hilltop", personas.member.public_id])
    assert client.get(url).status_code == 404


def test_person_page_shows_only_what_they_share_with_staff(client, personas):
    profile = personas.member.profile
    profile.interests, profile.interests_visibility = "walking, music", "staff"
    profile.faith, profile.faith_visibility = "Quaker", "only_me"
    profile.save()
    client.force_login(personas.coordinator)

    page = client.get(reverse("organisations:person", args=["riverside", personas.member.public_id])).content.decode()

    assert "walking, music" in page
    assert "Quaker" not in page


# --- Organisation details --------------------------------------------------------------------


def test_coordinator_edits_the_details_and_it_is_audited(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("organisations:edit", args=["riverside"]),
        {"region": "Greater Manchester", "description": "Groups by the river.", "safeguarding_policy": "New policy."},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="riverside")
    assert (organisation.region, organisation.description, organisation.safeguarding_policy) == (
        "Greater Manchester",
        "Groups by the river.",
        "New policy.",
    )
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == personas.coordinator
    assert event.organisation == organisation
    assert event.detail == {"fields": ["description", "region", "safeguarding_policy"]}
    member_page = client.get(reverse("organisations:detail", args=["riverside"])).content.decode()
    assert "New policy." in member_page


def test_over_long_details_are_refused_and_nothing_changes(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("organisations:edit", args=["riverside"]),
        {"region": "x" * 81, "description": "Fine.", "safeguarding_policy": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There's a problem" in page
    assert "Please keep this to 80 characters or fewer" in page
    assert 'aria-invalid="true"' in page
    organisation = Organisation.objects.get(slug="riverside")
    assert organisation.region == "North West"
    assert organisation.description == ""
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_coordinator_cannot_rename_the_organisation_through_the_details_form(client, personas):
    client.force_login(personas.coordinator)
    client.post(
        reverse("organisations:edit", args=["riverside"]),
        {"name": "Hijacked", "slug": "hijacked", "region": "North West", "description": "", "safeguarding_policy": ""},
    )
    organisation = Organisation.objects.get(pk=personas.organisation.pk)
    assert (organisation.name, organisation.slug) == ("Riverside Peer Support", "riverside")


# --- Crisis contacts -------------------------------------------------------------------------


def _resource_data(**overrides: object) -> dict[str, object]:
    data = {
        "name": "Riverside Crisis Café",
        "description": "A calm place to go in the evening.",
        "phone": "0161 000 0000",
        "text_number": "",
        "url": "https://example.org/cafe",
        "hours": "Every evening 6pm–11pm",
        "position": 1,
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_crisis_contact_that_members_then_see(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(reverse("organisations:crisis_resources", args=["riverside"]), _resource_data())
    assert response.status_code == 302

    resource = CrisisResource.objects.get(organisation=personas.organisation)
    assert resource.name == "Riverside Crisis Café"
    event = AuditEvent.objects.get(action="crisis_resource.created")
    assert (event.actor, event.organisation, event.subject_id) == (
        personas.coordinator,
        personas.organisation,
        str(resource.pk),
    )
    client.force_login(personas.member)
    assert "Riverside Crisis Café" in client.get(reverse("safety:crisis")).content.decode()


def test_crisis_contacts_are_listed_in_their_order(client, personas):
    CrisisResourceFactory(organisation=personas.organisation, name="Second line", position=2)
    CrisisResourceFactory(organisation=personas.organisation, name="First line", position=1)
    client.force_login(personas.coordinator)
    page = client.get(reverse("organisations:crisis_resources", args=["riverside"])).content.decode()
    assert page.index("First line") < page.index("Second line")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Please give the service a name."),
        ({"name": "x" * 121}, "Please keep this to 120 characters or fewer"),
        ({"url": "not a web address"}, "Please enter a full web address"),
        ({"phone": "", "url": "", "text_number": ""}, "Please give at least one way to reach them"),
        ({"position": "-1"}, "Ensure this value is greater than or equal to 0"),
    ],
)
def test_bad_crisis_contacts_are_refused_kindly(client, personas, overrides, message):
    client.force_login(personas.coordinator)
    response = client.post(reverse("organisations:crisis_resources", args=["riverside"]), _resource_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CrisisResource.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="crisis_resource").exists()


def test_coordinator_edits_and_removes_a_crisis_contact(client, personas):
    resource = CrisisResourceFactory(organisation=personas.organisation, name="Old name")
    client.force_login(personas.coordinator)

    edit_url = reverse("organisations:crisis_resource_edit", args=["riverside", resource.pk])
    assert "Old name" in client.get(edit_url).content.decode()
    response = client.post(edit_url, _resource_data(name="New name", position=3))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.name, resource.position) == ("New name", 3)
    assert AuditEvent.objects.filter(action="crisis_resource.updated", actor=personas.coordinator).exists()

    response = client.post(reverse("organisations:crisis_resource_delete", args=["riverside", resource.pk]))
    assert response.status_code == 302
    assert not CrisisResource.objects.filter(pk=resource.pk).exists()
    deleted = AuditEvent.objects.get(action="crisis_resource.deleted")
    assert deleted.detail == {"name": "New name"}


def test_crisis_contacts_of_another_organisation_are_not_found(client, personas):
    theirs = CrisisResourceFactory(organisation=personas.other_organisation, name="Hilltop line")
    client.force_login(personas.coordinator)
    assert client.get(reverse("organisations:crisis_resource_edit", args=["riverside", theirs.pk])).status_code == 404
    response = client.post(reverse("organisations:crisis_resource_delete", args=["riverside", theirs.pk]))
    assert response.status_code == 404
    assert CrisisResource.objects.filter(pk=theirs.pk).exists()
    # Not through their own organisation's slug either: they aren't its coordinator.
    assert client.get(reverse("organisations:crisis_resource_edit", args=["hilltop", theirs.pk])).status_code == 404


def test_a_new_person_only_sees_their_own_organisation(client, personas):
    newcomer = UserFactory()
    MembershipFactory(user=newcomer, organisation=personas.other_organisation)
    client.force_login(newcomer)
    assert client.get(reverse("organisations:detail", args=["hilltop"])).status_code == 200
    assert client.get(reverse("organisations:detail", args=["riverside"])).status_code == 404
