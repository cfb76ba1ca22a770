"""A private group is simply not listed publicly: its listing is never called "archived" or "no longer running"."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kindred.directory.models import Offer, OfferStatus

from .core_helpers import make_group

pytestmark = pytest.mark.django_db


def test_a_private_group_is_unlisted_not_archived(client, personas):
    private = make_group(personas, public=False, name="Private Circle")
    public = make_group(personas, name="Open Circle")

    assert private.offer.status == OfferStatus.UNLISTED
    assert public.offer.status == OfferStatus.PUBLISHED

    # Not in the public directory, and its listing page is 404 to anyone who doesn't run it.
    results = client.get(reverse("directory:search"), {"q": "circle"}).content.decode()
    assert "Open Circle" in results and "Private Circle" not in results
    offer_url = reverse("directory:offer", args=[private.offer.slug])
    assert client.get(offer_url).status_code == 404
    client.force_login(personas.member)
    assert client.get(offer_url).status_code == 404

    # The coordinator who runs it sees the listing described as what it is: private, not closed.
    client.force_login(personas.coordinator)
    page = html.unescape(client.get(offer_url).content.decode())
    assert "not listed: a private group, by invitation" in page
    assert "no longer running" not in page.lower() and "archived" not in page.lower()


def test_closing_a_private_group_archives_its_listing(client, personas):
    from .test_closure import close_now

    private = make_group(personas, public=False, name="Private Circle")
    assert close_now(personas, private).status_code == 302
    assert Offer.objects.get(pk=private.offer_id).status == OfferStatus.ARCHIVED


@pytest.mark.django_db(transaction=True)
def test_existing_private_groups_are_moved_from_archived_to_unlisted(personas):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    private = make_group(personas, public=False, name="Private Circle")
    closed = make_group(personas, public=False, name="Closed Circle")
    public = make_group(personas, name="Open Circle")
    Offer.objects.filter(pk__in=[private.offer_id, closed.offer_id]).update(status=OfferStatus.ARCHIVED)
    type(closed).objects.filter(pk=closed.pk).update(status="closed")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("groups", "0003_encrypt_notes")])
        executor = MigrationExecutor(connection)
        executor.migrate([("groups", "0004_private_group_offers_unlisted")])
        statuses = dict(Offer.objects.values_list("pk", "status"))
        assert statuses[private.offer_id] == OfferStatus.UNLISTED
        assert statuses[closed.offer_id] == OfferStatus.ARCHIVED  # a closed group's listing stays archived
        assert statuses[public.offer_id] == OfferStatus.PUBLISHED
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
