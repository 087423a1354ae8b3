"""Published artifacts with awarded badges, and final PDFs that are real (WeasyPrint)."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from artifacts.models import RequestedBadge
from tests import factories
from tests.factories import artifacts as af
from tests.submissions import pdfs


def final_pdf(submission, data: bytes | None = None, *, check_status="passed"):
    """A camera-ready upload of ``submission`` (a real three-page paper unless ``data``)."""
    body = data if data is not None else pdfs.paper(pages=2, references=True)
    return factories.SubmissionFileFactory(
        submission=submission,
        kind="camera_ready",
        file=ContentFile(body, name="final.pdf"),
        size=len(body),
        check_status=check_status,
        pages=3,
    )


def award(artifact, *keys, refuse=()):
    """Set the outcomes of the artifact's requested badges (``keys`` awarded, ``refuse`` not)."""
    for rb in RequestedBadge.objects.filter(artifact=artifact).select_related("badge"):
        if rb.badge.key in keys:
            rb.outcome = "awarded"
        elif rb.badge.key in refuse:
            rb.outcome = "not_awarded"
        else:
            continue
        rb.save(update_fields=["outcome"])


def published_artifact(conference, number, *, keys=("available",), title=None, **kwargs):
    """A published artifact of paper ``number`` whose requested ``keys`` are all awarded."""
    submission = factories.SubmissionFactory(
        conference=conference, status="accepted", number=number, title=title or f"Paper {number}"
    )
    factories.AuthorFactory(submission=submission, order=0, name=f"Author {number}")
    artifact = af.ArtifactFactory(
        conference=conference,
        submission=submission,
        status="published",
        published_at=timezone.now(),
        badges=list(keys),
        **kwargs,
    )
    award(artifact, *keys)
    return artifact


@pytest.fixture
def world(db):
    """artifact_world() with the artifact published: Available and Reproduced awarded,
    Functional not."""
    w = af.artifact_world(status="published", badges=("available", "functional", "reproduced"))
    award(w.artifact, "available", "reproduced", refuse=("functional",))
    w.artifact.published_at = timezone.now()
    w.artifact.save(update_fields=["published_at"])
    return w
