from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "kindred.journey"
    label = "journey"
