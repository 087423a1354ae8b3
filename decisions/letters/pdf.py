"""The decision letter as a PDF (WeasyPrint): the conference's letterhead, the decision, the
meta-review and the author-visible parts of the reviews under "Reviewer A/B/…".

A named part of the letters' services (rendering only; storing is services.store_letter). The
HTML comes from templates/decisions/letters/letter_pdf.html; nothing is fetched while rendering
(every URL is refused), so text written by reviewers cannot make the server load anything.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.letters.queries import LetterContent

# WeasyPrint logs each step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def letter_html(content: LetterContent) -> str:
    submission = content.submission
    conference = submission.conference
    return render_to_string(
        "decisions/letters/letter_pdf.html",
        {
            "conference": conference,
            "submission": submission,
            "content": content,
            "date": timezone.localdate(timezone=conference.tz),
        },
    )


def render_letter_pdf(content: LetterContent) -> bytes:
    """The letter's PDF bytes."""
    # Imported here: WeasyPrint is heavy and only letter rendering needs it (the web process
    # and the worker start without it).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    # No protocol allowed: every URL is refused (WeasyPrint 70 wants a URLFetcher here; a plain
    # function that raises crashes the rendering).
    fetcher = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=letter_html(content), url_fetcher=fetcher).write_pdf()
