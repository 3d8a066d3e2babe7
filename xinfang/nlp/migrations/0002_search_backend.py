"""The full-text index behind SearchDocument, in each database's own way.

SQLite: an FTS5 table over the document's words (external content: the words are stored
once, in nlp_searchdocument), kept in step by triggers. The words are already cut by
jieba and joined by spaces, so FTS5's unicode61 tokenizer only splits at the spaces.

PostgreSQL: a stored generated tsvector of the same words (array_to_tsvector, so no text
search parser or dictionary touches them: the `simple` behaviour, exactly) with a GIN
index, for the body and for the names.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS nlp_search_fts USING fts5(body, names, content='nlp_searchdocument', content_rowid='case_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS nlp_search_ai AFTER INSERT ON nlp_searchdocument BEGIN "
    "INSERT INTO nlp_search_fts(rowid, body, names) VALUES (new.case_id, new.body, new.names); END",
    "CREATE TRIGGER IF NOT EXISTS nlp_search_ad AFTER DELETE ON nlp_searchdocument BEGIN "
    "INSERT INTO nlp_search_fts(nlp_search_fts, rowid, body, names) VALUES ('delete', old.case_id, old.body, old.names); END",
    "CREATE TRIGGER IF NOT EXISTS nlp_search_au AFTER UPDATE ON nlp_searchdocument BEGIN "
    "INSERT INTO nlp_search_fts(nlp_search_fts, rowid, body, names) VALUES ('delete', old.case_id, old.body, old.names); "
    "INSERT INTO nlp_search_fts(rowid, body, names) VALUES (new.case_id, new.body, new.names); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS nlp_search_au", "DROP TRIGGER IF EXISTS nlp_search_ad", "DROP TRIGGER IF EXISTS nlp_search_ai",
    "DROP TABLE IF EXISTS nlp_search_fts",
]
POSTGRES = [
    "ALTER TABLE nlp_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS "
    "(array_to_tsvector(array_remove(string_to_array(body, ' '), ''))) STORED",
    "ALTER TABLE nlp_searchdocument ADD COLUMN names_document tsvector GENERATED ALWAYS AS "
    "(array_to_tsvector(array_remove(string_to_array(names, ' '), ''))) STORED",
    "CREATE INDEX nlp_search_document_gin ON nlp_searchdocument USING gin (document)",
    "CREATE INDEX nlp_search_names_gin ON nlp_searchdocument USING gin (names_document)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS nlp_search_names_gin", "DROP INDEX IF EXISTS nlp_search_document_gin",
    "ALTER TABLE nlp_searchdocument DROP COLUMN IF EXISTS names_document",
    "ALTER TABLE nlp_searchdocument DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("nlp", "0001_initial")]
    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}), _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
