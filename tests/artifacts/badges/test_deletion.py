"""A stamped camera-ready is derived from an upload: deleting the paper as a whole (the only way
an upload goes) takes its stamped copies with it instead of being refused (it used to raise
ProtectedError, which blocked deleting a paper or a conference from the admin)."""

import pytest
from django.core.files.base import ContentFile

from artifacts.models import StampedPaper
from tests.artifacts.badges.conftest import final_pdf, published_artifact
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def test_deleting_a_paper_deletes_its_stamped_versions():
    conference = af.ae_conference()
    artifact = published_artifact(conference, 4)
    source = final_pdf(artifact.submission)
    StampedPaper.objects.create(
        submission=artifact.submission,
        source=source,
        status="ready",
        file=ContentFile(b"%PDF-1.7\n%%EOF\n", name="stamped.pdf"),
    )
    artifact.submission.delete()
    assert not StampedPaper.objects.exists()


def test_deleting_a_conference_with_stamped_papers_works():
    conference = af.ae_conference()
    artifact = published_artifact(conference, 5)
    StampedPaper.objects.create(
        submission=artifact.submission, source=final_pdf(artifact.submission)
    )
    # Submissions protect their tracks, so they go first (as the demo's reset does).
    conference.submissions.all().delete()
    conference.delete()
    assert not StampedPaper.objects.exists()
