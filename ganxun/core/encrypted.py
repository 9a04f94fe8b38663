"""Model fields for personal data encrypted at rest (see ``core.crypto``).

``EncryptedTextField`` stores a token and hands back the plain text: code reads and writes
``cadre.id_number`` as before, for single saves, ``bulk_create``, ``update()`` and fixtures
alike. Its only lookups are ``isnull`` and — when a ``BlindIndexField`` sibling names it as
source — ``exact`` and ``in``, which run against that sibling's keyed hash. Any other lookup
(``contains``, ``startswith`` …) raises, because on ciphertext it would silently find nothing.

``BlindIndexField`` fills itself from its source on every insert and ``save()``. Code that
changes the source with ``QuerySet.update()`` or ``bulk_update()`` must set the index too.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull

from ganxun.core import crypto


class EncryptedTextField(models.TextField):
    def __init__(self, *args, blind_index: str = "", **kwargs):
        self.blind_index = blind_index  # the name of the sibling BlindIndexField, if any
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # the column is the associated data: stable across historical (migration) models
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index:
            kwargs["blind_index"] = self.blind_index
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if crypto.is_encrypted(value):
            return crypto.decrypt(value, context=self.crypto_context)
        return value  # "" stays "", and rows not yet encrypted (mid-migration) read as they are

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        if value in (None, "") or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)

    def value_to_string(self, obj):
        """Serialised (dumpdata, backups) as the token, never as plain text."""
        value = self.value_from_object(obj)
        if value in (None, "") or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if self.blind_index and lookup_name == "exact":
            return BlindExact
        if self.blind_index and lookup_name == "in":
            return BlindIn
        raise FieldError(
            f"{self.crypto_context} is encrypted: only exact lookups through its blind index "
            f"are possible, not '{lookup_name}'"
        )

    def get_transform(self, lookup_name):
        return None


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of ``source`` under the field key; unique when the source must be."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        source_field = model_instance._meta.get_field(self.source)
        value = self.hash(source_field, plain)
        setattr(model_instance, self.attname, value)
        return value

    @staticmethod
    def hash(source_field, plain):
        if plain in (None, ""):
            return None
        if crypto.is_encrypted(plain):
            plain = crypto.decrypt(plain, context=source_field.crypto_context)
        return crypto.blind_index(str(plain), context=source_field.crypto_context)


def _index_col(lhs):
    source = lhs.output_field
    if not isinstance(lhs, Col):
        raise FieldError(f"{source.crypto_context} can only be compared as a plain column")
    target = source.model._meta.get_field(source.blind_index)
    return Col(lhs.alias, target), source


def _hash(source, value):
    if hasattr(value, "resolve_expression"):
        raise FieldError(f"{source.crypto_context} cannot be compared with an expression")
    return BlindIndexField.hash(source, value)


class BlindExact(Exact):
    """``id_number=x`` → ``id_hash = hmac(x)``."""

    def __init__(self, lhs, rhs):
        col, source = _index_col(lhs)
        super().__init__(col, rhs if rhs is None else _hash(source, rhs))


class BlindIn(In):
    """``id_number__in=[…]`` → ``id_hash IN (hmac(…), …)``."""

    def __init__(self, lhs, rhs):
        col, source = _index_col(lhs)
        if hasattr(rhs, "resolve_expression"):
            raise FieldError(f"{source.crypto_context} cannot be compared with a subquery")
        super().__init__(col, [_hash(source, value) for value in rhs if value not in (None, "")])
