from django.apps import AppConfig


class CommonsConfig(AppConfig):
    name = "kindred.commons"
    label = "commons"
    verbose_name = "Kindred commons"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
