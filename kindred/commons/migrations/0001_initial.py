from django.db import migrations


class Migration(migrations.Migration):
    """The commons app's first migration. Each mechanism adds its tables in a migration of its own after this."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
