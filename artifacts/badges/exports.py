"""The badge metadata of a conference's published artifacts as CSV and JSON, streamed (rows from
:func:`artifacts.badges.queries.export_rows`): paper number, title, badges, DOI, repository,
commit or tag, publication time. Only what the results page shows publicly.

The CSV joins badges with "; " and defuses cells a spreadsheet would run as formulas, as the
project's other CSV exports do (mlsys.core.tables.csv_response).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils import timezone

from artifacts.badges import queries
from mlsys.core.tables import csv_response

CSV_HEADER = [
    "number",
    "title",
    "badges",
    "doi",
    "doi_url",
    "repository",
    "version",
    "published_at",
]


def json_chunks(conference) -> Iterator[str]:
    """``{"conference", "generated_at", "artifacts": [...]}``, an artifact at a time."""
    head = {
        "conference": {"slug": conference.slug, "name": conference.name},
        "generated_at": timezone.now().isoformat(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "artifacts": ['
    for index, row in enumerate(queries.export_rows(conference)):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def csv_export(conference):
    """The streamed CSV response (``<slug>-badges-<timestamp>.csv``)."""
    rows = (
        [
            row["number"],
            row["title"],
            "; ".join(row["badges"]),
            row["doi"],
            row["doi_url"],
            row["repository"],
            row["version"],
            row["published_at"] or "",
        ]
        for row in queries.export_rows(conference)
    )
    return csv_response(f"{conference.slug}-badges", CSV_HEADER, rows)
