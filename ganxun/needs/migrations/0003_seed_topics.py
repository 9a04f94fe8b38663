"""Seed the taxonomy of need topics from the shipped file; administrators edit it afterwards."""

import json
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def seed(apps, schema_editor):
    NeedTopic = apps.get_model("needs", "NeedTopic")
    if NeedTopic.objects.exists():
        return
    topics = json.loads(SHIPPED.read_text(encoding="utf-8"))["topics"]
    NeedTopic.objects.bulk_create(
        NeedTopic(
            code=t["code"],
            name=t["name"],
            keywords="\n".join(t.get("keywords", [])),
            synonyms="\n".join(t.get("synonyms", [])),
            examples="\n".join(t.get("examples", [])),
            position=i,
        )
        for i, t in enumerate(topics)
    )


class Migration(migrations.Migration):
    dependencies = [("needs", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
