"""Shared arrangements of the review-writing tests (test_review_*, test_external*)."""

import io

from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfWriter

from reviews.models import Assignment
from tests import factories
from tests.factories import PASSWORD

FULL_ANSWERS = {
    "summary": "The paper proposes sparse kernels.",
    "strengths": "Clear **evaluation**.",
    "weaknesses": "Only one GPU.",
    "ml_contribution": "3",
    "systems_contribution": "4",
    "reproducibility": "3",
    "overall_merit": "4",
    "confidence": "3",
}


def login(client, user) -> None:
    assert client.login(email=user.email, password=PASSWORD)


def real_pdf(author_name: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if author_name:
        writer.add_metadata({"/Author": author_name})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_paper(conference, author, *, track="research", title="Sparse kernels for LLMs"):
    paper = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug=track),
        title=title,
        authors=[author],
    )
    paper.topics.set(conference.topics.filter(name__in=["LLMs", "Compilers"]))
    pdf = factories.SubmissionFileFactory(
        submission=paper,
        file=ContentFile(real_pdf(), name="paper.pdf"),
        # What the pipeline writes for anonymous tracks (tests/submissions/test_review_copy.py).
        review_copy=ContentFile(real_pdf(), name="review-copy.pdf"),
        original_name="ada-author-sparse-kernels.pdf",
    )
    # What the pipeline sets for a version that passed: it counts, and reviewers get it.
    paper.current_paper = paper.reviewer_paper = pdf
    paper.save(update_fields=["current_paper", "reviewer_paper"])
    return paper


def assign(paper, reviewer, *, released=True, kind="manual") -> Assignment:
    return factories.AssignmentFactory(
        submission=paper, reviewer=reviewer, released=released, kind=kind
    )


def url(name: str, paper, **kwargs) -> str:
    return reverse(
        f"reviews:{name}",
        kwargs={"conference": paper.conference.slug, "number": paper.number, **kwargs},
    )
