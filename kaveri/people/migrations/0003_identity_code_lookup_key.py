"""Identity codes are looked up through a keyed hash (people.lookup_key): a new unique
column `hetu_key`, filled for the clients already registered, and the plain column's own
unique index dropped, so that no index holds a person's code."""

from django.db import migrations, models

import kaveri.people.validators
from kaveri.people.lookup_key import identity_key

BATCH = 2000


def fill_keys(apps, schema_editor):
    Client = apps.get_model("people", "Client")
    batch = []
    for client in Client.objects.only("pk", "hetu").iterator(chunk_size=BATCH):
        client.hetu_key = identity_key(client.hetu)
        batch.append(client)
        if len(batch) == BATCH:
            Client.objects.bulk_update(batch, ["hetu_key"])
            batch = []
    Client.objects.bulk_update(batch, ["hetu_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_name_search_trigrams")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="hetu_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="client",
            name="hetu_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="client",
            name="hetu",
            field=models.CharField(
                max_length=11,
                validators=[kaveri.people.validators.validate_hetu],
                verbose_name="personal identity code",
            ),
        ),
    ]
