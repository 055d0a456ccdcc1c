from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0011_webhooks"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
