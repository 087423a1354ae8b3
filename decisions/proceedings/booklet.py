"""The program booklet: a cover, a table of contents with page numbers and one entry per
accepted paper (title, authors with affiliations, track, outcome, topics, abstract, badges),
rendered by WeasyPrint from templates/decisions/proceedings/booklet.html.

Abstracts are plain text, escaped (no Markdown or math). Only local fonts are used. Page
numbers in the contents come from CSS ``target-counter()``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.proceedings import queries

# WeasyPrint logs every layout step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Booklet:
    pdf: bytes
    pages: int
    papers: int


def _numbered(authors: list[dict]) -> tuple[list[dict], list[str]]:
    """Authors with the 1-based index of their affiliation, and the affiliations in order."""
    affiliations: list[str] = []
    marked = []
    for author in authors:
        mark = None
        if author["affiliation"]:
            if author["affiliation"] not in affiliations:
                affiliations.append(author["affiliation"])
            mark = affiliations.index(author["affiliation"]) + 1
        marked.append({**author, "mark": mark})
    return marked, affiliations


def sections(conference) -> list[dict]:
    """The papers grouped by track, in the proceedings' order, ready for the template."""
    grouped: list[dict] = []
    for row in queries.rows(conference):
        authors, affiliations = _numbered(row["authors"])
        if not grouped or grouped[-1]["track"] != row["track"]:
            grouped.append({"track": row["track"], "index": len(grouped) + 1, "papers": []})
        grouped[-1]["papers"].append({**row, "authors": authors, "affiliations": affiliations})
    return grouped


def html(conference) -> tuple[str, int]:
    """The booklet's HTML and the number of papers in it."""
    tracks = sections(conference)
    papers = sum(len(t["papers"]) for t in tracks)
    source = render_to_string(
        "decisions/proceedings/booklet.html",
        {
            "conference": conference,
            "year": queries.conference_year(conference),
            "tracks": tracks,
            "papers": papers,
            "generated_at": timezone.now(),
            "tz": conference.tz,
        },
    )
    return source, papers


def render(conference) -> Booklet:
    """Render the booklet (slow: about a second per 25 papers, see docs/benchmarks.md)."""
    from weasyprint import HTML  # heavy import, needed only by the worker

    source, papers = html(conference)
    document = HTML(string=source).render()
    return Booklet(pdf=document.write_pdf(), pages=len(document.pages), papers=papers)
