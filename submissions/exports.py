"""CSV and JSON exports of a (filtered) chairs' submission list.

Exports reveal author identities: only the chairs' views call these. Input is a (filtered,
sorted) queryset from :func:`submissions.queries.for_chairs`; rows are read as plain values in
chunks, so the number of queries depends on the chunk count, never on the rows in a chunk.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from submissions.models import Author, Submission

CHUNK = 2000
COLUMNS = [
    "number",
    "title",
    "track",
    "status",
    "authors",
    "author_emails",
    "author_affiliations",
    "topics",
    "tags",
    "pages",
    "check_status",
    "sha256",
    "submitted_at",
    "updated_at",
]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def rows(qs: QuerySet[Submission], *, tags_hidden: frozenset[int] = frozenset()) -> Iterator[dict]:
    """Every submission of ``qs``, in its order, read as plain values; no tags on those in
    ``tags_hidden`` (the papers the exporting chair is conflicted with).

    Five queries per chunk of :data:`CHUNK` (ids, then rows, authors, topics, tags); no model
    instances, which is what makes a 10,000-row export take seconds rather than tens.
    """
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        base = {
            r["pk"]: r
            for r in Submission.objects.filter(pk__in=chunk).values(
                "pk",
                "number",
                "title",
                "track__name",
                "status",
                "current_paper__pages",
                "current_paper__check_status",
                "current_paper__sha256",
                "submitted_at",
                "updated_at",
            )
        }
        authors = defaultdict(list)
        for sid, name, email, affiliation in (
            Author.objects.filter(submission_id__in=chunk)
            .order_by("submission_id", "order", "pk")
            .values_list("submission_id", "name", "email", "affiliation")
        ):
            authors[sid].append({"name": name, "email": email, "affiliation": affiliation})
        topics = _names(Submission.topics.through, chunk, "topic")
        tags = _names(Submission.tags.through, chunk, "tag")
        for pk in chunk:
            r = base[pk]
            yield {
                "number": r["number"],
                "title": r["title"],
                "track": r["track__name"],
                "status": r["status"],
                "authors": authors.get(pk, []),
                "topics": topics.get(pk, []),
                "tags": [] if pk in tags_hidden else tags.get(pk, []),
                "pages": r["current_paper__pages"],
                "check_status": r["current_paper__check_status"] or "",
                "sha256": r["current_paper__sha256"] or "",
                "submitted_at": _iso(r["submitted_at"]),
                "updated_at": _iso(r["updated_at"]),
            }


def _names(through, chunk: list[int], relation: str) -> dict[int, list[str]]:
    names = defaultdict(list)
    for sid, name in (
        through.objects.filter(submission_id__in=chunk)
        .order_by("submission_id", f"{relation}__name")
        .values_list("submission_id", f"{relation}__name")
    ):
        names[sid].append(name)
    return names


def _csv_cells(data: dict) -> list:
    authors = data["authors"]
    return [
        data["number"],
        data["title"],
        data["track"],
        data["status"],
        "; ".join(a["name"] for a in authors),
        "; ".join(a["email"] for a in authors),
        "; ".join(a["affiliation"] for a in authors),
        "; ".join(data["topics"]),
        "; ".join(data["tags"]),
        "" if data["pages"] is None else data["pages"],
        data["check_status"],
        data["sha256"],
        data["submitted_at"] or "",
        data["updated_at"],
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    qs: QuerySet[Submission], *, tags_hidden: frozenset[int] = frozenset()
) -> Iterator[str]:
    """The CSV export, one line at a time (for a streaming response)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for data in rows(qs, tags_hidden=tags_hidden):
        yield writer.writerow([_sanitize(cell) for cell in _csv_cells(data)])


def _sanitize(cell):
    # A title starting with "=" would run as a formula when a chair opens the file in a
    # spreadsheet; a leading apostrophe keeps it text.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
