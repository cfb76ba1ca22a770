"""Send the daily email digest of new replies in followed conversations, and tidy chat presence left behind by
chat workers that stopped without saying goodbye. Safe to run as often as you like."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kindred.community.chat import presence_expire
from kindred.community.services import digest_send


class Command(BaseCommand):
    help = "Email people who asked for it the new replies in conversations they follow (respects quiet hours)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send()
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
        stale = presence_expire()
        if stale:
            self.stdout.write(f"Cleared {stale} stale chat presence record{'s' if stale != 1 else ''}.")
