"""Full-text indexes on replies, one per language, PostgreSQL only.

Written by hand: the expressions must be exactly those monitoring.search queries with
(`to_tsvector('<config>', text)` without COALESCE), and SQLite has no GIN indexes.
"""

from django.db import migrations

# (index name, reply language, text-search configuration)
INDEXES = [
    ("reply_text_fts_en", "en", "english"),
    ("reply_text_fts_fr", "fr", "french"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, language, config in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX {name} ON monitoring_reply USING gin (to_tsvector('{config}', text)) "
            f"WHERE language = '{language}'"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _language, _config in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
