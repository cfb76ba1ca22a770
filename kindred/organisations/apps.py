from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kindred.organisations"
    label = "organisations"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
