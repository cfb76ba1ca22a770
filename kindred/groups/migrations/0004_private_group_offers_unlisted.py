# A private group's directory listing was stored as "archived" ("No longer running"), which is what a closed
# group's listing is. It is now "unlisted": hidden from the public directory, and not described as closed.

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    Offer = apps.get_model("directory", "Offer")
    private_running = Group.objects.filter(is_public=False).exclude(status="closed").values("offer_id")
    Offer.objects.filter(pk__in=private_running, status="archived").update(status="unlisted")


def backwards(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    Offer = apps.get_model("directory", "Offer")
    private = Group.objects.filter(is_public=False).values("offer_id")
    Offer.objects.filter(pk__in=private, status="unlisted").update(status="archived")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_offer_status_unlisted"),
        ("groups", "0003_encrypt_notes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
