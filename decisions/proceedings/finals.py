"""The final (camera-ready) PDF of an accepted paper, as the proceedings read it.

The final version is decisions.camera_ready's: the newest camera-ready upload that passed its
check (``final_pdf`` / ``final_pdfs`` there). Everything in the proceedings reads final PDFs
through this module only. ``final_pdf_ids`` is ``set(final_pdfs(c))`` read without building a
model instance per file (the page and the exports need only which papers have one: 10,000
instances cost a quarter of a second); it is tested equal to that.
"""

from __future__ import annotations

from decisions.camera_ready.queries import final_pdf, final_pdfs, usable_camera_readies
from submissions.enums import Status

__all__ = ["final_pdf", "final_pdf_ids", "final_pdfs"]


def final_pdf_ids(conference) -> set[int]:
    """Ids of the accepted papers of ``conference`` that have a final PDF (one query)."""
    return set(
        usable_camera_readies()
        .filter(submission__conference=conference, submission__status=Status.ACCEPTED)
        .order_by()
        .values_list("submission_id", flat=True)
        .distinct()
    )
