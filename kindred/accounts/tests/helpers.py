"""Small helpers shared by the people-page tests."""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.core import mail

from kindred.core.models import AuditEvent

_LINK = re.compile(r"https?://\S+")


def link_in_last_email(to: str) -> str:
    """The site path of the one link in the latest email sent to `to`."""
    sent = [message for message in mail.outbox if to in message.to]
    assert sent, f"no email was sent to {to}"
    links = _LINK.findall(sent[-1].body)
    assert len(links) == 1, links
    assert links[0].startswith(settings.SITE_URL)
    return links[0].removeprefix(settings.SITE_URL)


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def too_many(response) -> bool:
    return response.status_code == 429 and "too many attempts" in response.content.decode()


def text(response) -> str:
    """The page as a person reads it: HTML entities turned back into characters."""
    return html.unescape(response.content.decode())
