"""A GIN index for the public full-text search, on PostgreSQL only (SQLite, used by
`make run`, searches without it). The expression is the one proposals.search queries."""

from django.db import migrations

INDEX = "proposals_answer_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON proposals_answer "
            "USING GIN (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_publication")]

    operations = [migrations.RunPython(create, drop)]
