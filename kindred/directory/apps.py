from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "kindred.directory"
    label = "directory"
