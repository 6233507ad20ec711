from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evidence', '0002_checkjob_heartbeat'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkjob',
            name='part',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='checkjob',
            name='parts',
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
