from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "kindred.directory"
    label = "directory"

    def ready(self) -> None:
        from . import export  # noqa: F401  (registers this app's personal data)
        from .fts import heal_after_migrate

        # Keeps the search index's SQLite triggers in place after any table rebuild (see fts.py).
        post_migrate.connect(heal_after_migrate, sender=self, dispatch_uid="directory_fts_heal")
