"""The check report as a person reads it: format problems, anonymity findings (with their own
label and fix-it hint) and measurements in words and units."""

from typing import Any

from mlsys.core import files as core_files
from submissions import enums

#: Measurement keys -> (label, unit). Anything else is not shown.
METRICS = {
    "paper_size": ("Paper size", ""),
    "page_width_in": ("Page width", "in"),
    "page_height_in": ("Page height", "in"),
    "body_font_size": ("Body font size", "pt"),
    "columns": ("Columns", ""),
    "line_spacing_pt": ("Line spacing", "pt"),
    "lines_per_column": ("Most lines in a column", ""),
    "counted_pages": ("Pages counted toward the limit", ""),
    "references_page": ("References start on page", ""),
    "appendix_page": ("Appendix starts on page", ""),
}
PAPER_SIZES = {"letter": "US Letter", "a4": "A4"}
#: Ends each stored finding in a place the copy leaves out; the report says that once instead.
LEFT_OUT_SENTENCE = " The reviewers' copy leaves this out; remove it from your source file as well."


def is_anonymity(item: Any) -> bool:
    return isinstance(item, dict) and str(item.get("code", "")).startswith("anonymity_")


def present_report(file) -> dict:
    """The parts of ``file``'s check report a person reads.

    ``errors``/``warnings``: format and content problems. ``anonymity``: messages of findings
    that reviewers would see (they withhold the version from reviewers); ``anonymity_removed``:
    findings in places the reviewers' copy leaves out; ``removed``: what the copy left out.
    ``metrics``: (label, value with unit) pairs.
    """
    report = (file.report or {}) if file is not None else {}
    errors = report.get("errors") or []
    warnings = report.get("warnings") or []
    return {
        "metrics": _metrics(report.get("metrics") or {}),
        "errors": [e for e in errors if not is_anonymity(e)],
        "warnings": [w for w in warnings if not is_anonymity(w)],
        "anonymity": [_text(e) for e in errors if is_anonymity(e)],
        "anonymity_removed": [
            _text(w).replace(LEFT_OUT_SENTENCE, "") for w in warnings if is_anonymity(w)
        ],
        "removed": [
            f"{item.get('what')}" + (f" ({item['count']})" if item.get("count", 1) > 1 else "")
            for item in report.get("review_copy_removed") or []
            if isinstance(item, dict)
        ],
    }


def _text(item: Any) -> str:
    return str(item.get("message") or item.get("code")) if isinstance(item, dict) else str(item)


def _metrics(metrics: dict) -> list[tuple[str, str]]:
    rows = []
    for key, (label, unit) in METRICS.items():
        value = metrics.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        if key == "paper_size":
            value = PAPER_SIZES.get(str(value), str(value))
        elif isinstance(value, float):
            value = f"{value:g}"
        rows.append((label, f"{value} {unit}".strip()))
        if key == "page_height_in" and isinstance(metrics.get("text_block"), dict):
            block = metrics["text_block"]
            width, height = block.get("width_in"), block.get("height_in")
            if isinstance(width, int | float) and isinstance(height, int | float):
                rows.append(("Text block (widest × highest)", f"{width:.2f} × {height:.2f} in"))
    return rows


def reviewer_url(file) -> str:
    """Where the author of ``file`` (a paper version) downloads exactly what reviewers get of
    it: the anonymised copy on anonymous tracks, the original on open ones. "" for any version
    reviewers do not get (not ``Submission.reviewer_paper``: e.g. one that names its authors,
    whose copy would too) and before the check made a copy."""
    if (
        file.kind != enums.FileKind.PAPER
        or file.pk != file.submission.reviewer_paper_id
        or file.reviewer_file is None
    ):
        return ""
    return core_files.url_for("review-copy", file, download=True)


def number_papers(papers: list, submission) -> Any:
    """Label ``papers`` (all paper versions of ``submission``, newest first) v1, v2, … in upload
    order, give the reviewers' one its download link, and return that one (or None)."""
    reviewer_copy = None
    for position, f in enumerate(papers):
        f.submission = submission  # reviewer_url reads the track: no query per version
        f.version_label = f"v{len(papers) - position}"
        f.reviewer_url = reviewer_url(f)
        if f.pk == submission.reviewer_paper_id:
            reviewer_copy = f
    return reviewer_copy
