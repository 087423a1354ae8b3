"""Shared arrangements for the author-flow tests (test_author_*.py)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Conference, Deadline
from submissions import services
from submissions.models import Submission

ABSTRACT = "We overlap communication with computation in a tensor compiler and train faster."


def fresh(conference: Conference) -> Conference:
    """The conference re-read, so cached deadlines and phase switches are current."""
    return Conference.objects.get(pk=conference.pk)


def move_deadline(conference: Conference, kind: str, at) -> None:
    Deadline.objects.filter(conference=conference, kind=kind).update(at=at)


def submission_deadline(conference: Conference):
    return Deadline.objects.get(conference=conference, kind=DeadlineKind.SUBMISSION).at


def topics(conference: Conference, n: int = 2) -> list:
    return list(conference.topics.order_by("area", "order")[:n])


def register(conference, user, *, coauthors=(), track_slug="research", **kwargs) -> Submission:
    """A draft registered through the service, with ``coauthors`` as (name, email) pairs."""
    authors = [
        services.AuthorInput(name=user.name, email=user.email, affiliation="Uni", is_contact=True)
    ] + [services.AuthorInput(name=n, email=e, affiliation="Lab") for n, e in coauthors]
    params = {
        "title": "Overlapping Communication and Computation",
        "abstract": ABSTRACT,
        "topics": topics(conference),
        **kwargs,
    }
    return services.create_submission(
        conference=fresh(conference),
        actor=user,
        track=conference.tracks.get(slug=track_slug),
        authors=authors,
        **params,
    )


def pdf_upload(data: bytes, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def a_second(n: int = 1) -> timedelta:
    return timedelta(seconds=n)
