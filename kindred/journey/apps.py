from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "kindred.journey"
    label = "journey"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
