"""Model fields for personal data: plain values in Python, ciphertext in the database
(xinfang/lib/crypto.py), and the keyed hash beside it that exact lookups use."""

import logging

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto

log = logging.getLogger(__name__)


class EncryptedTextField(models.TextField):
    """A text column stored as an AES-GCM token. Reading gives the plain value (or an
    `Unreadable` notice when its key is missing: one bad row never breaks a page);
    writing encrypts under the current key. It cannot be searched: filter on its
    `LookupHashField` instead. The only lookups are `isnull` and `= ""`."""

    description = "Encrypted text"

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.purpose = purpose(cls._meta.label_lower, name)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return crypto.decrypt(value, purpose=self.purpose)
        except crypto.CryptoError as error:
            log.error("cannot decrypt %s of a row: %s", self.purpose, error)
            return crypto.Unreadable(value, str(error).split(" / ")[0])

    def get_prep_value(self, value):
        if isinstance(value, crypto.Unreadable):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_token(value):
            return value  # a token already (loaddata of a dump): stored as it is
        return crypto.encrypt(value, purpose=self.purpose)

    def value_to_string(self, obj):
        # dumpdata writes tokens, never plain values: a dump is as safe as a backup, and
        # as useless without the key file.
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None


class EmptyOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} 已加密，不能按值查询，请用其摘要列 / "
                             f"{self.lhs.target.name} is encrypted: filter on its lookup hash instead.")
        return self.rhs


class LookupHashField(models.CharField):
    """The keyed hash of another field's normalised value, kept in step on every save
    (and bulk_create): what "find the petitioner by ID number or phone" queries. The model
    indexes it in Meta (a plain btree: hashes are matched whole, never by prefix)."""

    def __init__(self, *args, source, kind, **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", crypto.HASH_CHARS)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        if crypto.is_token(value) and not isinstance(value, crypto.Unreadable):
            try:  # a token set as it is (loaddata): hash what it holds
                value = crypto.decrypt(value, purpose=model_instance._meta.get_field(self.source).purpose)
            except crypto.CryptoError:
                value = crypto.Unreadable(value, "")
        if isinstance(value, crypto.Unreadable):
            return getattr(model_instance, self.attname)  # cannot recompute: keep what is stored
        hashed = crypto.lookup_hash(self.kind, value)
        setattr(model_instance, self.attname, hashed)
        return hashed


def purpose(label, name):
    """The associated data that binds a token to its column."""
    return f"{label}.{name}"
