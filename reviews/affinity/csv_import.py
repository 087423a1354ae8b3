"""Chairs' upload of externally computed affinity scores (``paper,reviewer,score`` CSV).

- ``paper`` is the submission number, ``reviewer`` the reviewer's email (any address on their
  account, case-insensitive; they must be an accepted PC member or area chair), ``score`` a
  number. Blank lines and ``#`` comment lines are ignored.
- Column order: a header row naming the columns (``paper``/``submission``/``paper_id``…,
  ``reviewer``/``email``/``user``…, ``score``/``affinity``…) sets it, in any order; without
  one, the order is ``paper,reviewer,score`` (OpenReview's expertise API writes its scores so)
  unless the first row starts with an email and then a paper number: ``reviewer,paper,score``
  (the order of TPMS-style files). ``ImportResult.columns`` says which was read.
- Scores must lie in [0, 1] like computed ones, unless ``rescale`` is set: then the file's
  minimum maps to 0 and its maximum to 1 (all equal: all 1).
- All or nothing: any bad row (wrong column count, unknown paper number, unknown reviewer,
  non-numeric or out-of-range score, a pair given twice) rejects the whole file and every bad row
  is reported with its line number. A reviewer's pair on their own paper is skipped, not stored;
  a file of nothing else is rejected (it would wipe the source).
- A successful upload replaces every row of that source for the conference.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import pluralize

from mlsys.conferences.models import Conference
from mlsys.core import audit
from reviews.affinity import queries, services
from reviews.affinity.backends import registered
from reviews.models import Affinity
from submissions.models import Author, Submission

DEFAULT_SOURCE = "uploaded"
SOURCE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
#: Reported errors stop here (the count of all bad rows is still given).
MAX_REPORTED = 200
BATCH_SIZE = 2_000


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    text: str = ""


#: Header names (lower-cased, spaces and dashes as underscores) of each column's role.
COLUMN_NAMES = {
    "paper": {"paper", "paper_id", "paperid", "paper_number", "number", "submission",
              "submission_id", "submission_number", "note_id", "forum"},
    "reviewer": {"reviewer", "reviewer_id", "reviewer_email", "email", "user", "user_id",
                 "profile_id", "member"},
    "score": {"score", "affinity", "affinity_score", "similarity", "tpms", "tpms_score", "value"},
}  # fmt: skip
PAPER_FIRST = ("paper", "reviewer", "score")
REVIEWER_FIRST = ("reviewer", "paper", "score")


@dataclass
class ImportResult:
    source: str
    imported: int = 0
    skipped_own: int = 0
    replaced: int = 0
    #: How the columns were read, e.g. "reviewer, paper, score (from the header)".
    columns: str = "paper, reviewer, score"


@dataclass
class ScoresRejected(Exception):
    """The file was not imported; ``errors`` lists the first ``MAX_REPORTED`` bad rows."""

    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    #: How the columns were read (as ``ImportResult.columns``), when any row was read.
    columns: str = ""

    def __str__(self) -> str:
        return f"{self.total} bad row{pluralize(self.total)}; nothing was imported."


def validate_source(source: str) -> str | None:
    """An error message for an unusable source name, else ``None``."""
    if not SOURCE_PATTERN.match(source):
        return "Use 1–20 lower-case letters, digits, dashes or underscores (e.g. uploaded)."
    if source in registered():  # installed or not: a later run would replace the upload
        return f"“{source}” is reserved for computed scores; choose another name."
    return None


def import_scores(
    conference: Conference,
    data: bytes,
    *,
    source: str = DEFAULT_SOURCE,
    rescale: bool = False,
    actor=None,
) -> ImportResult:
    """Validate every row, then replace the conference's ``source`` rows with the file's.

    Raises ``ScoresRejected`` (nothing written) if any row is bad, ``ValueError`` for an unusable
    source name or a file that is not UTF-8 text.
    """
    problem = validate_source(source)
    if problem:
        raise ValueError(problem)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("The file is not UTF-8 text; export it as CSV (UTF-8).") from exc
    pairs, skipped_own, columns = _parse(conference, text, rescale=rescale)
    result = ImportResult(
        source=source, imported=len(pairs), skipped_own=skipped_own, columns=columns
    )
    with transaction.atomic():
        result.replaced, _ = Affinity.objects.filter(conference=conference, source=source).delete()
        rows = [
            Affinity(conference=conference, submission_id=s, user_id=u, source=source, score=score)
            for (s, u), score in pairs.items()
        ]
        Affinity.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        services.record_used_source(conference, source)
        audit.record(
            "affinity.uploaded",
            actor=actor,
            target=conference,
            conference=conference,
            changes={"source": [None, source], "pairs": [result.replaced, result.imported]},
            note=f"{result.imported} pairs, {skipped_own} own-paper pairs skipped"
            + (", rescaled to [0, 1]" if rescale else ""),
        )
    return result


def _parse(
    conference: Conference, text: str, *, rescale: bool
) -> tuple[dict[tuple[int, int], float], int, str]:
    papers = dict(Submission.objects.filter(conference=conference).values_list("number", "pk"))
    user_ids = set(queries.reviewers(conference).values_list("pk", flat=True))
    emails = {
        email.lower(): pk for email, pk in queries.reviewers(conference).values_list("email", "pk")
    }
    for email, pk in EmailAddress.objects.filter(user_id__in=user_ids).values_list(
        "email", "user_id"
    ):
        emails.setdefault(email.lower(), pk)
    own = _own_pairs(conference, user_ids, emails)

    errors: list[RowError] = []
    total_errors = 0
    pairs: dict[tuple[int, int], float] = {}
    first_line: dict[tuple[int, int], int] = {}
    skipped_own = 0

    def bad(line: int, message: str, row: list[str]) -> None:
        nonlocal total_errors
        total_errors += 1
        if len(errors) < MAX_REPORTED:
            errors.append(RowError(line, message, ",".join(row)[:200]))

    reader = csv.reader(io.StringIO(text))
    order: tuple[str, ...] | None = None
    columns = ", ".join(PAPER_FIRST)
    for line, row in _rows(reader, bad):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if order is None:
            order, columns, is_header = _layout(cells)
            if is_header:
                continue
        if len(cells) != 3:
            bad(line, f"Expected 3 columns ({columns}), found {len(cells)}.", row)
            continue
        by_role = dict(zip(order, cells, strict=True))
        number_text, email, score_text = by_role["paper"], by_role["reviewer"], by_role["score"]
        messages = []
        submission_id = papers.get(int(number_text)) if _digits(number_text) else None
        if submission_id is None:
            messages.append(_unknown_paper(number_text))
        user_id = emails.get(unquote(email).lower())
        if user_id is None:
            messages.append(_unknown_reviewer(email))
        try:
            score = float(score_text)
        except ValueError:
            score = None
        if score is None or not math.isfinite(score):
            messages.append(f"Score “{score_text}” is not a number.")
        elif not rescale and not 0 <= score <= 1:
            messages.append(
                f"Score {score_text} is outside [0, 1] (tick “rescale” to map the file's "
                "range onto [0, 1])."
            )
        if messages:
            bad(line, " ".join(messages), row)
            continue
        key = (submission_id, user_id)
        if key in first_line:
            bad(
                line,
                f"Paper {number_text} and {email} already appear on line {first_line[key]}.",
                row,
            )
            continue
        first_line[key] = line
        if key in own:
            skipped_own += 1
            continue
        pairs[key] = score
    if total_errors:
        raise ScoresRejected(errors=errors, total=total_errors, columns=columns)
    if not pairs:
        # Stored, an empty source would replace the previous scores and become the one in use.
        message = (
            f"All {skipped_own} score rows pair reviewers with their own papers, which are not "
            "stored; nothing would be left to assign with."
            if skipped_own
            else "The file has no score rows."
        )
        raise ScoresRejected(errors=[RowError(0, message)], total=1)
    if rescale and pairs:
        # Halved first: the range of finite scores (-1e308 to 1e308) can overflow to inf,
        # and inf / inf stored as NaN. Halving is exact, so ordinary files are unchanged.
        low, high = min(pairs.values()) / 2, max(pairs.values()) / 2
        span = high - low
        pairs = {k: (v / 2 - low) / span if span else 1.0 for k, v in pairs.items()}
    return pairs, skipped_own, columns


def _rows(reader, bad) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` of each row; a line the csv module refuses (a field longer than
    its limit, far beyond any score row) is reported as a bad row and ends the reading, so the
    file is rejected rather than failing the request."""
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        limit = csv.field_size_limit()
        bad(
            reader.line_num,
            f"This line cannot be read as CSV ({exc}): is a field longer than {limit:,} "
            "characters? The rest of the file was not read.",
            [],
        )


def _layout(cells: list[str]) -> tuple[tuple[str, ...], str, bool]:
    """The columns' roles from the file's first row: ``(order, description, is_header)``.

    A header names them (any order); a header of other names is skipped and the order stays
    ``paper,reviewer,score``, as before headers were read. Without a header, a first row of
    email-then-number is taken as TPMS order ``reviewer,paper,score``."""
    if len(cells) == 3 and not any(_is_number(c) for c in cells):
        roles = [_role(c) for c in cells]
        if None not in roles and len(set(roles)) == 3:
            order = tuple(r for r in roles if r)
            return order, f"{', '.join(order)} (from the header)", True
        return PAPER_FIRST, ", ".join(PAPER_FIRST), True
    if len(cells) == 3 and "@" in cells[0] and _digits(cells[1]):
        return REVIEWER_FIRST, f"{', '.join(REVIEWER_FIRST)} (TPMS order)", False
    return PAPER_FIRST, ", ".join(PAPER_FIRST), False


def _role(name: str) -> str | None:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return next((role for role, names in COLUMN_NAMES.items() if key in names), None)


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²" (which ``int`` refuses) and other
    scripts' digits, which are no paper number a file from this site's dataset holds."""
    return text.isascii() and text.isdigit()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unknown_paper(text: str) -> str:
    if text and not _digits(text):
        return (
            f"“{text}” is not a paper number. Files from OpenReview's expertise model must be "
            "computed on the dataset downloaded from this page, whose paper ids are the "
            "submission numbers."
        )
    return f"No paper number {text or '(empty)'} at this conference."


def _unknown_reviewer(text: str) -> str:
    if text.startswith("~"):
        return (
            f"“{text}” is an OpenReview profile id; this site knows reviewers by email. Compute "
            "the scores on the dataset downloaded from this page (its reviewers are emails)."
        )
    return f"No accepted PC member or area chair with the email {text or '(empty)'}."


def _own_pairs(
    conference: Conference, user_ids: set[int], emails: dict[str, int]
) -> set[tuple[int, int]]:
    pairs = set()
    for submission_id, user_id, email in (
        Author.objects.filter(submission__conference=conference)
        .annotate(email_lower=Lower("email"))
        .values_list("submission_id", "user_id", "email_lower")
    ):
        if user_id in user_ids:
            pairs.add((submission_id, user_id))
        if email in emails:
            pairs.add((submission_id, emails[email]))
    return pairs
