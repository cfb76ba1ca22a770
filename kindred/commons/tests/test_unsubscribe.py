"""The unsubscribe page every mailing links to: it names the list, leaves it on POST (one click from a mail
program too), and a link that isn't one of ours changes nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from kindred.commons import reach
from kindred.commons.models import Unsubscribe
from kindred.community.messages import DIGEST, DIGEST_TOPIC
from kindred.groups import stay
from kindred.groups.messages import NEWSLETTER, newsletter_topic
from kindred.groups.tests.core_helpers import join, make_group

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_the_page_names_the_list_and_a_post_leaves_it(personas, django_capture_on_commit_callbacks):
    url = path_of(reach.unsubscribe_url(personas.member, DIGEST_TOPIC))
    page = Client().get(url)
    assert page.status_code == 200
    assert "Stop getting the email digest of new replies?" in page.content.decode()
    assert not Unsubscribe.objects.exists()  # looking changes nothing

    done = Client().post(url)
    assert done.status_code == 200 and "You won't get these emails any more" in done.content.decode()
    assert reach.is_unsubscribed(personas.member, DIGEST_TOPIC)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reach.send(to=personas.member, kind=DIGEST, topic=DIGEST_TOPIC, title="Replies", email=True)
    assert outcome.refused == reach.REFUSED_UNSUBSCRIBED and mail.outbox == []
    again = Client().get(url)
    assert "You've already stopped getting these emails" in again.content.decode()


def test_one_click_from_a_mail_program_needs_no_csrf_token(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.member, kind=DIGEST, topic=DIGEST_TOPIC, title="Replies", body="New", email=True)
    (email,) = mail.outbox
    header = email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in email.body
    response = Client(enforce_csrf_checks=True).post(path_of(header.strip("<>")), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert reach.is_unsubscribed(personas.member, DIGEST_TOPIC)


@pytest.mark.parametrize("token", ["nonsense", "eyJwIjoiMSJ9:1abc:def", "x" * 600])
def test_a_bad_link_gets_a_kind_message_and_changes_nothing(personas, token):
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/unsubscribe/{token}/")
        assert response.status_code == 404
        assert "That link doesn't work" in response.content.decode()
    assert not Unsubscribe.objects.exists()


def test_a_link_for_a_list_kindred_doesnt_send_changes_nothing(personas):
    token = reach.unsubscribe_token(personas.member, "no.such.list")
    response = Client().post(f"/unsubscribe/{token}/")
    assert response.status_code == 404 and not Unsubscribe.objects.exists()


def test_leaving_a_newsletter_here_shows_on_the_groups_newsletter_page(personas, django_capture_on_commit_callbacks):
    group = make_group(personas)
    join(group, personas.member)
    url = path_of(reach.unsubscribe_url(personas.member, newsletter_topic(group.pk)))
    assert f"Stop getting the {group.name} newsletter?" in Client().get(url).content.decode()
    Client().post(url)
    assert not stay.is_subscribed(group, personas.member)
    assert personas.member not in stay.subscribers(group)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reach.send(
            to=personas.member, kind=NEWSLETTER, topic=newsletter_topic(group.pk), title="News", email=True
        )
    assert outcome.refused == reach.REFUSED_UNSUBSCRIBED and mail.outbox == []
