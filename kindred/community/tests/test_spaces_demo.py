from __future__ import annotations

import io

import pytest

from kindred.care.models import FacilitatorsNetwork
from kindred.community.models import Post, Report, Space
from kindred.demo import world
from kindred.demo.community import SPACES, load_community

pytestmark = pytest.mark.django_db


def topic_spaces():
    """The demo's spaces, leaving out the facilitators' network space that supporter care adds."""
    return Space.objects.exclude(pk__in=FacilitatorsNetwork.objects.values("space"))


def test_demo_spaces_load_once_with_threads_replies_and_reports():
    world.load(io.StringIO())
    load_community(io.StringIO())
    assert topic_spaces().count() == len(SPACES)
    assert Post.objects.filter(is_opening=False).count() >= 8
    assert Report.objects.filter(status="open").count() >= 2
    network = Space.objects.get(name="Northern Creative Corner")
    assert network.partner_organisations.count() == 2 and network.offer is not None
    assert Space.objects.get(name="Low Mood Online").offer.slug == "low-mood-online"
    assert load_community(io.StringIO()) == 0
    assert topic_spaces().count() == len(SPACES)
