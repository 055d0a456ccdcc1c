"""The person tokens of rest_framework.authtoken, no longer installed: their table, left
in databases made before, would stop the deletion of an account that still has a row
there (its foreign key). Nothing to do on a new database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("briefing", "0015_webhook_security_events")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
