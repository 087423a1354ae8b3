"""Reading the badges leaving the evaluation: published artifacts with their awarded badges
(results pages, API, exports), the proceedings' badges per paper, and the stamped
camera-readies. "Awarded badges" are an artifact's ``RequestedBadge`` rows with outcome
AWARDED; they are public only once the artifact is PUBLISHED. Every function here costs a fixed
number of queries whatever the number of papers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Count, Prefetch, Q, QuerySet

from artifacts.enums import ArtifactStatus, BadgeOutcome
from artifacts.models import Artifact, Badge, RequestedBadge, StampedPaper
from decisions.camera_ready.queries import camera_ready_of, final_authors
from decisions.enums import BuildStatus
from submissions.models import SubmissionFile

PUBLISHED = ArtifactStatus.PUBLISHED
AWARDED = BadgeOutcome.AWARDED
#: A queued or running stamp: another waits for it.
ACTIVE_STAMPS = (BuildStatus.QUEUED, BuildStatus.RUNNING)


def awarded(artifact: Artifact) -> list[RequestedBadge]:
    """The artifact's awarded badges in the badge set's order (one query, none when fetched
    with :func:`with_awarded`)."""
    cached = getattr(artifact, "awarded", None)
    if cached is not None:
        return cached
    return list(
        artifact.requested_badges.filter(outcome=AWARDED)
        .select_related("badge")
        .order_by("badge__order", "badge_id")
    )


def with_awarded(artifacts: QuerySet[Artifact]) -> QuerySet[Artifact]:
    """``artifacts`` with ``.awarded`` (their awarded RequestedBadge rows, badge selected)."""
    return artifacts.prefetch_related(
        Prefetch(
            "requested_badges",
            queryset=RequestedBadge.objects.filter(outcome=AWARDED)
            .select_related("badge")
            .order_by("badge__order", "badge_id"),
            to_attr="awarded",
        )
    )


def published(conference) -> QuerySet[Artifact]:
    """The conference's published artifacts, by paper number, with their paper, its camera-ready
    row (the final author list), its authors and the awarded badges: four queries for any
    slice."""
    artifacts = (
        Artifact.objects.filter(conference=conference, status=PUBLISHED)
        .select_related("submission__camera_ready")
        .prefetch_related("submission__authors")
        .order_by("submission__number")
    )
    return with_awarded(artifacts)


def filter_by_badge(artifacts: QuerySet[Artifact], key: str) -> QuerySet[Artifact]:
    """Artifacts awarded the badge ``key`` (unknown keys match nothing)."""
    return artifacts.filter(
        requested_badges__badge__key=key, requested_badges__outcome=AWARDED
    ).distinct()


def badge_counts(conference) -> list[Badge]:
    """The conference's badges (active, or awarded to a published artifact) with ``awarded``:
    how many published artifacts carry each. One query."""
    counted = Count(
        "requests",
        filter=Q(requests__outcome=AWARDED, requests__artifact__status=PUBLISHED),
    )
    return [
        badge
        for badge in Badge.objects.filter(conference=conference)
        .annotate(awarded=counted)
        .order_by("order", "pk")
        if badge.active or badge.awarded
    ]


def paper_authors(artifact: Artifact) -> list[str]:
    """The names on the paper: the final author list if the camera-ready has one, else the
    paper's authors (no query with :func:`published`). Addresses are never shown."""
    submission = artifact.submission
    authors = final_authors(submission, camera_ready_of(submission))
    return [a["name"] for a in authors if a.get("name")]


def safe_href(url: str) -> str:
    """``url`` if it is an absolute http(s) address with a host and no whitespace or control
    character, else "": only such links are rendered (no ``javascript:``, ``data:``, …)."""
    url = (url or "").strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def short_version(version: str) -> str:
    """A commit hash cut to 12 characters (as git shows it); a tag as it is."""
    version = (version or "").strip()
    if len(version) > 12 and all(ch in "0123456789abcdefABCDEF" for ch in version):
        return version[:12]
    return version


def result(artifact: Artifact, *, abstract: bool = False) -> dict[str, Any]:
    """What the results pages and API show of one published artifact (no query when it comes
    from :func:`published`)."""
    submission = artifact.submission
    row = {
        "number": submission.number,
        "title": submission.title,
        "authors": paper_authors(artifact),
        "badges": [
            {
                "pk": rb.badge.pk,
                "key": rb.badge.key,
                "label": rb.badge.label,
                "colour": rb.badge.colour,
            }
            for rb in awarded(artifact)
        ],
        "repository": safe_href(artifact.repository_url),
        "version": artifact.version,
        "version_short": short_version(artifact.version),
        "doi": artifact.doi,
        "doi_url": safe_href(doi_url(artifact.doi)),
        "licence": artifact.licence,
        "published_at": artifact.published_at,
    }
    if abstract:
        row["abstract"] = submission.abstract
    return row


# --- The proceedings ---------------------------------------------------------------------------


def awarded_labels(conference) -> dict[int, list[str]]:
    """{submission id: labels of its published artifact's awarded badges}, in the badge set's
    order: the provider registered with decisions.proceedings.badges. One query."""
    rows = (
        RequestedBadge.objects.filter(
            artifact__conference=conference, artifact__status=PUBLISHED, outcome=AWARDED
        )
        .order_by("artifact__submission_id", "badge__order", "badge_id")
        .values_list("artifact__submission_id", "badge__label")
    )
    found: dict[int, list[str]] = {}
    for submission_id, label in rows:
        found.setdefault(submission_id, []).append(label)
    return found


def stamped_versions(conference, finals: Mapping[int, SubmissionFile]) -> dict[int, Any]:
    """{submission id: the stamped PDF's stored file} for the papers whose current final PDF
    (``finals``) has a ready stamped version: registered with
    decisions.proceedings.finals.register_version for the ZIP. One query."""
    current = {f.pk for f in finals.values()}
    if not current:
        return {}
    found: dict[int, Any] = {}
    stamps = (
        StampedPaper.objects.filter(
            submission__conference=conference, status=BuildStatus.READY, source_id__in=current
        )
        .exclude(file="")
        .order_by("-created_at", "-pk")
        .only("pk", "submission_id", "file", "source_id")
    )
    for stamp in stamps:
        found.setdefault(stamp.submission_id, stamp.file)
    return found


# --- Stamped camera-readies ----------------------------------------------------------------------


def latest_stamp(submission) -> StampedPaper | None:
    """The paper's newest stamp of any status (what the page reports), or None. One query."""
    return StampedPaper.objects.filter(submission=submission).order_by("-created_at", "-pk").first()


def active_stamp(submission) -> StampedPaper | None:
    return (
        StampedPaper.objects.filter(submission=submission, status__in=ACTIVE_STAMPS)
        .order_by("-created_at", "-pk")
        .first()
    )


# --- Exports -----------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "number",
    "title",
    "badges",
    "doi",
    "repository",
    "version",
    "published_at",
]


def doi_url(doi: str) -> str:
    """``https://doi.org/<doi>`` for a DOI, "" for none."""
    doi = (doi or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return f"https://doi.org/{doi}" if doi else ""


def export_rows(conference, *, chunk: int = 500) -> Iterator[dict[str, Any]]:
    """One dict per published artifact, by paper number (the export's rows), read ``chunk``
    artifacts at a time."""
    artifacts = with_awarded(
        Artifact.objects.filter(conference=conference, status=PUBLISHED)
        .select_related("submission")
        .order_by("submission__number")
    )
    for artifact in artifacts.iterator(chunk_size=chunk):
        yield {
            "number": artifact.submission.number,
            "title": artifact.submission.title,
            "badges": [rb.badge.label for rb in awarded(artifact)],
            "doi": artifact.doi,
            "doi_url": doi_url(artifact.doi),
            "repository": artifact.repository_url,
            "version": artifact.version,
            "published_at": artifact.published_at.isoformat() if artifact.published_at else None,
        }
