"""Send the well-being check-in reminders that are due. Idempotent: run it hourly (or daily) from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kindred.wellbeing.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Send well-being check-in reminders that are due: never more often than each person chose, not if they "
        "checked in recently, and not in their quiet hours (the next run after quiet hours sends it). "
        "Safe to run as often as you like; hourly is best."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send_due()
        self.stdout.write(f"Sent {sent} well-being reminder{'s' if sent != 1 else ''}.")
