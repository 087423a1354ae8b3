"""Permission-checked file serving.

No uploaded file has a public URL. An app registers each kind of file it stores once::

    files.register("paper", model="submissions.SubmissionFile", field="file",
                   permission="submissions.download_submissionfile")

and links to it with ``files.url_for("paper", obj)``. The view answers 404 both for objects that
don't exist and for objects the user may not download, so probing reveals nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import reverse


@dataclass(frozen=True)
class FileKind:
    model: str
    field: str
    permission: str
    filename: Callable[[models.Model], str] | None = None
    content_type: str | None = None

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)


_registry: dict[str, FileKind] = {}


def register(
    kind: str,
    *,
    model: str,
    field: str,
    permission: str,
    filename: Callable[[models.Model], str] | None = None,
    content_type: str | None = None,
) -> None:
    _registry[kind] = FileKind(model, field, permission, filename, content_type)


def get_kind(kind: str) -> FileKind | None:
    return _registry.get(kind)


def url_for(kind: str, obj: models.Model, *, download: bool = False) -> str:
    url = reverse("protected_file", kwargs={"kind": kind, "pk": obj.pk})
    return f"{url}?download=1" if download else url
