"""The accepted program read as plain rows, in the proceedings' order, and the page's counts.

Only papers whose status is *accepted* appear: that status is set when a decision is released
(submissions.services.status.apply_decision), so a pending Accept is never in the proceedings.
Order (documented in docs/proceedings.md): track order, then outcome order (as the chairs
ordered their outcomes), then paper number.

Rows are read as values in chunks of :data:`CHUNK`: three queries per chunk (papers, authors,
topics), plus one for the ids, one for the final PDFs and whatever the badge providers use, so
the number of queries never depends on the number of papers in a chunk.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, F, Max, QuerySet

from decisions import enums
from decisions.models import ProceedingsBuild
from decisions.proceedings import badges, finals
from submissions.enums import Status
from submissions.models import Author, Submission

CHUNK = 2000
#: Build statuses that mean "in progress".
ACTIVE = frozenset({enums.BuildStatus.QUEUED, enums.BuildStatus.RUNNING})
ORDERING = "track order, then outcome order, then paper number"


def accepted(conference) -> QuerySet[Submission]:
    """The conference's accepted papers in the proceedings' order."""
    return Submission.objects.filter(conference=conference, status=Status.ACCEPTED).order_by(
        "track__order",
        "track_id",
        F("decision__outcome__order").asc(nulls_last=True),
        F("decision__outcome_id").asc(nulls_last=True),
        "number",
    )


def pdf_name(conference, number: int) -> str:
    """The name of a paper's final PDF in the ZIP and the exports: ``mlsys2027-012.pdf``."""
    return f"{conference.slug}-{number:03d}.pdf"


def conference_year(conference) -> int:
    """The year the conference's slug or name carries (mlsys2027), else the year it was made."""
    for text in (conference.slug, conference.name):
        match = re.search(r"(19|20)\d{2}", text or "")
        if match:
            return int(match.group(0))
    return conference.created_at.year


def rows(conference) -> Iterator[dict]:
    """Every accepted paper of ``conference`` as a dict (see docs/proceedings.md for the fields):
    title, authors (name, affiliation, ORCID of a linked account), abstract, track, outcome,
    topics, badges and the final PDF's file name (``None`` without one)."""
    ids = list(accepted(conference).values_list("pk", flat=True))
    if not ids:
        return
    final_ids = finals.final_pdf_ids(conference)
    badge_map = badges.badges_for(conference)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        base = {
            r["pk"]: r
            for r in Submission.objects.filter(pk__in=chunk).values(
                "pk",
                "number",
                "title",
                "abstract",
                "track__name",
                "decision__outcome__label",
                "camera_ready__final_authors",
            )
        }
        authors = defaultdict(list)
        orcids: dict[int, dict[str, str]] = defaultdict(dict)
        for sid, name, email, affiliation, orcid in (
            Author.objects.filter(submission_id__in=chunk)
            .order_by("submission_id", "order", "pk")
            .values_list("submission_id", "name", "email", "affiliation", "user__orcid")
        ):
            authors[sid].append({"name": name, "affiliation": affiliation, "orcid": orcid or None})
            if orcid:
                orcids[sid][email.strip().lower()] = orcid
        # The authors' confirmed final list (camera-ready) wins over the list as submitted.
        for pk, r in base.items():
            final = r["camera_ready__final_authors"]
            if final:
                authors[pk] = [
                    {
                        "name": a.get("name", ""),
                        "affiliation": a.get("affiliation", ""),
                        "orcid": orcids[pk].get((a.get("email") or "").strip().lower()),
                    }
                    for a in final
                ]
        topics = defaultdict(list)
        for sid, name in (
            Submission.topics.through.objects.filter(submission_id__in=chunk)
            .order_by("submission_id", "topic__area", "topic__order", "topic__name")
            .values_list("submission_id", "topic__name")
        ):
            topics[sid].append(name)
        for pk in chunk:
            r = base[pk]
            yield {
                "number": r["number"],
                "title": r["title"],
                "authors": authors.get(pk, []),
                "abstract": r["abstract"],
                "track": r["track__name"],
                "outcome": r["decision__outcome__label"] or "Accept",
                "topics": topics.get(pk, []),
                "badges": list(badge_map.get(pk, [])),
                "pdf": pdf_name(conference, r["number"]) if pk in final_ids else None,
            }


MISSING_SHOWN = 100


def summary(conference) -> dict:
    """The page's counts: accepted papers per track and outcome, how many have a final PDF, and
    the first :data:`MISSING_SHOWN` of those without one (three queries)."""
    final_ids = finals.final_pdf_ids(conference)
    groups = list(
        accepted(conference)
        .order_by()
        .values("track__name", "track__order", "track_id", "decision__outcome__label")
        .annotate(papers=Count("pk"), outcome_order=Max("decision__outcome__order"))
        .order_by("track__order", "track_id", F("outcome_order").asc(nulls_last=True))
    )
    missing = [
        {"number": number, "title": title}
        for pk, number, title in accepted(conference).values_list("pk", "number", "title")
        if pk not in final_ids
    ]
    total = sum(g["papers"] for g in groups)
    return {
        "groups": [
            {
                "track": g["track__name"],
                "outcome": g["decision__outcome__label"] or "Accept",
                "papers": g["papers"],
            }
            for g in groups
        ],
        "total": total,
        "with_pdf": total - len(missing),
        "missing_count": len(missing),
        "missing": missing[:MISSING_SHOWN],
    }


def builds(conference) -> dict[str, dict[str, ProceedingsBuild | None]]:
    """Per kind: the build in progress (queued or running) and the newest ready one (one query
    over the conference's last few builds)."""
    shown: dict[str, dict[str, ProceedingsBuild | None]] = {
        kind: {"active": None, "ready": None, "failed": None}
        for kind in enums.ProceedingsKind.values
    }
    for build in ProceedingsBuild.objects.filter(conference=conference).select_related(
        "started_by", "conference"
    )[:50]:
        slot = shown[build.kind]
        if build.status in ACTIVE and slot["active"] is None:
            slot["active"] = build
        elif build.status == enums.BuildStatus.READY and slot["ready"] is None:
            slot["ready"] = build
        elif build.status == enums.BuildStatus.FAILED and not (slot["failed"] or slot["ready"]):
            slot["failed"] = build  # failed since the newest ready build
    return shown


def active_build(conference, kind: str) -> ProceedingsBuild | None:
    return ProceedingsBuild.objects.filter(
        conference=conference, kind=kind, status__in=ACTIVE
    ).first()
