"""Render demo papers as two-column US-Letter PDFs with WeasyPrint.

This module imports nothing from Django so that a process pool can render papers with any start
method. Only local fonts are used (Liberation Serif, DejaVu as fallback); nothing is fetched.
"""

import html
import logging
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# WeasyPrint logs every step at INFO, from the import on (it parses its own stylesheets then);
# the demo's output is its progress lines and the account table.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

CSS_SOURCE = """
@page {
  size: letter;
  margin: 0.9in 0.8in 0.9in 0.8in;
  @bottom-center { content: counter(page); font: 9pt "Liberation Serif", "DejaVu Serif"; }
}
html { font: 10pt/12.2pt "Liberation Serif", "DejaVu Serif", serif; color: #000; }
body { margin: 0; columns: 2; column-gap: 0.3in; column-fill: auto; text-align: justify; }
header { column-span: all; text-align: center; margin-bottom: 14pt; }
h1 { font-size: 16pt; line-height: 19pt; margin: 0 0 8pt; }
.authors { font-size: 11pt; line-height: 14pt; margin: 0; }
.affil { font-size: 10pt; font-style: italic; margin: 2pt 0 0; }
h2 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 0 0 5pt; text-indent: 1em; }
.abstract { font-style: italic; }
.abstract p { text-indent: 0; }
figure { margin: 6pt 0 8pt; break-inside: avoid; }
.plot { border: 0.8pt solid #000; height: 1.35in; padding: 4pt 6pt 0; display: flex;
        align-items: flex-end; gap: 5pt; }
.bar { flex: 1; background: #555; }
.bar.ours { background: #1f5fa8; }
figcaption { font-size: 9pt; line-height: 11pt; margin-top: 3pt; }
ol.refs { font-size: 9pt; line-height: 10.8pt; padding-left: 1.6em; margin: 0; }
ol.refs li { margin-bottom: 3pt; }
.hidden { color: #fff; font-size: 9pt; }
"""


@dataclass
class PaperSpec:
    """Everything needed to render one paper; picklable so that a pool can render it."""

    title: str
    abstract: str
    sections: list[tuple[str, list[str]]]
    references: list[str]
    figure_caption: str
    #: (name, affiliation) per author; None renders the anonymous byline.
    authors: list[tuple[str, str]] | None = None
    #: Affiliations shown under an anonymous byline (names-hidden tracks may show companies).
    shown_affiliations: list[str] = field(default_factory=list)
    acknowledgements: str = ""
    hidden_text: str = ""
    #: A sentence that names an author, placed in the introduction (an anonymity leak).
    leak_sentence: str = ""
    #: The PDF's /Author entry.
    metadata_author: str = ""
    bars: list[int] = field(default_factory=lambda: [40, 55, 90, 35, 60, 80])


def paper_html(spec: PaperSpec) -> str:
    e = html.escape
    head = [f"<title>{e(spec.title)}</title>"]
    if spec.metadata_author:
        head.append(f'<meta name="author" content="{e(spec.metadata_author)}">')
    if spec.authors:
        byline = ", ".join(e(name) for name, _ in spec.authors)
        affils = "; ".join(e(a) for a in dict.fromkeys(a for _, a in spec.authors if a))
    else:
        byline = "Anonymous Authors"
        affils = "; ".join(e(a) for a in spec.shown_affiliations) or "Paper under review"
    parts = [
        "<header>",
        f"<h1>{e(spec.title)}</h1>",
        f'<p class="authors">{byline}</p>',
        f'<p class="affil">{affils}</p>',
        "</header>",
        '<section class="abstract"><h2>Abstract</h2>',
        f"<p>{e(spec.abstract)}</p></section>",
    ]
    for index, (title, paragraphs) in enumerate(spec.sections):
        parts.append(f"<h2>{index + 1} {e(title)}</h2>")
        for p_index, text in enumerate(paragraphs):
            extra = ""
            if index == 0 and p_index == 0:
                if spec.leak_sentence:
                    extra += " " + e(spec.leak_sentence)
                if spec.hidden_text:
                    extra += f' <span class="hidden">{e(spec.hidden_text)}</span>'
            parts.append(f"<p>{e(text)}{extra}</p>")
            if index == 0 and p_index == 0:
                parts.append(_figure(spec))
    if spec.acknowledgements:
        parts.append(f"<h2>Acknowledgements</h2><p>{e(spec.acknowledgements)}</p>")
    parts.append("<h2>References</h2><ol class='refs'>")
    parts.extend(f"<li>{e(ref)}</li>" for ref in spec.references)
    parts.append("</ol>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        + "".join(head)
        + "</head><body>"
        + "".join(parts)
        + "</body></html>"
    )


def _figure(spec: PaperSpec) -> str:
    bars = "".join(
        f'<div class="bar{" ours" if i % 2 else ""}" style="height:{h}%"></div>'
        for i, h in enumerate(spec.bars)
    )
    caption = html.escape(spec.figure_caption)
    return (
        f'<figure><div class="plot">{bars}</div>'
        f"<figcaption>Figure 1: {caption}</figcaption></figure>"
    )


# Parsed once per process: CSS parsing and font discovery dominate the cost of short papers.
_state: dict[str, object] = {}


def _resources() -> tuple[CSS, FontConfiguration]:
    if "css" not in _state:
        fonts = FontConfiguration()
        _state["fonts"] = fonts
        _state["css"] = CSS(string=CSS_SOURCE, font_config=fonts)
    return _state["css"], _state["fonts"]  # type: ignore[return-value]


def render_paper(spec: PaperSpec) -> bytes:
    """The PDF bytes of one paper."""
    css, fonts = _resources()
    return HTML(string=paper_html(spec)).write_pdf(stylesheets=[css], font_config=fonts)


@contextmanager
def rendering(specs: list[PaperSpec], *, processes: int = 2) -> Iterator[Iterator[bytes]]:
    """Yield an iterator over the PDFs of ``specs``, in order, rendered by a pool of
    ``processes`` workers (1: lazily in this process) while the caller consumes earlier ones.

    Enter it before opening database connections that the children must not share: the pool
    forks on entry, and its children only ever run WeasyPrint.
    """
    if processes <= 1 or len(specs) < 4:
        yield (render_paper(spec) for spec in specs)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        yield pool.imap(render_paper, specs, chunksize=1)
