from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kindred.safety"
    label = "safety"
