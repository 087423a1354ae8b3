"""The pdfium pass: page sizes, text objects with their geometry, and the page texts.

Geometry comes from pdfium *text objects* (one per text-showing run, usually a line) rather
than per character: the same measurements at a tenth of the cost. A text object's font size is
in text space; its matrix carries the page transform (WeasyPrint draws in px at 0.75 pt/px),
so the effective size is ``size * sqrt(|det(matrix)|)``.
"""

import ctypes
import math
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

#: Text objects looked at per document; beyond this the layout is measured on what was seen.
OBJECT_CAP = 400_000
#: Nesting of form XObjects followed.
MAX_DEPTH = 4
#: Extracted text kept for the database and anonymity checks.
TEXT_CAP = 1_000_000
WHITE = 245
INVISIBLE = 3  # FPDF_TEXTRENDERMODE_INVISIBLE
FILL_MODES = {0, 2, 4, 6}


@dataclass(slots=True)
class Run:
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    baseline: float
    size: float
    chars: int
    text: str
    hidden: str = ""  # why it is hidden, or ""
    margin: bool = False  # running header/footer


@dataclass
class Page:
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    text: str = ""


def read(path: str) -> list[Page]:
    """Every page with its text runs; raises pdfium's ``PdfiumError`` for an unreadable file."""
    document = pdfium.PdfDocument(path)
    try:
        pages = []
        budget = [OBJECT_CAP]
        text_left = TEXT_CAP
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            current = Page(width=width, height=height)
            if text_left > 0:
                current.text = textpage.get_text_range()[:text_left]
                text_left -= len(current.text)
            if budget[0] > 0:
                _collect(index, page, textpage, width, height, current.runs, budget)
            pages.append(current)
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m1, m2):
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _collect(index, page, textpage, width, height, runs, budget) -> None:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    size = ctypes.c_float()
    matrix = raw.FS_MATRIX()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    buffer_len = 2048
    buffer = ctypes.create_string_buffer(buffer_len)
    as_ushort = ctypes.POINTER(ctypes.c_ushort)
    textpage_raw = textpage.raw

    def walk(container, count_fn, get_fn, parent, depth):
        nonlocal buffer, buffer_len
        for k in range(count_fn(container)):
            if budget[0] <= 0:
                return
            obj = get_fn(container, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
                raw.FPDFPageObj_GetMatrix(obj, matrix)
                own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                walk(
                    obj,
                    raw.FPDFFormObj_CountObjects,
                    raw.FPDFFormObj_GetObject,
                    _multiply(own, parent) if depth else own,
                    depth + 1,
                )
                continue
            if kind != raw.FPDF_PAGEOBJ_TEXT:
                continue
            budget[0] -= 1
            raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            raw.FPDFTextObj_GetFontSize(obj, size)
            raw.FPDFPageObj_GetMatrix(obj, matrix)
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            if depth:
                full = _multiply(own, parent)
                corners = [
                    _apply(parent, x, y)
                    for x in (left.value, right.value)
                    for y in (bottom.value, top.value)
                ]
                xs = [c[0] for c in corners]
                ys = [c[1] for c in corners]
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            else:
                full = own
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
            scale = math.sqrt(abs(full[0] * full[3] - full[1] * full[2]))
            target = ctypes.cast(buffer, as_ushort)
            needed = raw.FPDFTextObj_GetText(obj, textpage_raw, target, buffer_len)
            if needed > buffer_len:
                buffer_len = needed
                buffer = ctypes.create_string_buffer(buffer_len)
                target = ctypes.cast(buffer, as_ushort)
                needed = raw.FPDFTextObj_GetText(obj, textpage_raw, target, buffer_len)
            text = buffer.raw[: max(needed - 2, 0)].decode("utf-16-le", "replace")
            chars = len(text.strip())
            if not chars:
                continue
            run = Run(
                page=index,
                x0=x0,
                x1=x1,
                y0=y0,
                y1=y1,
                baseline=full[5],
                size=size.value * scale,
                chars=chars,
                text=text,
            )
            mode = raw.FPDFTextObj_GetTextRenderMode(obj)
            raw.FPDFPageObj_GetFillColor(obj, red, green, blue, alpha)
            if mode == INVISIBLE:
                run.hidden = "invisible"
            elif mode in FILL_MODES and alpha.value == 0:
                run.hidden = "transparent"
            elif mode in FILL_MODES and min(red.value, green.value, blue.value) >= WHITE:
                run.hidden = "white"
            elif run.size < 1.0:
                run.hidden = "tiny"
            elif x1 < 0 or x0 > width or y1 < 0 or y0 > height:
                run.hidden = "off-page"
            runs.append(run)

    walk(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, _IDENTITY, 0)
