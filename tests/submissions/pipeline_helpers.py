"""A draft submission with one contact author (Ada Lovelace) and an upload run through the
whole pipeline (store → check → apply the report), shared by the pipeline, reviewer-version,
review-copy and anonymity-release tests. The ``submission`` fixture built from it lives in
``tests/submissions/conftest.py``."""

from submissions import enums, pipeline
from submissions.models import Submission
from tests import factories


def make_submission(conference, user=None, *, track="research") -> Submission:
    submission = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug=track),
        number=Submission.objects.filter(conference=conference).count() + 1,
        title="Overlapping Communication",
        abstract="We overlap things.",
        status="draft",
    )
    factories.AuthorFactory(
        submission=submission,
        order=0,
        name="Ada Lovelace",
        email="ada.lovelace@engines.example",
        affiliation="Analytical Engines Ltd",
        user=user,
        is_contact=True,
    )
    return submission


def upload(submission, data: bytes, capture, *, kind=enums.FileKind.PAPER, name="paper.pdf"):
    with capture(execute=True):
        stored = pipeline.store_file(
            submission=submission, kind=kind, name=name, data_or_file=data, uploaded_by=None
        )
    stored.refresh_from_db()
    submission.refresh_from_db()
    return stored
