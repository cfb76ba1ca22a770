from django.apps import AppConfig


class OnetooneConfig(AppConfig):
    name = "kindred.onetoone"
    label = "onetoone"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
