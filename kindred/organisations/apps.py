from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kindred.organisations"
    label = "organisations"
