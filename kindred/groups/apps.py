from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "kindred.groups"
    label = "groups"

    def ready(self) -> None:
        from . import (
            export,  # noqa: F401  (registers this app's personal data)
            facts,  # what this form tells the shared layer and the directory
            organisation_closure,  # noqa: F401  (registers what happens when an organisation closes)
        )

        facts.register()
