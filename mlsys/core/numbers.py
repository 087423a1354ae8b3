"""Whole numbers typed by people or sent by clients: ASCII digits only, within what the database
stores (a signed 64-bit integer).

``str.isdigit()`` is true for ``²`` and ``①``, which ``int()`` then refuses (a 500), and an
integer past 2**63 overflows the database driver (``OverflowError`` on SQLite, an error on
PostgreSQL). Every place that turns text into an integer or looks a row up by a client's id
goes through here instead, so bad input is a form error or a 400.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters import fields as filter_fields

MAX_INT = 2**63 - 1
_UNSIGNED = re.compile(r"[0-9]+\Z")
_SIGNED = re.compile(r"-?[0-9]+\Z")


def parse_int(value, *, signed: bool = True) -> int | None:
    """The integer ``value`` spells in ASCII digits (an optional ``-`` when ``signed``), or
    ``None`` when it is anything else or does not fit in 64 bits. Ints pass through the same
    range check; bools are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (_SIGNED if signed else _UNSIGNED).match(text) or len(text) > 20:
            return None
        number = int(text)
    else:
        return None
    if not signed and number < 0:
        return None
    return number if -MAX_INT - 1 <= number <= MAX_INT else None


def parse_id(value) -> int | None:
    """A row id or number: ASCII digits, ``0 <= id < 2**63``; otherwise ``None``."""
    return parse_int(value, signed=False)


NOT_DIGITS = "Enter a whole number (digits 0-9)."
TOO_LARGE = "This number is too large (it must be below 2^63)."


def id_error(value) -> str:
    """Why :func:`parse_id` refused ``value``, in words: all digits but past the 64-bit range
    is "too large", not "enter digits"."""
    return TOO_LARGE if _UNSIGNED.match(str(value).strip()) else NOT_DIGITS


class IdMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    """A multiple model choice by primary key that refuses ids that cannot be one (``²``,
    ``-1``, ``2**64``) with the usual "not a valid value" error instead of a database error."""

    def _check_values(self, value):
        if not self.to_field_name and isinstance(value, (list, tuple)):
            for pk in value:
                if pk != self.null_value and parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class IdChoiceField(filter_fields.ModelChoiceField):
    """The single-choice counterpart of :class:`IdMultipleChoiceField`."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not self.to_field_name
            and not isinstance(value, self.queryset.model)
            and value != self.null_value
            and parse_id(value) is None
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdMultipleChoiceField


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class IdFormField(forms.IntegerField):
    """An id typed into a form or a query string: ASCII digits in the database's range."""

    default_error_messages = {"invalid": NOT_DIGITS, "too_large": TOO_LARGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(str(value))
        if number is None:
            if id_error(value) == TOO_LARGE:
                raise ValidationError(self.error_messages["too_large"], code="too_large")
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
