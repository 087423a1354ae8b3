"""This package's section of the artifact page (artifacts/page): what its template
(templates/artifacts/detail/_badges.html) reads, for this viewer.

The requested badges, each with its outcome once published (before that, only to the
unconflicted AE chairs and the assigned evaluators); the stamped camera-ready with its status and
a download for those allowed (authors, unconflicted chairs and AE chairs), or why there is none.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import mark_safe

from artifacts.badges import queries, svg
from artifacts.enums import ArtifactStatus, BadgeOutcome
from decisions.enums import BuildStatus
from decisions.proceedings.finals import final_pdf
from mlsys.core import files


def context(viewer, artifact) -> dict:
    published = artifact.status == ArtifactStatus.PUBLISHED
    show_outcomes = viewer.has_perm("artifacts.view_badge_outcomes", artifact)
    requested = list(artifact.requested_badges.select_related("badge"))
    rows = [
        {
            "label": rb.badge.label,
            "seal": mark_safe(svg.seal(rb.badge.label, rb.badge.colour, height="48px")),  # noqa: S308 - escaped by svg.seal
            "outcome": rb.outcome if show_outcomes else None,
            "outcome_label": rb.get_outcome_display() if show_outcomes else "",
            "awarded": show_outcomes and rb.outcome == BadgeOutcome.AWARDED,
        }
        for rb in requested
    ]
    section: dict = {
        "rows": rows,
        "published": published,
        "show_outcomes": show_outcomes,
        "awarded_count": sum(1 for r in rows if r["awarded"]),
    }
    if published:
        section["results_url"] = reverse(
            "artifacts:paper_results",
            kwargs={"conference": artifact.conference.slug, "number": artifact.submission.number},
        )
    if viewer.has_perm("artifacts.download_stamped_paper", artifact.submission):
        section.update(_stamp(viewer, artifact, published))
    return {"badges_section": section}


def _stamp(viewer, artifact, published: bool) -> dict:
    stamp = queries.latest_stamp(artifact.submission) if published else None
    final = final_pdf(artifact.submission) if published else None
    ready = stamp is not None and stamp.status == BuildStatus.READY and bool(stamp.file)
    return {
        "stamp_visible": True,
        "stamp": stamp,
        "stamp_current": ready and final is not None and stamp.source_id == final.pk,
        "stamp_download": files.url_for("stamped-paper", stamp, download=True) if ready else "",
        "stamp_view": files.url_for("stamped-paper", stamp) if ready else "",
        "has_final": final is not None,
        "may_stamp": viewer.has_perm("artifacts.stamp_paper", artifact),
        "stamp_url": reverse(
            "artifacts:stamp",
            kwargs={"conference": artifact.conference.slug, "number": artifact.submission.number},
        ),
    }
