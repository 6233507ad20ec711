"""Anonymity against differencing: results released in batches, abuse marks as counters, and on
SQLite responses stored without a rowid (so their physical order is that of their random ids, not of
their arrival). See docs/questionnaires.md, "Threat model"."""

import json

from django.db import migrations, models
from django.db.models import Count, Min


def merge_marks(apps, schema_editor):
    """One counter per (questionnaire, network, bucket) instead of one row per response."""
    AbuseMark = apps.get_model("questionnaires", "AbuseMark")
    groups = (AbuseMark.objects.values("questionnaire_id", "network_hash", "bucket")
              .annotate(n=Count("id"), keep=Min("id")).filter(n__gt=1))
    for g in groups:
        same = AbuseMark.objects.filter(questionnaire_id=g["questionnaire_id"], network_hash=g["network_hash"],
                                        bucket=g["bucket"])
        same.exclude(pk=g["keep"]).delete()
        same.update(count=g["n"])


def release_what_was_shown(apps, schema_editor):
    """Open questionnaires showed every response so far: that becomes their first release."""
    Questionnaire = apps.get_model("questionnaires", "Questionnaire")
    Response = apps.get_model("questionnaires", "Response")
    for q in Questionnaire.objects.filter(state="published"):
        rows = list(Response.objects.filter(questionnaire=q).values_list("answers", flat=True))
        rows.sort(key=lambda a: json.dumps(a, sort_keys=True, ensure_ascii=False))
        Questionnaire.objects.filter(pk=q.pk).update(released_answers=rows, released_count=len(rows))


def responses_without_rowid(apps, schema_editor):
    """SQLite: rebuild the response table as WITHOUT ROWID (rows kept in the order of their random
    primary key; no hidden arrival counter). PostgreSQL has no such option (see the threat model)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    table = "questionnaires_response"
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        create = cur.fetchone()[0]
        cur.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table])
        indexes = [row[0] for row in cur.fetchall()]
    if "WITHOUT ROWID" in create.upper():
        return
    new = f"{table}__new"
    schema_editor.execute(create.replace(f'"{table}"', f'"{new}"', 1) + " WITHOUT ROWID")
    schema_editor.execute(f'INSERT INTO "{new}" SELECT * FROM "{table}"')
    schema_editor.execute(f'DROP TABLE "{table}"')
    schema_editor.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for sql in indexes:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='abusemark',
            name='count',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='questionnaire',
            name='released_answers',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='questionnaire',
            name='released_count',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(merge_marks, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='abusemark',
            constraint=models.UniqueConstraint(fields=('questionnaire', 'network_hash', 'bucket'), name='abusemark_counter'),
        ),
        migrations.RunPython(release_what_was_shown, migrations.RunPython.noop),
        migrations.RunPython(responses_without_rowid, migrations.RunPython.noop),
    ]
