from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "kindred.wellbeing"
    label = "wellbeing"
    verbose_name = "Well-being check-ins"
