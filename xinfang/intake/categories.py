"""The category tree, read once per process and kept for a minute.

Registration names a category on every petition, and the similar-petition lookup asks for
a category's family; the tree has a few dozen rows that change a few times a year. A
process sees its own changes at once (the model signals below), other processes within
`CHECK_SECONDS`, and a code it has never seen sends it back to the database at once, so a
category added in the admin is usable in the next request everywhere. A deactivated one
can still be chosen in another process for up to a minute.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Category

CHECK_SECONDS = 60


class _Tree:
    def __init__(self):
        self._lock = threading.Lock()
        self._rows = None  # {pk: Category}, active or not, parents attached
        self._loaded = 0.0

    def stale(self):
        with self._lock:
            self._rows = None

    def _all(self, reload=False):
        with self._lock:
            if reload or self._rows is None or time.monotonic() - self._loaded > CHECK_SECONDS:
                rows = {c.pk: c for c in Category.objects.all()}
                for c in rows.values():
                    if c.parent_id in rows:
                        c.parent = rows[c.parent_id]  # one shared parent object: no query on .parent
                self._rows, self._loaded = rows, time.monotonic()
            return self._rows

    def active(self):
        """{code: Category} of the active categories."""
        return {c.code: c for c in self._all().values() if c.is_active}

    def find(self, value):
        """The active category whose code (or else name) is `value`, or None."""
        value = str(value)
        for reload in (False, True):
            rows = self._all(reload=reload).values()
            found = next((c for c in rows if c.is_active and c.code == value), None) or next(
                (c for c in rows if c.is_active and c.name == value), None)
            if found is not None:
                return found
        return None

    def family(self, category):
        """Primary keys of `category`'s top-level category and all its children (active or
        not: cases keep the category they were given)."""
        top = category.parent_id or category.pk
        return [c.pk for c in self._all().values() if c.pk == top or c.parent_id == top]


tree = _Tree()


@receiver([post_save, post_delete], sender=Category)
def _category_changed(**kwargs):
    tree.stale()
