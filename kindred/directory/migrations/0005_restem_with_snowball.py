"""Search stems come from the one Snowball stemmer now (kindred.core.stemming): re-stem every offer's index."""

from django.db import migrations

from kindred.directory.text import document_for


def restem(apps, schema_editor):
    Offer = apps.get_model("directory", "Offer")
    for offer in Offer.objects.all().iterator():
        offer.search_title, offer.search_body = document_for(offer)
        offer.save(update_fields=["search_title", "search_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_offer_status_unlisted"),
    ]

    operations = [
        migrations.RunPython(restem, migrations.RunPython.noop),
    ]
