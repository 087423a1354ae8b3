"""``analyse(path, spec)``: the whole check of one PDF, run inside the checker process.

Order matters: pypdf first (it enforces decompression limits, so bombs stop here), pdfium
second (fast text and geometry, but no limits of its own).
"""

import logging
import warnings
from typing import Any

from pypdfium2 import PdfiumError

from submissions.pdfcheck import anonymity, layout, metrics, structure
from submissions.pdfcheck.report import empty_report, failure, issue
from submissions.pdfcheck.spec import FormatSpec

#: Measurements may be off by rounding; a spec is violated only beyond these.
FONT_TOLERANCE_PT = 0.25
BLOCK_TOLERANCE_IN = 0.05
SIZE_NAMES = {"letter": "US Letter", "a4": "A4", "letter_or_a4": "US Letter or A4"}


def analyse(path: str, spec: FormatSpec | None = None) -> dict[str, Any]:
    """The report for the PDF at ``path``, judged against ``spec`` (measure only if None)."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = structure.inspect(path)
        except structure.Fatal as fatal:
            return failure(fatal.code, fatal.message)
        try:
            pages = layout.read(path)
        except PdfiumError as exc:
            return failure("unreadable", f"The PDF could not be read ({exc}).")
        except MemoryError:
            return failure("resource_limit", "The PDF needs too much memory to be read.")
    return _judge(found, pages, spec)


def _judge(found: structure.Structure, pages: list[layout.Page], spec: FormatSpec | None):
    report = empty_report()
    report["pages"] = len(pages)
    report["errors"].extend(found.errors)
    report["warnings"].extend(found.warnings)
    if any(e["code"] in ("javascript", "launch_action", "auto_action") for e in found.errors):
        # Never served to reviewers: active content can identify whoever opens it.
        report["valid"] = False
    measured = metrics.measure(pages)
    report["metrics"] = measured
    report["text"] = "\n\n".join(page.text for page in pages)

    references = metrics.find_heading(pages, metrics.REFERENCES)
    after = (references[0], -references[1].baseline) if references else None
    appendix = metrics.find_heading(pages, metrics.APPENDIX, after=after)
    if references:
        report["pages_before_references"] = metrics.pages_before(pages, *references)
    measured["references_page"] = references[0] + 1 if references else None
    measured["appendix_page"] = appendix[0] + 1 if appendix else None
    pages_before_appendix = metrics.pages_before(pages, *appendix) if appendix else None

    hidden = [run for page in pages for run in page.runs if run.hidden]
    if hidden:
        sample = " ".join(run.text.strip() for run in hidden)[:120]
        where = sorted({run.page + 1 for run in hidden})
        how = ", ".join(sorted({run.hidden for run in hidden}))
        report["warnings"].append(
            issue(
                "hidden_text",
                f"The PDF has text readers cannot see ({how}) "
                f"on page{'s' if len(where) > 1 else ''} {_pages(where)}: “{sample}”.",
            )
        )
    if measured["body_font_size"] is None:
        report["warnings"].append(
            issue(
                "no_text", "The PDF has no extractable text (is it a scan?); it was not measured."
            )
        )

    if spec is None:
        measured["counted_pages"] = len(pages)
        return report
    counted = len(pages)
    if not spec.references_count and report["pages_before_references"] is not None:
        counted = report["pages_before_references"]
    if not spec.appendix_counts and pages_before_appendix is not None:
        counted = min(counted, pages_before_appendix)
    measured["counted_pages"] = counted
    _format(report, measured, spec, counted)
    _anonymity(report, found, pages, spec, references, appendix)
    return report


def _format(report, measured, spec: FormatSpec, counted: int) -> None:
    errors = report["errors"]
    if spec.page_limit and counted > spec.page_limit:
        what = "pages" if spec.references_count else "pages before the references"
        errors.append(
            issue(
                "page_limit",
                f"The paper has {counted} {what}; the limit is {spec.page_limit}.",
            )
        )
    size = measured["paper_size"]
    allowed = {"letter_or_a4": {"letter", "a4"}}.get(spec.paper_size or "", {spec.paper_size})
    if spec.paper_size and size not in allowed:
        found = SIZE_NAMES.get(size or "") or (
            f'{measured["page_width_in"]}" × {measured["page_height_in"]}"'
        )
        errors.append(
            issue(
                "paper_size",
                f"The pages are {found}; this track requires {SIZE_NAMES[spec.paper_size]}.",
            )
        )
    body = measured["body_font_size"]
    if spec.min_font_size and body is not None and body < spec.min_font_size - FONT_TOLERANCE_PT:
        errors.append(
            issue(
                "font_size",
                f"The body text is set in {body:g} pt; the minimum is {spec.min_font_size:g} pt.",
            )
        )
    columns = measured["columns"]
    if spec.columns and columns is not None and columns > spec.columns:
        errors.append(
            issue(
                "columns",
                f"The text is set in {columns} columns; at most {spec.columns} are allowed.",
            )
        )
    for dimension, limit in (
        ("width", spec.max_text_width_in),
        ("height", spec.max_text_height_in),
    ):
        if not limit:
            continue
        over = [
            number
            for number, block in measured["text_block_pages"].items()
            if block[f"{dimension}_in"] > limit + BLOCK_TOLERANCE_IN
        ]
        if over:
            widest = max(measured["text_block_pages"][n][f"{dimension}_in"] for n in over)
            adjective = "wide" if dimension == "width" else "high"
            errors.append(
                issue(
                    "text_block",
                    f"The text block is {widest:.2f} in {adjective} "
                    f"on page{'s' if len(over) > 1 else ''} {_pages(over)}; "
                    f"the maximum is {limit:g} in (are the margins changed?).",
                )
            )


#: How a finding names the identity it found.
IDENTITY = {"name": "author name", "email": "author e-mail", "affiliation": "affiliation"}


def _anonymity(report, found, pages, spec: FormatSpec, references, appendix) -> None:
    """Anonymity findings: in places the reviewers' copy keeps (text, links, bookmarks,
    annotation texts, form-field values) they are errors with code ``anonymity_<kind>``; in
    places it removes (document info, XMP anywhere, annotation authors, pdfTeX's
    ``PTEX.InfoDict``, embedded files) warnings with code ``anonymity_removed``."""
    if not spec.is_anonymous:
        return
    texts = _without_references(pages, references, appendix)
    findings = anonymity.scan_pages(texts, spec)
    fields = dict(found.metadata)
    if found.xmp_text:
        fields["XMP"] = found.xmp_text
    findings += anonymity.scan_metadata(fields, spec)
    findings += anonymity.scan_fields(found.identity_fields, spec)
    findings += anonymity.scan_links(found.uris, spec)
    report["anonymity"] = findings
    for finding in findings:
        if finding["stripped"]:
            report["warnings"].append(
                issue(
                    "anonymity_removed",
                    f"{_identity(finding)} appears in {_place(finding)}. The reviewers' copy "
                    "leaves this out; remove it from your source file as well.",
                )
            )
        else:
            report["errors"].append(
                issue(f"anonymity_{finding['kind']}", _visible_message(finding))
            )
    named = {f["where"] for f in findings}
    author = found.metadata.get("Author", "")
    if author and "Author" not in named:
        report["warnings"].append(
            issue(
                "metadata_author",
                f"The PDF's Author field is set (“{author[:80]}”); anonymous submissions should "
                "leave it empty (the reviewers' copy leaves it out).",
            )
        )
    for warning in report["warnings"]:
        if warning["code"] == "embedded_file":
            names = ", ".join(f"“{name}”" for name in warning.get("names", [])[:5]) or "unnamed"
            warning["message"] = (
                f"The PDF has embedded files ({names}). The reviewers' copy leaves them out, "
                "so reviewers will not see them; put material for reviewers in the supplement."
            )
    body_text = "\n".join(texts)
    if metrics.ACKNOWLEDGEMENTS.search(body_text):
        report["warnings"].append(
            issue(
                "acknowledgements",
                "The paper has an acknowledgements section; anonymous submissions usually "
                "leave it out until the camera-ready version.",
            )
        )


def _identity(finding: dict) -> str:
    return f"The {IDENTITY.get(finding['kind'], 'identity')} “{finding['value']}”"


def _place(finding: dict) -> str:
    where = finding["where"]
    page = f" on page {finding['page']}" if finding.get("page") else ""
    if where != "XMP" and " " not in where:
        return f"the PDF's document info ({where})"
    if where == "XMP":
        return "the XMP metadata of the document"
    return f"the {where}{page}"


def _visible_message(finding: dict) -> str:
    where = finding["where"]
    if where == "text":
        return f"{_identity(finding)} appears in the text (page {finding['page']})."
    if where == "link":
        return f"The link {finding['uri']} names an author ({finding['value']})."
    page = f" on page {finding['page']}" if finding.get("page") else ""
    if where == "bookmark":
        return f"{_identity(finding)} appears in a bookmark (the PDF's outline); rename it."
    if where == "annotation text":
        return f"{_identity(finding)} appears in a comment (annotation){page}; delete it."
    if where.startswith("form field"):
        return f"{_identity(finding)} is the value of the {where}{page}; clear the field."
    return f"{_identity(finding)} appears in the {where}{page}."


def _without_references(pages, references, appendix) -> list[str]:
    """Page texts with the reference list cut out: self-citations there are allowed."""
    if not references:
        return [page.text for page in pages]
    start = references[0]
    end = appendix[0] if appendix else len(pages)
    texts = []
    for index, page in enumerate(pages):
        text = page.text
        if index == start:
            head = references[1].text.strip()
            cut = text.find(head)
            text = text[:cut] if cut >= 0 else text
            if appendix and appendix[0] == index:
                tail = text.find(appendix[1].text.strip())
                text += page.text[tail:] if tail >= 0 else ""
        elif start < index < end:
            text = ""
        elif appendix and index == end:
            tail = text.find(appendix[1].text.strip())
            text = text[tail:] if tail >= 0 else text
        texts.append(text)
    return texts


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    return shown + (f" and {len(numbers) - 8} more" if len(numbers) > 8 else "")
