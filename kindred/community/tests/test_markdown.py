"""Light formatting is sanitised: script injection does nothing, links are safe and marked as user content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.community.markdown import render
from kindred.testing.clients import client_for

from .core_helpers import make_space, make_thread

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="https://e.com" onclick="alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<svg onload="alert(1)">',
]


@pytest.mark.parametrize("source", ATTACKS)
def test_attacks_render_as_harmless_text(source):
    out = render(source)
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered and "<svg" not in lowered
    assert "onerror=" not in lowered.replace("&quot;", "") or "&lt;" in out
    assert 'href="javascript' not in lowered and 'href="data' not in lowered
    assert 'onclick="' not in lowered.split("&lt;")[0]


def test_light_formatting_and_safe_links():
    out = render("**bold** and *soft*\n\n- one\n- two\n\n[Mind](https://www.mind.org.uk)")
    assert "<strong>bold</strong>" in out and "<em>soft</em>" in out and "<li>one</li>" in out
    assert '<a href="https://www.mind.org.uk" rel="nofollow noopener ugc">Mind</a>' in out


def test_script_in_a_post_does_nothing_on_the_page(personas):
    space = make_space(personas)
    thread = make_thread(space, personas.member, body="Hello <script>alert('pwned')</script> world")
    page = client_for(personas.peer).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
