"""The one helper services call to write the audit log."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from mlsys.core.models import AuditEvent


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj``, JSON-friendly, for a later :func:`diff`."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], obj: models.Model) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields of ``before`` whose value on ``obj`` changed."""
    changes = {}
    for name, old in before.items():
        new = _jsonable(getattr(obj, name))
        if new != old:
            changes[name] = [old, new]
    return changes


def created(obj: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    """Audit changes for a new row: every field from nothing to its value."""
    return {name: [None, value] for name, value in snapshot(obj, fields).items()}


def deleted(obj: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    """Audit changes for a deleted row: every field from its value to nothing."""
    return {name: [value, None] for name, value in snapshot(obj, fields).items()}


def record(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    conference=None,
    changes: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event. Call inside the transaction of the change it describes."""
    if conference is None and target is not None:
        conference = _conference_of(target)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        conference=conference,
        changes=changes or {},
        note=note,
    )


def _conference_of(obj: models.Model):
    """The target itself when it is a conference (the model ``AuditEvent.conference`` points
    at, so core names no conference code), else its ``conference`` attribute, if any."""
    if isinstance(obj, AuditEvent._meta.get_field("conference").related_model):
        return obj
    return getattr(obj, "conference", None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, type(None), list, dict)):
        return value
    return str(value)
