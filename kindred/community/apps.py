from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "kindred.community"
    label = "community"
