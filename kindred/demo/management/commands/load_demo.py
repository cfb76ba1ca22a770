from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from kindred.demo import world


class Command(BaseCommand):
    help = "Load the demo world: three organisations and about thirty people. Safe to run more than once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every demo account and organisation first, undoing changes made while trying the demo.",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        # OutputWrapper is a text stream wrapping the real one; the loaders only write() to it.
        world.load(cast(TextIO, self.stdout), reset=reset)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {world.DEMO_PASSWORD}):")
        width = max(len(world.demo_email(login)) for login, _ in world.DOCUMENTED_LOGINS)
        for login, who in world.DOCUMENTED_LOGINS:
            self.stdout.write(f"  {world.demo_email(login):<{width}}  {who}")
