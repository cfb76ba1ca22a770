from django.apps import AppConfig


class OnetooneConfig(AppConfig):
    name = "kindred.onetoone"
    label = "onetoone"

    def ready(self) -> None:
        from . import export, services  # noqa: F401  (register this app's personal data and its block handler)
