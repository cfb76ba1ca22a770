from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world and `manage.py load_demo`. It has no models of its own."""

    name = "kindred.demo"
    label = "demo"
