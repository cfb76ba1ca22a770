from django.apps import AppConfig


class CommonsConfig(AppConfig):
    name = "kindred.commons"
    label = "commons"
    verbose_name = "Kindred commons"
