"""Gapless counters: the next number of a series (case numbers per unit and year,
document numbers per unit, year and series), unique under concurrency.

The counter is a row of `model` with an integer column `last`, unique on `key`. The
UPDATE takes the row lock and holds it to the end of the caller's transaction: a
concurrent caller for the same key waits there, then reads its own increment (RETURNING:
one round trip; SQLite has it since 3.35, PostgreSQL always). A number handed out in a
transaction that rolls back is handed out again: no gaps."""

from django.db import IntegrityError, connection, transaction


def next_value(model, **key):
    """Increment the counter of `model` for `key` (field=value; a foreign key by its
    object or id) and return the new value; the first call for a key creates it at 1."""
    quote = connection.ops.quote_name
    columns, values = [], []
    for name, value in sorted(key.items()):
        columns.append(quote(model._meta.get_field(name).column))
        values.append(getattr(value, "pk", value))
    where = " AND ".join(f"{column} = %s" for column in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        # nosec B608: the table and column names are the model's own, quoted; the values are parameters.
        cursor.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE {where} RETURNING "last"', values)  # nosec B608
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic():
            model.objects.create(last=1, **key)
        return 1
    except IntegrityError:  # another caller created this counter first
        return next_value(model, **key)
