"""The authors' "Artifacts" part of the home page (registered in ArtifactsConfig.ready): per
conference running AE, the visitor's accepted papers, each with "Register an artifact" or its
artifact's status and a link. One query whatever the number of papers and conferences."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from artifacts.models import AESettings
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.homepage import LIMIT, Section
from mlsys.conferences.models import Deadline
from submissions.enums import Status
from submissions.models import Author, Submission


def artifact_papers(user):
    """``user``'s accepted papers at unarchived conferences running AE, with their artifact."""
    return (
        Submission.objects.filter(
            Exists(Author.objects.filter(submission=OuterRef("pk"), user=user)),
            Exists(AESettings.objects.filter(conference=OuterRef("conference"), enabled=True)),
            status=Status.ACCEPTED,
            conference__archived_at__isnull=True,
        )
        .annotate(
            registration_closes=Subquery(
                Deadline.objects.filter(
                    conference=OuterRef("conference"), kind=DeadlineKind.AE_REGISTRATION
                ).values("at")[:1]
            )
        )
        .select_related("conference", "artifact")
        .order_by("-conference_id", "number")
    )


def artifacts_section(request) -> list[Section] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    by_conference: dict[int, list] = {}
    for paper in artifact_papers(user):
        closes = paper.registration_closes
        paper.registration_closed = closes is not None and closes <= now
        by_conference.setdefault(paper.conference_id, []).append(paper)
    return [
        Section(
            "artifacts/registration/home.html",
            {"artifact_papers": papers[:LIMIT], "more_papers": max(0, len(papers) - LIMIT)},
            conference_id=conference_id,
        )
        for conference_id, papers in by_conference.items()
    ] or None
