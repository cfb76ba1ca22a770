"""Practical resources: coordinators keep their own list; people see them on the crisis page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.directory.models import PracticalResource, ResourceCategory
from kindred.directory.tests.chooser_helpers import make_resource

pytestmark = pytest.mark.django_db

LIST = "/find/resources/"

GOOD = {
    "organisation": "riverside",
    "region": "North West",
    "category": "housing",
    "name": "Riverside Housing Advice",
    "description": "Help if you're worried about losing your home.",
    "phone": "0161 496 0123",
    "url": "",
    "hours": "Weekdays 9am to 5pm",
}


def edit_url(resource: PracticalResource) -> str:
    return reverse("directory:resource_edit", kwargs={"resource_id": resource.pk})


def delete_url(resource: PracticalResource) -> str:
    return reverse("directory:resource_delete", kwargs={"resource_id": resource.pk})


def test_a_coordinator_sees_their_organisations_list_and_not_others(client, personas):
    make_resource(personas.organisation, "Riverside Debt Line", region="North West")
    make_resource(personas.other_organisation, "Hilltop Benefits Help")
    client.force_login(personas.coordinator)
    response = client.get(reverse("directory:resources"))
    html = response.content.decode()
    assert reverse("directory:resources") == LIST
    assert response.status_code == 200
    assert "Riverside Debt Line" in html
    assert "Hilltop Benefits Help" not in html
    assert '<label for="id_name">Name</label>' in html


def test_a_coordinator_adds_a_resource_and_it_is_audited(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(LIST, GOOD, follow=True)
    assert response.status_code == 200
    assert "Riverside Housing Advice is added. People in North West will see it." in response.content.decode()
    resource = PracticalResource.objects.get()
    assert resource.organisation == personas.organisation
    assert (resource.category, resource.region) == ("housing", "North West")
    event = AuditEvent.objects.get(action="practical_resource.created")
    assert event.actor == personas.coordinator and event.organisation == personas.organisation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Please give the service a name."),
        ({"phone": "", "url": ""}, "Please give at least one way to reach them: a phone number or a website."),
        ({"url": "not a website"}, "Please enter a full web address, like https://example.org."),
        ({"category": "magic"}, "Please choose from the options shown."),
        ({"region": ""}, "Please say which region it serves, or UK."),
        ({"name": "x" * 151}, "Please keep this to 150 characters or fewer (it has 151)."),
        ({"organisation": "hilltop"}, "Please choose one of your organisations."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, personas, change, message):
    client.force_login(personas.coordinator)
    response = client.post(LIST, {**GOOD, **change})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "There's a problem" in html
    assert message in html
    assert not PracticalResource.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="practical_resource").exists()


def test_a_coordinator_edits_their_own_resource(client, personas):
    resource = make_resource(personas.organisation, "Riverside Debt Line", region="North West")
    client.force_login(personas.coordinator)
    page = client.get(edit_url(resource)).content.decode()
    assert 'value="Riverside Debt Line"' in page
    response = client.post(edit_url(resource), {**GOOD, "name": "Riverside Money Advice", "category": "crisis"})
    assert response.status_code == 302 and response["Location"] == LIST
    resource.refresh_from_db()
    assert (resource.name, resource.category) == ("Riverside Money Advice", ResourceCategory.CRISIS)
    event = AuditEvent.objects.get(action="practical_resource.updated")
    assert "name" in event.detail["fields"] and "category" in event.detail["fields"]


def test_a_coordinator_deletes_their_own_resource(client, personas):
    resource = make_resource(personas.organisation, "Riverside Debt Line")
    client.force_login(personas.coordinator)
    response = client.post(delete_url(resource), follow=True)
    assert "Riverside Debt Line is removed" in response.content.decode()
    assert not PracticalResource.objects.exists()
    assert AuditEvent.objects.filter(action="practical_resource.deleted", actor=personas.coordinator).exists()


def test_another_organisations_resource_is_not_found(client, personas):
    theirs = make_resource(personas.other_organisation, "Hilltop Benefits Help")
    client.force_login(personas.coordinator)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {**GOOD, "name": "Taken over"}).status_code == 404
    assert client.post(delete_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Hilltop Benefits Help"
    assert not AuditEvent.objects.filter(action__startswith="practical_resource").exists()


@pytest.mark.parametrize("who", ["member", "peer", "facilitator", "psw", "moderator", "supervisor", "outsider"])
def test_people_who_are_not_coordinators_are_refused(client, personas, who):
    resource = make_resource(personas.organisation, "Riverside Debt Line")
    client.force_login(getattr(personas, who))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, GOOD).status_code == 403
    assert client.get(edit_url(resource)).status_code == 403
    assert client.post(delete_url(resource)).status_code == 403
    assert PracticalResource.objects.count() == 1


def test_visitors_are_asked_to_log_in(client, personas):
    resource = make_resource(personas.organisation, "Riverside Debt Line")
    for url in (LIST, edit_url(resource)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.post(delete_url(resource)).status_code == 302
    assert PracticalResource.objects.count() == 1


def test_delete_needs_a_post(client, personas):
    resource = make_resource(personas.organisation, "Riverside Debt Line")
    client.force_login(personas.coordinator)
    assert client.get(delete_url(resource)).status_code == 405
    assert PracticalResource.objects.count() == 1


# --- On the crisis page ------------------------------------------------------------------------------------------


def test_the_crisis_page_shows_practical_help_for_the_persons_regions_crisis_lines_first(client, personas):
    make_resource(personas.organisation, "North West Benefits Advice", region="North West")
    make_resource(personas.other_organisation, "North West Night Line", region="north west", category="crisis")
    make_resource(personas.organisation, "National Debt Helpline", region="UK", category="benefits")
    make_resource(personas.organisation, "Yorkshire Housing Help", region="Yorkshire", category="housing")
    client.force_login(personas.member)
    html = client.get(reverse("safety:crisis")).content.decode()
    practical = html.split('data-testid="practical-help"', 1)[1].split("</section>", 1)[0]
    assert "North West Night Line" in practical
    assert "North West Benefits Advice" in practical
    assert "National Debt Helpline" in practical
    assert "Yorkshire Housing Help" not in practical
    assert practical.index("Crisis lines") < practical.index("Benefits and debt advice")
    assert practical.index("North West Night Line") < practical.index("North West Benefits Advice")
    # Local help before UK-wide help within a category.
    assert practical.index("North West Benefits Advice") < practical.index("National Debt Helpline")
    assert 'href="tel:01134960000"' in practical


def test_a_visitor_who_picks_an_organisation_sees_its_regions_practical_help(client, personas):
    personas.other_organisation.region = "Yorkshire"
    personas.other_organisation.save()
    make_resource(personas.organisation, "Yorkshire Housing Help", region="Yorkshire", category="housing")
    make_resource(personas.organisation, "North West Benefits Advice", region="North West")
    html = client.get(reverse("safety:crisis"), {"org": "hilltop"}).content.decode()
    assert "Yorkshire Housing Help" in html
    assert "North West Benefits Advice" not in html
    assert "116 123" in html


def test_a_visitor_who_picks_nothing_still_sees_uk_wide_practical_help(client, personas):
    make_resource(personas.organisation, "National Debt Helpline", region="UK")
    make_resource(personas.organisation, "Yorkshire Housing Help", region="Yorkshire", category="housing")
    html = client.get(reverse("safety:crisis")).content.decode()
    assert "National Debt Helpline" in html
    assert "Yorkshire Housing Help" not in html


def test_the_same_national_line_listed_twice_is_shown_once(client, personas):
    make_resource(personas.organisation, "National Debt Helpline", region="UK", phone="0808 808 4000")
    make_resource(personas.other_organisation, "National Debt Helpline", region="UK", phone="0808 808 4000")
    html = client.get(reverse("safety:crisis")).content.decode()
    assert html.count("<h4>National Debt Helpline</h4>") == 1


def test_offer_pages_show_practical_help_for_their_region(client, personas):
    from kindred.directory.tests.chooser_helpers import make_offer

    make_offer(personas.organisation, "leeds-group", region="Yorkshire", town="Leeds")
    make_resource(personas.organisation, "Leeds Crisis Cafe", region="Yorkshire", category="crisis")
    make_resource(personas.organisation, "North West Benefits Advice", region="North West")
    html = client.get(reverse("directory:offer", kwargs={"slug": "leeds-group"})).content.decode()
    assert "Leeds Crisis Cafe" in html
    assert "North West Benefits Advice" not in html
