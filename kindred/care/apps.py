from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kindred.care"
    label = "care"
    verbose_name = "Supporter care and incidents"

    def ready(self) -> None:
        from . import (
            export,  # noqa: F401  (registers this app's personal data)
            signals,  # noqa: F401  (access to the facilitators' network follows roles)
        )
