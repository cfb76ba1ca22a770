"""Daily upkeep for groups: meetings a year ahead, follow-ups after first meetings, rota gaps.

Idempotent: running it twice in a day changes nothing the second time. Schedule it once a day (e.g. cron
at 08:00 so prompts arrive in the morning); a missed day is caught up on the next run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kindred.groups.closure import between_meetings_daily
from kindred.groups.services import groups_daily


class Command(BaseCommand):
    help = "Expand meetings a year ahead, prompt first-meeting follow-ups and tell co-facilitators of rota gaps."

    def handle(self, *args: Any, **options: Any) -> None:
        result = groups_daily()
        self.stdout.write(
            f"Meetings created: {result['meetings_created']}. Follow-up prompts: {result['follow_ups']}. "
            f"Rota gap notices: {result['rota_gap_notices']}."
        )
        between = between_meetings_daily()  # absence check-ins and scheduled closures
        self.stdout.write(
            f"Absence check-in prompts: {between['absence_prompts']}. Groups closed: {between['groups_closed']}."
        )
