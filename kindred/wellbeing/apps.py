from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "kindred.wellbeing"
    label = "wellbeing"
    verbose_name = "Well-being check-ins"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
