"""The reviewers' copy of a paper: the current version under a name that reveals nobody.

The "submission-file" kind serves the author's original file name (which may contain author
names), to authors and chairs only. Reviewers download through this kind, whose name is built
from the paper number and file id alone.
"""

from mlsys.core import files


def review_copy_name(paper_file) -> str:
    return f"submission-{paper_file.submission.number}-v{paper_file.pk}.pdf"


files.register(
    "review-copy",
    model="submissions.SubmissionFile",
    field="file",
    permission="submissions.download_review_copy",
    filename=review_copy_name,
    content_type="application/pdf",
)
