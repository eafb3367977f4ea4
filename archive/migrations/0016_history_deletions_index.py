"""OAI-PMH reports deleted records from the articles' history (archive/oai/records.py): a
partial index of the deletion rows by (history_date, id), so that a harvest does not read
every history row in its date range to find the few deletions among them.

Made in SQL, as the historical model's options come from django-simple-history: an index in
its migration state would have makemigrations propose to drop it. Both databases take the same
statement."""

from django.db import migrations

CREATE = (
    "CREATE INDEX historical_article_deleted ON archive_historicalarticle "
    "(history_date, id) WHERE history_type = '-'"
)
DROP = "DROP INDEX historical_article_deleted"


class Migration(migrations.Migration):
    dependencies = [("archive", "0015_article_updated_order")]

    operations = [migrations.RunSQL(CREATE, DROP)]
