"""Load the shipped public holidays (itadesk/cycles/data/public_holidays.csv) as data the secretariat
or a superuser may then edit."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "public_holidays.csv"


def load(apps, schema_editor):
    PublicHoliday = apps.get_model("cycles", "PublicHoliday")
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            PublicHoliday.objects.get_or_create(
                year=int(row["year"]) if row["year"] else None, month=int(row["month"]), day=int(row["day"]),
                name_th=row["name_th"], defaults={"name_en": row["name_en"], "source": row["source"]})


class Migration(migrations.Migration):
    dependencies = [("cycles", "0003_round_state_holidays")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
