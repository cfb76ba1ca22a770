from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kindred.care"
    label = "care"
    verbose_name = "Supporter care and incidents"
