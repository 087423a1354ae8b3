"""Shared arrangements for the author-flow tests (test_author_*.py)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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


def url(name, conference, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"conference": conference.slug, **kwargs})


def formset_data(prefix, rows, extra=0, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def edit_data(submission, **overrides):
    authors = [
        {
            "name": a.name,
            "email": a.email,
            "affiliation": a.affiliation,
            "ORDER": str(i),
            **({"is_contact": "on"} if a.is_contact else {}),
        }
        for i, a in enumerate(submission.authors.order_by("order"), start=1)
    ]
    data = {
        "title": submission.title,
        "abstract": submission.abstract,
        "topics": [str(t.pk) for t in submission.topics.all()],
        "version": str(submission.version),
        **formset_data("authors", authors, initial=len(authors)),
        **formset_data("conflicts", []),
    }
    data.update(overrides)
    return data


def upload_checked(submission, user, data, name="paper.pdf", capture=None):
    """Upload through the service and let the (eager) check run on commit."""
    with capture(execute=True):
        stored = services.upload_paper(
            submission=submission, actor=user, upload=pdf_upload(data, name)
        )
    stored.refresh_from_db()
    submission.refresh_from_db()
    return stored
