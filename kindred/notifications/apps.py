from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kindred.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
