from django.apps import AppConfig


class OnetooneConfig(AppConfig):
    name = "kindred.onetoone"
    label = "onetoone"
