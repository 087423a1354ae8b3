"""The final (camera-ready) PDF of an accepted paper, as the proceedings read it.

The final version is decisions.camera_ready's: the newest camera-ready upload that passed its
check (``final_pdf`` / ``final_pdfs`` there). Everything in the proceedings reads final PDFs
through this module only. ``final_pdf_ids`` is ``set(final_pdfs(c))`` read without building a
model instance per file (the page and the exports need only which papers have one: 10,000
instances cost a quarter of a second); it is tested equal to that.

The ZIP of final PDFs may carry another version of a paper's final PDF: an app above (artifacts,
which stamps the awarded badges onto the first page) registers a provider with
:func:`register_version` (decisions does not import it)::

    finals.register_version(provider)  # provider(conference, finals) -> {submission id: file}

``finals`` is :func:`final_pdfs`' answer; the provider answers a stored file (a ``FieldFile``)
for the papers whose *current* final PDF has such a version. :func:`bundle_files` merges them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from decisions.camera_ready.queries import final_pdf, final_pdfs, usable_camera_readies
from submissions.enums import Status
from submissions.models import SubmissionFile

__all__ = [
    "bundle_files",
    "final_pdf",
    "final_pdf_ids",
    "final_pdfs",
    "register_version",
    "unregister_version",
]

VersionProvider = Callable[[Any, Mapping[int, SubmissionFile]], Mapping[int, Any]]

_versions: list[VersionProvider] = []


def register_version(provider: VersionProvider) -> None:
    """Add ``provider`` (registering it twice keeps one)."""
    if provider not in _versions:
        _versions.append(provider)


def unregister_version(provider: VersionProvider) -> None:
    if provider in _versions:
        _versions.remove(provider)


def bundle_files(conference, finals: Mapping[int, SubmissionFile]) -> dict[int, Any]:
    """{submission id: the stored file the ZIP takes for it}: the final PDF's own file, or the
    version a registered provider gives (the first provider that answers for a paper wins)."""
    chosen: dict[int, Any] = {pk: file.file for pk, file in finals.items()}
    replaced: set[int] = set()
    for provider in _versions:
        for pk, stored in provider(conference, finals).items():
            if pk in chosen and pk not in replaced and stored:
                chosen[pk] = stored
                replaced.add(pk)
    return chosen


def final_pdf_ids(conference) -> set[int]:
    """Ids of the accepted papers of ``conference`` that have a final PDF (one query)."""
    return set(
        usable_camera_readies()
        .filter(submission__conference=conference, submission__status=Status.ACCEPTED)
        .order_by()
        .values_list("submission_id", flat=True)
        .distinct()
    )
