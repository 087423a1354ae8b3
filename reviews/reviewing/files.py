"""The reviewers' copy of a paper: the current version under a name that reveals nobody.

The "submission-file" kind serves the author's original file name (which may contain author
names), to authors and chairs only. Reviewers download through this kind, whose name is built
from the paper number and file id alone. On an anonymous track it serves only the anonymised
copy the PDF check wrote (no document info, no XMP); without one it answers 404 rather than
fall back to the original, whose metadata may name the authors. Open tracks fall back to the
original.
"""

from mlsys.core import files


def review_copy_name(paper_file) -> str:
    return f"submission-{paper_file.submission.number}-v{paper_file.pk}.pdf"


files.register(
    "review-copy",
    model="submissions.SubmissionFile",
    # SubmissionFile.reviewer_file: review_copy, else the original on open tracks only.
    field="reviewer_file",
    permission="submissions.download_review_copy",
    filename=review_copy_name,
    content_type="application/pdf",
)
