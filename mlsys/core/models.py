"""What two or more apps share: the base model and the audit log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from rules.contrib.models import RulesModelBase, RulesModelMixin


class BaseModel(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    """Timestamps plus django-rules object permissions.

    Subclasses declare ``Meta.rules_permissions = {"view": rules.is_x, ...}``; views and API
    viewsets then name ``"<app>.<action>_<model>"`` and never test roles themselves.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing somebody (or the system) did to one object, with the fields it changed.

    Written by services through :func:`mlsys.core.audit.record`, in the same transaction as the
    change it describes. Never updated or deleted by the application.
    """

    conference = models.ForeignKey(
        "conferences.Conference",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Heartbeat(models.Model):
    """When a worker last ran ``core.heartbeat`` from one queue (mlsys.core.tasks).

    One row per queue, overwritten every minute. In the database rather than the cache: the
    default cache is per process, and the web process must see what the worker wrote."""

    queue = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.queue} at {self.at:%Y-%m-%d %H:%M:%S}"
