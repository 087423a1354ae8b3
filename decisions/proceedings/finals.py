"""The final (camera-ready) PDF of an accepted paper, as the proceedings read it.

A stand-in until decisions.camera_ready lands: the newest camera-ready upload whose check left
it usable (``submissions.enums.USABLE``). Everything in the proceedings reads final PDFs through
this module only, so pointing ``final_pdf`` and ``final_pdfs`` at
``decisions.camera_ready.queries`` is one edit. ``final_pdf_ids`` is ``set(final_pdfs(c))``
read without building a model instance per file (the page and the exports need only which
papers have one: 10,000 instances cost a quarter of a second); keep it equal to that.
"""

from __future__ import annotations

from submissions.enums import USABLE, FileKind
from submissions.models import Submission, SubmissionFile


def _usable_finals():
    return SubmissionFile.objects.filter(kind=FileKind.CAMERA_READY, check_status__in=USABLE).defer(
        "text", "report"
    )


def final_pdf(submission: Submission) -> SubmissionFile | None:
    """The paper's final PDF, or None."""
    return _usable_finals().filter(submission=submission).order_by("-created_at", "-pk").first()


def final_pdfs(conference) -> dict[int, SubmissionFile]:
    """``{submission id: final PDF}`` for every paper of ``conference`` that has one (one query)."""
    finals: dict[int, SubmissionFile] = {}
    for paper_file in (
        _usable_finals()
        .filter(submission__conference=conference)
        .order_by("submission_id", "-created_at", "-pk")
    ):
        finals.setdefault(paper_file.submission_id, paper_file)
    return finals


def final_pdf_ids(conference) -> set[int]:
    """Ids of the papers of ``conference`` that have a final PDF (one query, no instances)."""
    return set(
        _usable_finals()
        .filter(submission__conference=conference)
        .values_list("submission_id", flat=True)
        .distinct()
    )
