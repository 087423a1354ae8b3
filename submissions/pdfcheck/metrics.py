"""Format measurements from text runs: running headers, body font, text block, columns, line
spacing, paper size, and where the references and the appendix start."""

import re
from collections import Counter, defaultdict
from statistics import median

from submissions.pdfcheck.layout import Page, Run

PT_PER_IN = 72.0
PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
PAPER_TOLERANCE_PT = 4.0
#: Running headers/footers live in the outer 15% of the page height.
MARGIN_BAND = 0.15
#: In a one-page document, text this close to the top or bottom edge is a header/footer.
SINGLE_PAGE_EDGE = 54.0
#: A column gap is a vertical strip at least this wide that (almost) no body line crosses.
MIN_GAP_PT = 6.0
#: A page needs this many body lines before its column count is trusted.
MIN_LINES_FOR_COLUMNS = 10

REFERENCES = re.compile(
    r"^\s*(?:[0-9]+\.?|[A-Z]\.|[IVX]+\.)?\s*(?:references|bibliography|works cited|"
    r"literature cited)\s*$",
    re.IGNORECASE,
)
APPENDIX = re.compile(
    r"^\s*(?:[A-Z0-9]+\.?\s+)?(?:appendix|appendices|supplementary material)\b",
    re.IGNORECASE,
)
ACKNOWLEDGEMENTS = re.compile(
    r"^\s*(?:[0-9]+\.?\s*)?acknowledge?ments?\s*[.:]?\s*$", re.IGNORECASE | re.MULTILINE
)


def mark_margins(pages: list[Page]) -> None:
    """Flag running headers and footers: text at the same height near the top or bottom edge
    whose words (page numbers aside) repeat on at least half of the pages, or alternate between
    two variants (even/odd pages). A one-page document has no repetition to go by, so there only
    text within 0.75 in of the edge counts."""
    if len(pages) < 2:
        for page in pages:
            for run in page.runs:
                edge = min(run.baseline, page.height - run.baseline)
                run.margin = not run.hidden and edge < SINGLE_PAGE_EDGE
        return
    bands: dict[tuple[str, int], list[Run]] = defaultdict(list)
    for page in pages:
        for run in page.runs:
            if run.hidden:
                continue
            if run.baseline > page.height * (1 - MARGIN_BAND):
                bands[("top", round(page.height - run.baseline))].append(run)
            elif run.baseline < page.height * MARGIN_BAND:
                bands[("bottom", round(run.baseline))].append(run)
    half = (len(pages) + 1) // 2
    for runs in bands.values():
        pages_by_shape: dict[str, set[int]] = defaultdict(set)
        for run in runs:
            pages_by_shape[_shape(run.text)].add(run.page)
        ranked = sorted(pages_by_shape.items(), key=lambda item: -len(item[1]))
        repeated = {shape for shape, on in ranked[:1] if len(on) >= max(2, half)}
        if not repeated and len(ranked) >= 2:
            (first, on_first), (second, on_second) = ranked[:2]
            if min(len(on_first), len(on_second)) >= 2 and len(on_first | on_second) >= max(
                3, len(pages) * 3 // 4
            ):
                repeated = {first, second}
        for run in runs:
            if _shape(run.text) in repeated:
                run.margin = True


def _shape(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[0-9ivxlcdm]+\b", "#", text.lower())).strip()


def body_runs(page: Page) -> list[Run]:
    return [run for run in page.runs if not run.hidden and not run.margin]


def body_font_size(pages: list[Page]) -> float | None:
    """The most common character size, in 0.5 pt bins."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for run in body_runs(page):
            sizes[round(run.size * 2) / 2] += run.chars
    if not sizes:
        return None
    return max(sizes.items(), key=lambda item: (item[1], -item[0]))[0]


def paper_size(width: float, height: float) -> str | None:
    short, long_ = sorted((width, height))
    for name, (w, h) in PAPER_SIZES.items():
        if abs(short - w) <= PAPER_TOLERANCE_PT and abs(long_ - h) <= PAPER_TOLERANCE_PT:
            return name
    return None


def page_size(pages: list[Page]) -> tuple[float, float]:
    """The most common page size (rounded to a point)."""
    counts = Counter((round(p.width), round(p.height)) for p in pages)
    (width, height), _ = counts.most_common(1)[0]
    for page in pages:
        if (round(page.width), round(page.height)) == (width, height):
            return page.width, page.height
    return float(width), float(height)


def text_block(page: Page) -> dict | None:
    runs = body_runs(page)
    if not runs:
        return None
    x0 = min(r.x0 for r in runs)
    x1 = max(r.x1 for r in runs)
    y0 = min(r.y0 for r in runs)
    y1 = max(r.y1 for r in runs)
    return {
        "width_in": _inch(x1 - x0),
        "height_in": _inch(y1 - y0),
        "margins": {
            "left_in": _inch(x0),
            "right_in": _inch(page.width - x1),
            "top_in": _inch(page.height - y1),
            "bottom_in": _inch(y0),
        },
    }


def column_spans(page: Page, body_size: float) -> list[tuple[float, float]]:
    """The x-extents of the page's columns, found from gaps no body-size line crosses."""
    runs = [r for r in body_runs(page) if abs(r.size - body_size) <= 2.0]
    if len(runs) < MIN_LINES_FOR_COLUMNS:
        return []
    start = int(min(r.x0 for r in runs))
    end = int(max(r.x1 for r in runs)) + 1
    coverage = [0] * (end - start + 1)
    for run in runs:
        for x in range(int(run.x0) - start, int(run.x1) - start + 1):
            coverage[x] += 1
    threshold = max(coverage) * 0.1
    spans, left, gap_from = [], start, None
    for offset, covered in enumerate(coverage):
        x = start + offset
        if covered <= threshold:
            if gap_from is None:
                gap_from = x
        else:
            if gap_from is not None and x - gap_from >= MIN_GAP_PT and gap_from > left:
                spans.append((left, gap_from))
                left = x
            gap_from = None
    spans.append((left, end))
    return spans


def lines_and_spacing(page: Page, spans, body_size: float) -> tuple[list[int], list[float]]:
    """Body lines per column and the baseline gaps between consecutive body lines."""
    counts, gaps = [], []
    for lo, hi in spans:
        baselines = sorted(
            {
                round(r.baseline, 1)
                for r in body_runs(page)
                if abs(r.size - body_size) <= 0.3 and r.x0 >= lo - 1 and r.x1 <= hi + 1
            },
            reverse=True,
        )
        counts.append(len(baselines))
        for upper, lower in zip(baselines, baselines[1:], strict=False):
            gap = upper - lower
            if 0.8 * body_size <= gap <= 2.0 * body_size:
                gaps.append(round(gap, 1))
    return counts, gaps


def find_heading(pages: list[Page], pattern: re.Pattern, after: tuple[int, float] | None = None):
    """``(page index, run)`` of the first run whose whole text matches ``pattern``."""
    for page in pages:
        for run in page.runs:
            if run.hidden or run.margin or len(run.text) > 80:
                continue
            if after is not None and (run.page, -run.baseline) <= after:
                continue
            if pattern.match(run.text.strip()):
                return run.page, run
    return None


def pages_before(pages: list[Page], index: int, heading: Run) -> int:
    """Pages before a heading: its own page counts if body text precedes it on that page."""
    for run in body_runs(pages[index]):
        if run is heading:
            continue
        left_column = run.x1 <= heading.x0 + 1
        above = run.baseline > heading.baseline + 1 and run.x0 < heading.x1
        if left_column or above:
            return index + 1
    return index


def measure(pages: list[Page]) -> dict:
    """All format metrics of a document (None where there is no text to measure)."""
    mark_margins(pages)
    width, height = page_size(pages)
    body = body_font_size(pages)
    metrics: dict = {
        "paper_size": paper_size(width, height),
        "page_width_in": _inch(width),
        "page_height_in": _inch(height),
        "odd_sized_pages": [
            i + 1
            for i, p in enumerate(pages)
            if paper_size(p.width, p.height) != paper_size(width, height)
        ][:20],
        "body_font_size": body,
        "text_block": None,
        "text_block_pages": {},
        "columns": None,
        "line_spacing_pt": None,
        "lines_per_column": None,
        "running_headers": sorted({_shape(r.text) for p in pages for r in p.runs if r.margin})[:10],
    }
    if body is None:
        return metrics
    blocks = {i + 1: b for i, p in enumerate(pages) if (b := text_block(p)) is not None}
    metrics["text_block_pages"] = blocks
    if blocks:
        metrics["text_block"] = {
            "width_in": max(b["width_in"] for b in blocks.values()),
            "height_in": max(b["height_in"] for b in blocks.values()),
            "margins": {
                side: min(b["margins"][side] for b in blocks.values())
                for side in ("left_in", "right_in", "top_in", "bottom_in")
            },
        }
    column_counts, lines, gaps = Counter(), [], []
    for page in pages:
        spans = column_spans(page, body)
        if not spans:
            continue
        column_counts[len(spans)] += 1
        page_lines, page_gaps = lines_and_spacing(page, spans, body)
        lines.extend(page_lines)
        gaps.extend(page_gaps)
    if column_counts:
        metrics["columns"] = max(column_counts.items(), key=lambda item: (item[1], item[0]))[0]
        metrics["columns_per_page"] = dict(sorted(column_counts.items()))
    if gaps:
        metrics["line_spacing_pt"] = Counter(gaps).most_common(1)[0][0]
    if lines:
        metrics["lines_per_column"] = max(lines)
        metrics["median_lines_per_column"] = median(lines)
    return metrics


def _inch(points: float) -> float:
    return round(points / PT_PER_IN, 2)
