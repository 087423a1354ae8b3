"""Reads of the authors' side, shared by the pages, the API and the home section."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from artifacts.enums import ArtifactStatus as S
from artifacts.models import ArtifactMessage, Evaluation
from artifacts.registration import appendix, validation
from mlsys.conferences.enums import DeadlineKind
from mlsys.core import files


def deadlines(conference) -> dict:
    found = conference.deadline_map()
    return {
        "registration": getattr(found.get(DeadlineKind.AE_REGISTRATION), "at", None),
        "submission": getattr(found.get(DeadlineKind.AE_SUBMISSION), "at", None),
    }


def closed_reason(conference, artifact) -> str:
    """Why the registration is read-only for the viewer, in a sentence."""
    now = timezone.now()
    dates = deadlines(conference)
    if artifact is None:
        return "Artifact registration closed" + (
            f" on {dates['registration'].astimezone(conference.tz):%d %B %Y, %H:%M} "
            f"{conference.timezone_label}."
            if dates["registration"]
            else "."
        )
    if (
        artifact.status in (S.REGISTERED, S.RETURNED)
        and dates["submission"]
        and (dates["submission"] <= now)
    ):
        return (
            "The artifact submission deadline passed on "
            f"{dates['submission'].astimezone(conference.tz):%d %B %Y, %H:%M} "
            f"{conference.timezone_label}; write to the AE chairs if something must change."
        )
    return (
        f"The artifact is {artifact.get_status_display().lower()}; the registration can no longer "
        "be changed."
    )


def appendix_context(artifact) -> dict:
    versions = appendix.versions(artifact)
    for position, version in enumerate(versions):
        vars(version).update(
            version_label=f"v{len(versions) - position}",
            download_url=files.url_for("artifact-appendix", version),
            is_current=version.pk == artifact.appendix_id,
        )
    return {"appendix_versions": versions, "appendix_latest": versions[0] if versions else None}


def conflict_differences(typed: dict, saved: dict) -> list[dict]:
    """The fields whose saved value differs from what the person typed (labels, saved text)."""
    rows = []
    for name, label in (
        ("summary", "Summary"),
        ("repository_url", "Repository URL"),
        ("version", "Version"),
        ("doi", "DOI"),
        ("licence", "Licence"),
        ("packaging", "Packaging"),
        ("access_instructions", "Access instructions"),
    ):
        mine = str(typed.get(name) or "").strip()
        theirs = str(saved.get(name) or "").strip()
        if mine != theirs:
            rows.append({"label": label, "saved": theirs})
    return rows


def kept_on_withdrawal(artifact) -> dict:
    """What stays after a withdrawal: the counts the confirmation page names."""
    return {
        "messages": ArtifactMessage.objects.filter(artifact=artifact).count(),
        "evaluations": Evaluation.objects.filter(assignment__artifact=artifact).count(),
        "appendices": len(appendix.versions(artifact)),
        "smoke_checks": artifact.smoke_checks.count(),
    }


def requested_badges(artifact) -> list:
    return [
        rb.badge
        for rb in artifact.requested_badges.select_related("badge").order_by("badge__order")
    ]


def missing_for_badges(artifact) -> list[str]:
    return validation.missing_for_badges(artifact, requested_badges(artifact))


def smoke_checks(artifact, limit: int = 5) -> list:
    return list(artifact.smoke_checks.order_by("-created_at", "-pk")[:limit])


def counts_by_status(conference) -> dict[str, int]:
    rows = conference.artifacts.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}
