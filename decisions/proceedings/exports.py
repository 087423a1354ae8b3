"""The proceedings as JSON and CSV, streamed (rows from :func:`queries.rows`).

Both carry only released, accepted papers. The CSV puts one paper per line; lists (authors,
affiliations, topics, badges) are joined with "; ", affiliations in author order.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.utils import timezone

from decisions.proceedings import badges, queries

COLUMNS = [
    "number",
    "title",
    "authors",
    "affiliations",
    "abstract",
    "track",
    "outcome",
    "topics",
    "badges",
    "pdf",
]


def header(conference) -> dict:
    """What the JSON says about the export itself."""
    return {
        "conference": {
            "slug": conference.slug,
            "name": conference.name,
            "year": queries.conference_year(conference),
        },
        "generated_at": timezone.now().isoformat(),
        "ordering": queries.ORDERING,
        "badges_registered": badges.registered(),
    }


def json_chunks(conference) -> Iterator[str]:
    """``{…header…, "papers": [...], "missing_pdf": [numbers]}``, a paper at a time."""
    head = json.dumps(header(conference), ensure_ascii=False)
    yield head[:-1] + ', "papers": ['
    missing = []
    for index, row in enumerate(queries.rows(conference)):
        if row["pdf"] is None:
            missing.append(row["number"])
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield f'\n], "missing_pdf": {json.dumps(missing)}}}\n'


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(conference) -> Iterator[str]:
    """The CSV export, a line at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in queries.rows(conference):
        authors = row["authors"]
        cells = [
            row["number"],
            row["title"],
            "; ".join(a["name"] for a in authors),
            "; ".join(a["affiliation"] for a in authors),
            row["abstract"],
            row["track"],
            row["outcome"],
            "; ".join(row["topics"]),
            "; ".join(row["badges"]),
            row["pdf"] or "",
        ]
        yield writer.writerow([_sanitize(cell) for cell in cells])


def _sanitize(cell):
    # A title starting with "=" would run as a formula in a spreadsheet; an apostrophe keeps
    # it text.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
