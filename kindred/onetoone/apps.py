from django.apps import AppConfig


class OnetooneConfig(AppConfig):
    name = "kindred.onetoone"
    label = "onetoone"

    def ready(self) -> None:
        from . import (  # noqa: F401  (register this app's personal data and its block handler)
            export,
            facts,  # what this form tells the shared layer and the directory
            services,
        )

        facts.register()
